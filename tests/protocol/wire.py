"""Wire a ServerConnection and a ClientConnection together in memory, over a MemoryStore with a few accounts.

No sockets: what the server sends is fed straight to the client tracker, and every test can look at the exact
bytes, the effects, the parsed replies and the states on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

from poplab.protocol import effects as fx
from poplab.protocol.client import ClientConnection, ServerReply
from poplab.protocol.config import ServerConfig
from poplab.protocol.seams import Account
from poplab.protocol.server import ServerConnection
from poplab.protocol.states import State
from poplab.store.memory import MemoryStore

# ---- the accounts -----------------------------------------------------------------------------------------

SEED_USER = "wiki@example.com"
SEED_PASSWORD = "passwort_im_klartext"
SEED_MESSAGE = (
    b"Date: Mon, 18 Oct 2004 04:11:45 +0200\r\n"
    b"From: Someone <me@example.com>\r\n"
    b"To: wiki@example.com\r\n"
    b"Subject: Test-E-Mail\r\n"
    b"Content-Type: text/plain; charset=us-ascii; format=flowed\r\n"
    b"Content-Transfer-Encoding: 7bit\r\n"
    b"\r\n"
    b"Dies ist eine Test-E-Mail\r\n"
)

ALICE = "alice"
ALICE_PASSWORD = "wonder land"  # with a space: PASS takes the rest of the line
ALICE_UIDS = ("uid-one", "uid-two", "uid-three")
ALICE_STORED = (
    # stored with bare LF, as a Maildir on Unix holds it
    b"From: bob@example.com\nTo: alice@example.com\nSubject: one\n\nHello Alice.\nSecond line.\nThird line.\n",
    # body lines that begin with '.', one of them a lone '.'
    b"From: carol@example.com\nSubject: dots\n\n.hidden\n..two dots\n.\nend\n",
    # no final newline
    b"Subject: three\n\nno final newline",
)
ALICE_WIRE = (
    b"From: bob@example.com\r\nTo: alice@example.com\r\nSubject: one\r\n\r\nHello Alice.\r\nSecond line.\r\n"
    b"Third line.\r\n",
    b"From: carol@example.com\r\nSubject: dots\r\n\r\n.hidden\r\n..two dots\r\n.\r\nend\r\n",
    b"Subject: three\r\n\r\nno final newline\r\n",
)
"""Alice's messages as they must go over the wire (CRLF, a final line end), before byte-stuffing."""

BOB = "bob"
BOB_PASSWORD = "builder"
BOB_STORED = (
    b"Subject: headers only\r\n\r\n",
    b"Subject: no blank line at all\r\nX-Other: yes\r\n",
)

APOP_USER = "mrose"
APOP_SECRET = "tanstaaf"
APOP_TOKEN = "<1896.697170952@dbc.mtview.ca.us>"
APOP_DIGEST = "c4c9334bac560ecc979e58001b3e22fb"
"""RFC 1939 §7, APOP: the worked example."""

CRAM_USER = "tim"
CRAM_SECRET = "tanstaaftanstaaf"
CRAM_TOKEN = "<1896.697170952@postoffice.reston.mci.net>"
CRAM_CHALLENGE_B64 = "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
CRAM_RESPONSE_B64 = "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
"""RFC 2195 §2: the worked example (response = base64 of 'tim b913a602c7eda7a495b4e6e7334d3890')."""

DISABLED = "closed@example.com"
DISABLED_PASSWORD = "still-correct"
EMPTY = "empty"
EMPTY_PASSWORD = "nothing"


