"""Each fault and quirk profile, switched on alone: the fault happens (seen by a real client or on the wire), and
the annotator explains it — the broken ones as violations of RFC 1939 §3, with the section."""

from __future__ import annotations

import poplib
import socket
import time
from collections.abc import Iterator

import pytest

from poplab.annotate import Annotation, Kind, Severity, annotate
from poplab.protocol import effects as fx
from poplab.protocol import faults, rfc
from poplab.protocol.config import ServerConfig
from poplab.protocol.octets import multiline_body
from poplab.protocol.sasl import apop_digest
from poplab.protocol.server import ServerConnection
from poplab.server.events import LineEvent, ServerEvent
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript

TOKEN = "<77.1700000000@example.com>"


class Running:
    """A teaching server with some profiles on, and what it sent and received, as a transcript."""

    def __init__(self, server: ServerThread, store: MemoryStore) -> None:
        self.server, self.store = server, store
        self.transcript = Transcript()
        server.subscribe(self._seen)

    def _seen(self, event: ServerEvent) -> None:
        if isinstance(event, LineEvent):
            self.transcript.add(event.direction, event.raw, event.time, event.tls)

    @property
    def port(self) -> int:
        return self.server.port

    def annotations(self) -> list[Annotation]:
        deadline = time.monotonic() + 10
        while self.server.session_count() and time.monotonic() < deadline:
            time.sleep(0.01)
        return annotate(self.transcript)


@pytest.fixture
def running(request: pytest.FixtureRequest) -> Iterator[Running]:
    names, options = request.param if isinstance(request.param, tuple) else (request.param, {})
    store = MemoryStore.with_demo()
    store.deliver("bob@example.com", b"Subject: dots\r\n\r\n.profile\r\n..double\r\nend\r\n")
    config = ServerConfig(faults=frozenset(names.split("+")), failed_login_delay=0, **options)
    with ServerThread(store, ServerSettings(port=0, tls_port=None, protocol=config)) as server:
        yield Running(server, store)


def login(port: int, user: str = "alice@example.com", password: str = "wonderland") -> poplib.POP3:
    client = poplib.POP3("127.0.0.1", port, timeout=10)
    client.user(user)
    client.pass_(password)
    return client


