"""Record transcripts from the real sans-IO server (no sockets), with the state the server was in before and after
every reply, so the annotator's states can be checked against the server's own."""

from __future__ import annotations

import base64

from poplab.protocol import effects as fx
from poplab.protocol.config import ServerConfig
from poplab.protocol.seams import Account
from poplab.protocol.server import ServerConnection
from poplab.protocol.states import State
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript, split_lines

SEED_USER, SEED_PASSWORD = "wiki@example.com", "passwort_im_klartext"
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
ALICE, ALICE_PASSWORD = "alice", "wonder land"
ALICE_MESSAGES = (
    b"Subject: one\r\n\r\nHello Alice.\r\n",
    b"Subject: dots\r\n\r\n.hidden\r\n..two dots\r\n.\r\nend\r\n",
    b"Subject: three\r\n\r\nthird\r\n",
)
APOP_USER, APOP_SECRET = "mrose", "tanstaaf"
APOP_TOKEN, APOP_DIGEST = "<1896.697170952@dbc.mtview.ca.us>", "c4c9334bac560ecc979e58001b3e22fb"


def plain_response(user: str, password: str) -> str:
    return base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")


def make_store() -> MemoryStore:
    store = MemoryStore()
    store.add_account(Account(SEED_USER, SEED_PASSWORD), [SEED_MESSAGE])
    store.add_account(Account(ALICE, ALICE_PASSWORD), list(ALICE_MESSAGES))
    store.add_account(Account(APOP_USER, "the-password", apop_secret=APOP_SECRET), [b"Subject: apop\r\n\r\nhi\r\n"])
    return store


class Recorder:
    """A server connection whose every line in and out lands in :attr:`transcript`; :attr:`expected` maps the
    transcript index of each status line to the server's state before and after it."""

    def __init__(self, config: ServerConfig | None = None, store: MemoryStore | None = None) -> None:
        config = config or ServerConfig(tls_available=True)
        self.server = ServerConnection(store or make_store(), config, token=APOP_TOKEN)
        self.transcript = Transcript()
        self.expected: dict[int, tuple[State, State]] = {}
        self._reply(self.server.greeting(), State.AUTHORIZATION)

    def send(self, line: str | bytes) -> bytes:
        raw = line.encode("utf-8") if isinstance(line, str) else line
        raw = raw if raw.endswith(b"\n") else raw + b"\r\n"
        before = self.server.state
        self.transcript.add("C", raw, tls=self.server.secure)
        effects = self.server.receive_data(raw)
        while self.server.held:  # as the adapter does once a failed login's delay is over
            effects += self.server.resume()
        data = self._reply(effects, before)
        if any(isinstance(effect, fx.StartTLS) for effect in effects):
            self.server.tls_started()
        return data

    def login(self, user: str = ALICE, password: str = ALICE_PASSWORD) -> None:
        self.send(f"USER {user}")
        assert self.send(f"PASS {password}") == b"+OK mailbox locked and ready\r\n"

    def _reply(self, effects: list[fx.Effect], before: State) -> bytes:
        data = b"".join(effect.data for effect in effects if isinstance(effect, fx.Send))
        first = True
        for effect in effects:
            if isinstance(effect, fx.Send):
                for index, piece in enumerate(split_lines(effect.data)):
                    if index == 0:
                        start = before if first else self.server.state
                        self.expected[len(self.transcript)] = (start, self.server.state)
                        first = False
                    self.transcript.add("S", piece, tls=self.server.secure)
            elif isinstance(effect, fx.Close):
                self.transcript.add("S", b"", tls=self.server.secure)
        return data