def make_store() -> MemoryStore:
    store = MemoryStore()
    store.add_account(Account(SEED_USER, SEED_PASSWORD), [SEED_MESSAGE])
    store.add_account(Account(ALICE, ALICE_PASSWORD))
    for uid, message in zip(ALICE_UIDS, ALICE_STORED, strict=True):
        store.deliver(ALICE, message, uid=uid)
    store.add_account(Account(BOB, BOB_PASSWORD))
    for number, message in enumerate(BOB_STORED, 1):
        store.deliver(BOB, message, uid=f"bob-{number}")
    store.add_account(Account(APOP_USER, "the-password", apop_secret=APOP_SECRET), [b"Subject: apop\r\n\r\nhi\r\n"])
    store.add_account(Account(CRAM_USER, CRAM_SECRET), [b"Subject: cram\r\n\r\nhi\r\n"])
    store.add_account(Account(DISABLED, DISABLED_PASSWORD, pop_enabled=False), [b"Subject: x\r\n\r\ny\r\n"])
    store.add_account(Account(EMPTY, EMPTY_PASSWORD))
    return store


# ---- the wiring -------------------------------------------------------------------------------------------


def sent_bytes(effects: list[fx.Effect]) -> bytes:
    return b"".join(effect.data for effect in effects if isinstance(effect, fx.Send))


@dataclass(frozen=True)
class Exchange:
    """What one chunk of client bytes brought back."""

    effects: list[fx.Effect]
    replies: list[ServerReply]

    @property
    def data(self) -> bytes:
        """Every byte the server sent, in order."""
        return sent_bytes(self.effects)

    @property
    def reply(self) -> ServerReply:
        """The one reply (fails when there was not exactly one)."""
        assert len(self.replies) == 1, self.replies
        return self.replies[0]

    def of(self, kind: type[fx.Effect]) -> list[fx.Effect]:
        return [effect for effect in self.effects if isinstance(effect, kind)]


class Wire:
    """A server connection and a client tracker joined back to back; the greeting is exchanged at once."""

    def __init__(
        self,
        store: MemoryStore | None = None,
        config: ServerConfig | None = None,
        *,
        secure: bool = False,
        peer_trusted: bool = True,
        token: str = "<0.0@localhost>",
    ) -> None:
        self.store = store if store is not None else make_store()
        self.server = ServerConnection(self.store, config, secure=secure, peer_trusted=peer_trusted, token=token)
        self.client = ClientConnection()
        self.greeting_effects = self.server.greeting()
        self.greeting = sent_bytes(self.greeting_effects)
        [self.greeting_reply] = self.client.receive_data(self.greeting)

    def send(self, data: bytes) -> Exchange:
        """Send raw bytes in one piece (one or several lines; every line should end in LF for the tracker)."""
        for line in data.splitlines(keepends=True):
            self.client.send(line)
        effects = self.server.receive_data(data)
        while self.server.held:  # as the adapter does when a delay is over or the output has been sent
            effects += self.server.resume()
        return Exchange(effects, self.client.receive_data(sent_bytes(effects)))

    def cmd(self, line: str | bytes) -> Exchange:
        """Send one command line, CRLF added."""
        raw = line.encode("utf-8") if isinstance(line, str) else line
        return self.send(raw + b"\r\n")

    def data(self, line: str | bytes) -> bytes:
        """Send one command line and return the exact bytes of the answer."""
        return self.cmd(line).data

    def login(self, user: str = ALICE, password: str = ALICE_PASSWORD) -> None:
        assert self.cmd(f"USER {user}").data == b"+OK Please enter password\r\n"
        assert self.cmd(f"PASS {password}").data == b"+OK mailbox locked and ready\r\n"
        assert self.server.state is State.TRANSACTION
        assert self.client.state is State.TRANSACTION

    @property
    def states(self) -> tuple[State, State]:
        """(server state, client tracker state): they must always agree."""
        return self.server.state, self.client.state


def logged_in(user: str = ALICE, password: str = ALICE_PASSWORD, store: MemoryStore | None = None) -> Wire:
    wire = Wire(store)
    wire.login(user, password)
    return wire


def multiline(status: str, *lines: bytes) -> bytes:
    """The exact bytes of a multi-line reply whose body lines are given already stuffed, without CRLF."""
    return status.encode("utf-8") + b"\r\n" + b"".join(line + b"\r\n" for line in lines) + b".\r\n"