def talk(port: int, *commands: bytes) -> bytes:
    """Send the commands one after another (each after the previous reply began) and read until the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        received = sock.recv(65536)
        try:
            for command in commands:
                sock.sendall(command + b"\r\n")
                time.sleep(0.05)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server has gone: read what it sent before
        while chunk := sock.recv(65536):
            received += chunk
    return received


# ---- the protocol's profiles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("running", "verb", "call"),
    [("no-uidl", "UIDL", "uidl"), ("no-top", "TOP", "top")],
    indirect=["running"],
)
def test_a_server_without_an_optional_command(running: Running, verb: str, call: str) -> None:
    client = login(running.port)
    assert verb not in client.capa()
    with pytest.raises(poplib.error_proto, match="-ERR unknown command"):
        getattr(client, call)(*((1, 0) if verb == "TOP" else ()))
    assert len(client.retr(1)[1]) > 1  # the rest works
    client.quit()
    refused = next(a for a in running.annotations() if a.verb == verb and a.direction == "S")
    assert refused.ok is False and refused.why is not None
    assert refused.severity is Severity.ERROR and not refused.findings  # refused, not broken


@pytest.mark.parametrize("running", ["no-capa"], indirect=True)
def test_a_server_without_capa(running: Running) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    with pytest.raises(poplib.error_proto, match="CAPA not supported"):
        client.capa()
    client.user("wiki@example.com")
    client.pass_("passwort_im_klartext")  # an RFC 1939 client does without
    assert client.stat() == (1, 236)
    client.quit()
    capa = next(a for a in running.annotations() if a.verb == "CAPA" and a.direction == "S")
    assert capa.why is not None and capa.why.code == "capa-unsupported"


@pytest.mark.parametrize("running", ["login-delay"], indirect=True)
def test_login_delay(running: Running) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    assert client.capa()["LOGIN-DELAY"] == ["900"]
    client.user("alice@example.com")
    with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\]"):
        client.pass_("wrong")  # a wrong password is still just that
    client.user("alice@example.com")
    with pytest.raises(poplib.error_proto) as refused:
        client.pass_("wonderland")
    assert refused.value.args[0] == b"-ERR [LOGIN-DELAY] you logged in too recently; wait 15 minutes between logins"
    client.quit()
    delayed = [a for a in running.annotations() if a.why is not None and a.why.code == "login-delay"]
    assert len(delayed) == 1 and delayed[0].state_after.value == "AUTHORIZATION"


@pytest.mark.parametrize("running", ["sys-temp"], indirect=True)
def test_mailbox_temporarily_unavailable(running: Running) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    client.user("alice@example.com")
    with pytest.raises(poplib.error_proto) as refused:
        client.pass_("wonderland")
    assert refused.value.args[0] == b"-ERR [SYS/TEMP] mailbox temporarily unavailable"
    client.quit()
    (temp,) = [a for a in running.annotations() if a.why is not None and a.why.code == "sys/temp"]
    assert temp.why is not None and temp.why.ref == rfc.SYS_AUTH_CODES


@pytest.mark.parametrize("running", ["apop-quirk"], indirect=True)
def test_an_apop_greeting_that_clients_mis_parse(running: Running) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    greeting = client.getwelcome().decode()
    decoy, token = greeting.split(" ")[-2:]
    assert greeting == f"+OK example.com POP3-Server <poplab-0.1.0> {token}" and decoy == "<poplab-0.1.0>"
    with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\]"):
        client.apop("mrose@example.com", "tanstaaf")  # poplib digests "<poplab-0.1.0> <...@example.com>"
    client.quit()
    assert talk_apop(running.port) == b"+OK mailbox locked and ready\r\n+OK bye\r\n"  # one that takes the msg-id
    first = running.annotations()[0]
    assert first.kind is Kind.GREETING and "ambiguous-timestamp" in first.codes
    (finding,) = first.findings
    assert finding.ref == rfc.APOP and "<poplab-0.1.0>" in finding.text


def talk_apop(port: int) -> bytes:
    """Log in with APOP using the timestamp of this connection's greeting taken right: the msg-id, the last <...>."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        greeting = sock.recv(1000)
        token = greeting.split(b" ")[-1].strip().decode()
        sock.sendall(f"APOP mrose@example.com {apop_digest(token, 'tanstaaf')}\r\nQUIT\r\n".encode())
        reply = b""
        while chunk := sock.recv(1000):
            reply += chunk
    return reply


def test_the_protocol_profiles_without_sockets() -> None:
    config = ServerConfig(faults=frozenset({"no-uidl", "no-top", "login-delay"}), failed_login_delay=0)
    conn = ServerConnection(MemoryStore.with_demo(), config, token=TOKEN)
    sent = conn.receive_data(b"CAPA\r\n")
    assert sent == [
        fx.Received(b"CAPA\r\n"),
        fx.Send(
            b"+OK Capability list follows\r\nUSER\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n"
            b"SASL PLAIN LOGIN CRAM-MD5\r\nLOGIN-DELAY 900\r\nIMPLEMENTATION poplab-0.1.0\r\n.\r\n",
            True,
        ),
    ]
    assert ServerConfig(faults=frozenset({"apop-quirk"})).offers_apop
    with pytest.raises(ValueError, match="unknown fault profile slowly; choose from slow, drop-retr"):
        ServerConfig(faults=frozenset({"slowly"}))


# ---- the wire profiles ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("running", [("slow", {"line_delay": 0.05})], indirect=True)
def test_slow_replies_wait_before_every_line(running: Running) -> None:
    started = time.monotonic()
    client = login(running.port)  # greeting, USER and PASS replies: 3 lines
    logged_in = time.monotonic()
    assert len(client.list()[1]) == 6  # status line, 6 lines, terminator
    listed = time.monotonic()
    client.quit()
    assert logged_in - started >= 3 * 0.05 and listed - logged_in >= 8 * 0.05
    lines = [line for line in running.transcript if line.direction == "S"]
    assert all(line.raw.count(b"\n") == 1 for line in lines)  # sent one line at a time
    assert not [a for a in running.annotations() if a.severity is Severity.ERROR]


