"""Every flavour replays the seed session with the same structure — status indicators, STAT's numbers, the
listing, the message, every state — and its own server's texts; real clients do not notice the difference.
(Capabilities, response codes and refusals per flavour: test_flavor_wire.py.)"""

from __future__ import annotations

import poplib
import re

import pytest

from poplab.annotate import annotate
from poplab.protocol import effects as fx
from poplab.protocol.config import SEED_GREETING, ServerConfig
from poplab.protocol.flavors import FLAVORS, REASONS, SEED_TEXTS, flavor, greeting_values
from poplab.protocol.server import ServerConnection
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript

TOKEN = "<1234.17000000005678@example.com>"
SEED_COMMANDS = [
    b"USER wiki@example.com",
    b"PASS passwort_im_klartext",
    b"STAT",
    b"LIST",
    b"RETR 1",
    b"DELE 1",
    b"QUIT",
]
MESSAGE = [
    b"Date: Mon, 18 Oct 2004 04:11:45 +0200",
    b"From: Someone <me@example.com>",
    b"To: wiki@example.com",
    b"Subject: Test-E-Mail",
    b"Content-Type: text/plain; charset=us-ascii; format=flowed",
    b"Content-Transfer-Encoding: 7bit",
    b"",
    b"Dies ist eine Test-E-Mail",
]

# The status lines of the seed session, one per command (the greeting first), in each flavour.
EXPECTED = {
    "seed": [
        "+OK example.com POP3-Server",
        "+OK Please enter password",
        "+OK mailbox locked and ready",
        "+OK 1 236",
        "+OK mailbox has 1 messages (236 octets)",
        "+OK message follows",
        "+OK message marked for delete - will be deleted on QUIT",
        "+OK bye",
    ],
    "dovecot": [
        "+OK Dovecot ready.",
        "+OK",
        "+OK Logged in.",
        "+OK 1 236",
        "+OK 1 messages:",
        "+OK 236 octets",
        "+OK Marked to be deleted.",
        "+OK Logging out, messages deleted.",
    ],
    "cyrus": [
        "+OK example.com Cyrus POP3 3.12.3 server ready",
        "+OK Name is a valid mailbox",
        "+OK Mailbox locked and ready",
        "+OK 1 236",
        "+OK scan listing follows",
        "+OK Message follows",
        "+OK message deleted",
        "+OK",
    ],
    "exchange": [
        "+OK The Microsoft Exchange POP3 service is ready.",
        "+OK",
        "+OK User successfully logged on.",
        "+OK 1 236",
        "+OK 1 236",
        "+OK",
        "+OK",
        "+OK Microsoft Exchange Server POP3 server signing off.",
    ],
    "gmail": [
        "+OK Gpop ready for requests from 192.0.2.7 1234mb00005678",
        "+OK send PASS",
        "+OK Welcome.",
        "+OK 1 236",
        "+OK 1 messages (236 bytes)",
        "+OK message follows",
        "+OK marked for deletion",
        "+OK Farewell.",
    ],
}


def replay(name: str, commands: list[bytes] = SEED_COMMANDS) -> list[bytes]:
    """The server's side of a session, sans-IO: every line it sends, in order."""
    conn = ServerConnection(MemoryStore.with_demo(), ServerConfig(flavor=name), token=TOKEN, peer="192.0.2.7")
    effects = conn.greeting()
    for command in commands:
        effects += conn.receive_data(command + b"\r\n")
        while conn.held:  # as the adapter does once a failed login's delay is over
            effects += conn.resume()
    data = b"".join(effect.data for effect in effects if isinstance(effect, fx.Send))
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def status_lines(lines: list[bytes]) -> list[str]:
    return [line.decode() for line in lines if line.startswith((b"+OK", b"-ERR"))]


@pytest.mark.parametrize("name", list(FLAVORS))
def test_each_flavour_replays_the_seed_session_with_its_own_texts(name: str) -> None:
    lines = replay(name)
    assert status_lines(lines) == EXPECTED[name]
    status = [n for n, line in enumerate(lines) if line.startswith((b"+OK", b"-ERR"))]
    assert lines[status[4] + 1 : status[5]] == [b"1 236", b"."]  # LIST
    assert lines[status[5] + 1 : status[6]] == [*MESSAGE, b"."]  # RETR 1


@pytest.mark.parametrize("name", [name for name in FLAVORS if name != "seed"])
def test_only_the_texts_differ_from_the_seed(name: str) -> None:
    seed, other = replay("seed"), replay(name)
    assert len(seed) == len(other)
    for mine, theirs in zip(seed, other, strict=True):
        if mine.startswith((b"+OK", b"-ERR")):
            assert theirs.split(b" ")[0] == mine.split(b" ")[0]  # the status indicator
        else:
            assert theirs == mine  # listing lines, message lines, terminators
    assert other[3] == seed[3] == b"+OK 1 236"  # STAT's numbers are the protocol's, not the flavour's
    assert status_lines(other) != status_lines(seed)