@pytest.mark.parametrize("running", ["drop-retr"], indirect=True)
def test_a_connection_dropped_in_the_middle_of_retr(running: Running) -> None:
    received = talk(running.port, b"USER alice@example.com", b"PASS wonderland", b"DELE 1", b"RETR 2", b"NOOP")
    full = b"+OK message follows\r\n" + multiline_body(list(running.store.stored("alice@example.com").values())[1])
    retr = received[received.index(b"+OK message follows\r\n") :]
    assert full.startswith(retr) and len(retr) < len(full) and not retr.endswith(b"\r\n.\r\n")
    assert len(running.store.stored("alice@example.com")) == 6  # no QUIT: the DELE is lost
    annotations = running.annotations()
    cut = next(a for a in annotations if a.kind is Kind.MESSAGE)
    assert cut.codes == ("body-incomplete",) and cut.findings[0].severity is Severity.WARNING


@pytest.mark.parametrize("running", ["bare-lf"], indirect=True)
def test_a_server_that_sends_bare_lf(running: Running) -> None:
    received = talk(running.port, b"USER wiki@example.com", b"PASS passwort_im_klartext", b"RETR 1", b"QUIT")
    assert b"\r" not in received and received.count(b"\n") == 14
    client = login(running.port, "alice@example.com", "wonderland")  # poplib copes
    assert client.stat()[0] == 6
    client.quit()
    annotations = running.annotations()
    greeting = annotations[0]
    assert greeting.codes == ("bare-lf",)
    (finding,) = greeting.findings
    assert (
        finding.severity is Severity.ERROR and finding.ref == rfc.BASIC_OPERATION and str(finding.ref) == "RFC 1939 §3"
    )
    assert finding.text == "This line ends with a bare LF: a server must end every line with CRLF."
    message = next(a for a in annotations if a.kind is Kind.MESSAGE)
    assert (
        message.codes == ("bare-lf",)
        and message.findings[0].text == "9 lines end with a bare LF: servers must send CRLF."
    )
    assert all("bare-lf" in a.codes for a in annotations if a.direction == "S" and a.kind is not Kind.CLOSED)


@pytest.mark.parametrize("running", ["no-stuffing"], indirect=True)
def test_a_server_that_forgets_byte_stuffing(running: Running) -> None:
    client = login(running.port, "bob@example.com", "builder")
    assert client.retr(1)[1] == [b"Subject: dots", b"", b".profile", b".double", b"end"]  # "..double" lost a dot
    client.quit()
    client = login(running.port)
    lines = client.retr(3)[1]
    assert lines[-1] == b"and the client takes it away again. The next line is a single dot:"  # cut at the lone dot
    with pytest.raises(poplib.error_proto):
        client.noop()  # what follows is the rest of message 3, not NOOP's reply
    client.close()
    annotations = running.annotations()
    (unstuffed,) = [a for a in annotations if "not-stuffed" in a.codes]
    assert unstuffed.findings[0].severity is Severity.ERROR and unstuffed.findings[0].ref == rfc.BASIC_OPERATION
    stray = [a for a in annotations if a.kind is Kind.UNEXPECTED]
    assert stray[0].lines == ("The next line is two dots:",) and "not-a-status" in stray[0].codes


def test_the_wire_profiles_as_effects() -> None:
    shaper = faults.WireShaper(frozenset({"no-stuffing", "bare-lf"}))
    reply = b"+OK\r\n..hidden\r\n..\r\n.\r\n"
    assert shaper.shape([fx.Send(reply, True)]) == [fx.Send(b"+OK\n.hidden\n.\n.\n", True)]
    slow = faults.WireShaper(frozenset({"slow"}), line_delay=0.25)
    assert slow.shape([fx.Send(b"+OK\r\n1 2\r\n.\r\n", True)]) == [
        fx.Delay(0.25), fx.Send(b"+OK\r\n", True), fx.Delay(0.25), fx.Send(b"1 2\r\n", True),
        fx.Delay(0.25), fx.Send(b".\r\n", True),
    ]  # fmt: skip
    drop = faults.WireShaper(frozenset({"drop-retr"}))
    retr = b"+OK\r\na\r\nb\r\nc\r\nd\r\n.\r\n"
    assert drop.shape([fx.Received(b"LIST\r\n"), fx.Send(retr, True)])[1] == fx.Send(retr, True)
    assert drop.shape([fx.Received(b"retr 1\r\n"), fx.Send(retr, True), fx.Received(b"NOOP\r\n")]) == [
        fx.Received(b"retr 1\r\n"), fx.Send(b"+OK\r\na\r\nb\r\n", True), fx.Close(),
    ]  # fmt: skip
    assert faults.wire_shaper(frozenset({"no-uidl"})) is None
    assert "BROKEN" in faults.help_table() and faults.help_table().count("\n") == len(faults.FAULTS) - 1