def transcript(lines: list[bytes], commands: list[bytes] = SEED_COMMANDS) -> Transcript:
    """Client and server lines interleaved as they happened (one reply per command, bodies to the dot)."""
    result, replies = Transcript(), iter(lines)
    result.add("S", next(replies) + b"\r\n")
    for command in commands:
        result.add("C", command + b"\r\n")
        line = next(replies)
        result.add("S", line + b"\r\n")
        if command in (b"LIST", b"RETR 1") and line.startswith(b"+OK"):
            while line != b".":
                line = next(replies)
                result.add("S", line + b"\r\n")
    return result


def test_the_annotator_sees_the_same_session_in_every_flavour() -> None:
    def shape(name: str) -> list[tuple[object, ...]]:
        annotations = annotate(transcript(replay(name)))
        return [(a.kind, a.state_before, a.state_after, a.ok, a.line_count, a.codes) for a in annotations]

    seed = shape("seed")
    assert all(shape(name) == seed for name in FLAVORS)


ERRORS = [b"USER wiki@example.com", b"PASS wrong", b"STAT", b"FOO"]
LOGGED_IN = [b"USER wiki@example.com", b"PASS passwort_im_klartext"]
IN_SESSION_ERRORS = [*LOGGED_IN, b"RETR 9", b"DELE 1", b"RETR 1", b"BAR", b"QUIT"]


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        (
            "seed",
            [
                "-ERR [AUTH] invalid user name or password",
                "-ERR command not valid in this state",
                "-ERR unknown command",
            ],
            [
                "-ERR no such message, only 1 message in maildrop",
                "-ERR message 1 already deleted",
                "-ERR unknown command",
            ],
        ),
        (
            "dovecot",
            ["-ERR [AUTH] Authentication failed.", "-ERR Unknown command.", "-ERR Unknown command."],
            ["-ERR There's no message 9.", "-ERR Message is deleted.", "-ERR Unknown command: BAR"],
        ),
        (
            "cyrus",
            ["-ERR [AUTH] Invalid login", "-ERR Unrecognized command", "-ERR Unrecognized command"],
            ["-ERR No such message", "-ERR No such message", "-ERR Unrecognized command"],
        ),
        (
            "exchange",
            [
                "-ERR Logon failure: unknown user name or bad password.",
                "-ERR Command is not valid in this state.",
                "-ERR Protocol error. 19",
            ],
            [
                "-ERR The specified message is out of range.",
                "-ERR The specified message is out of range.",
                "-ERR Protocol error. 19",
            ],
        ),
        (
            "gmail",
            ["-ERR [AUTH] Username and password not accepted.", "-ERR bad command", "-ERR bad command"],
            ["-ERR unknown message", "-ERR message deleted", "-ERR Command not understood"],
        ),
    ],
)
def test_errors_in_each_flavour_with_its_own_codes(name: str, before: list[str], after: list[str]) -> None:
    assert [line for line in status_lines(replay(name, ERRORS)) if line.startswith("-ERR")] == before
    errors = [line for line in status_lines(replay(name, IN_SESSION_ERRORS)) if line.startswith("-ERR")]
    assert errors == after


def test_a_greeting_set_by_the_teacher_wins_over_the_flavour() -> None:
    conn = ServerConnection(MemoryStore(), ServerConfig(flavor="dovecot", greeting="mail.school.example ready"))
    assert conn.greeting() == [fx.Send(b"+OK mail.school.example ready\r\n", True)]
    with_apop = ServerConnection(MemoryStore(), ServerConfig(flavor="dovecot", apop=True), token=TOKEN)
    assert with_apop.greeting() == [fx.Send(f"+OK Dovecot ready. {TOKEN}\r\n".encode(), True)]


def test_flavour_names_and_texts() -> None:
    assert list(FLAVORS) == ["seed", "dovecot", "cyrus", "exchange", "gmail"]
    assert SEED_TEXTS["greeting"] == SEED_GREETING
    assert all(set(f.texts) <= {*SEED_TEXTS, *REASONS} for f in FLAVORS.values())
    assert greeting_values(TOKEN, "::1") == {"host": "example.com", "peer": "::1", "session": "1234mb00005678"}
    with pytest.raises(ValueError, match="unknown flavour 'postfix'; choose one of seed, dovecot"):
        flavor("postfix")
    with pytest.raises(ValueError, match="unknown flavour"):
        ServerConfig(flavor="postfix")


@pytest.mark.parametrize("name", list(FLAVORS))
def test_poplib_fetches_the_same_mail_from_every_flavour(name: str) -> None:
    store = MemoryStore.with_demo()
    settings = ServerSettings(port=0, tls_port=None, protocol=ServerConfig(flavor=name))
    with ServerThread(store, settings) as server:
        client = poplib.POP3("127.0.0.1", server.port, timeout=10)
        greeting = client.getwelcome().decode()
        client.user("alice@example.com")
        client.pass_("wonderland")
        assert client.stat()[0] == 6 and len(client.list()[1]) == 6 and len(client.uidl()[1]) == 6
        message = client.retr(3)[1]
        client.quit()
    if name == "gmail":  # it shows the client's address and a session id
        assert re.fullmatch(r"\+OK Gpop ready for requests from 127\.0\.0\.1 \d+mb\d{8}", greeting)
    else:
        assert greeting == EXPECTED[name][0]
    assert b"." in message and b".." in message  # the byte-stuffing lesson survives every flavour
