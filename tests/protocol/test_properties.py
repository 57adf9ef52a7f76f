"""Property tests: random command sequences checked against a model of the maildrop, and random bytes that
must never crash either side or make the server send something that does not end in CRLF."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from poplab.protocol import effects as fx
from poplab.protocol.client import ClientConnection
from poplab.protocol.config import ServerConfig
from poplab.protocol.server import ServerConnection
from poplab.protocol.states import State
from tests.protocol.wire import ALICE, ALICE_PASSWORD, ALICE_STORED, ALICE_UIDS, ALICE_WIRE, Wire, make_store

# ---- a model of one maildrop -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    uid: str
    lines: tuple[str, ...]
    """The message as the client must receive it: its lines, each to be followed by CRLF, not yet stuffed."""

    @property
    def wire(self) -> bytes:
        return "".join(line + "\r\n" for line in self.lines).encode()

    @property
    def size(self) -> int:
        return len(self.wire)

    def top(self, count: int) -> tuple[str, ...]:
        if "" not in self.lines:
            return self.lines
        blank = self.lines.index("")
        return self.lines[: blank + 1 + count]


def stuffed(lines: tuple[str, ...]) -> bytes:
    return "".join(("." + line if line.startswith(".") else line) + "\r\n" for line in lines).encode()


def initial_model() -> list[Message]:
    return [
        Message(uid, tuple(wire.decode().split("\r\n")[:-1])) for uid, wire in zip(ALICE_UIDS, ALICE_WIRE, strict=True)
    ]


@st.composite
def stored_messages(draw: st.DrawFn) -> tuple[bytes, tuple[str, ...]]:
    """A message as a store may hold it (LF or CRLF ends, maybe no final one) and the lines it must be sent as."""
    line = st.text(alphabet=st.sampled_from("ab .:-\tü"), max_size=12)
    lines = tuple(draw(st.lists(line, max_size=8)))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    final_end = draw(st.booleans()) or not lines or lines[-1] == ""
    text = end.join(lines) + (end if final_end and lines else "")
    return text.encode(), lines


# ---- the state machine -------------------------------------------------------------------------------------

NUMBERS = st.integers(min_value=0, max_value=9)
LINE_COUNTS = st.one_of(st.integers(min_value=0, max_value=6), st.just(99999999))


class MaildropMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = make_store()
        self.stored: list[Message] = initial_model()
        self.wire: Wire | None = None
        self.snapshot: list[Message] = []
        self.deleted: set[int] = set()
        self.bad = 0

    # -- helpers

    def expect(self, line: str, expected: bytes) -> None:
        assert self.wire is not None
        exchange = self.wire.cmd(line)
        assert exchange.data == expected, (line, exchange.data, expected)
        assert len(exchange.replies) == 1
        assert exchange.reply.raw == expected
        assert self.wire.states[0] == self.wire.states[1]

    def valid(self, line: str, expected: bytes) -> None:
        self.bad = 0
        self.expect(line, expected)

    def number_problem(self, n: int) -> bytes | None:
        if n == 0:
            return b"-ERR no such message, message numbers start at 1\r\n"
        count = len(self.snapshot)
        if n > count:
            only = "only 1 message" if count == 1 else f"only {count} messages"
            return f"-ERR no such message, {only} in maildrop\r\n".encode()
        if n in self.deleted:
            return f"-ERR message {n} already deleted\r\n".encode()
        return None

    def live(self) -> list[tuple[int, Message]]:
        return [(n, m) for n, m in enumerate(self.snapshot, 1) if n not in self.deleted]

    def totals(self) -> str:
        live = self.live()
        return f"{len(live)} messages ({sum(m.size for _, m in live)} octets)"

    # -- sessions

    @precondition(lambda self: self.wire is None)
    @rule(how=st.sampled_from(["USER/PASS", "AUTH PLAIN", "AUTH LOGIN"]))
    def login(self, how: str) -> None:
        wire = Wire(self.store)
        if how == "USER/PASS":
            wire.login()
        elif how == "AUTH PLAIN":
            assert wire.data("AUTH PLAIN " + base64.b64encode(f"\0{ALICE}\0{ALICE_PASSWORD}".encode()).decode()) == (
                b"+OK mailbox locked and ready\r\n"
            )
        else:
            assert wire.data("AUTH LOGIN") == b"+ VXNlcm5hbWU6\r\n"
            assert wire.data(base64.b64encode(ALICE.encode()).decode()) == b"+ UGFzc3dvcmQ6\r\n"
            assert wire.data(base64.b64encode(ALICE_PASSWORD.encode()).decode()) == (
                b"+OK mailbox locked and ready\r\n"
            )
        assert wire.states == (State.TRANSACTION, State.TRANSACTION)
        self.wire, self.snapshot, self.deleted, self.bad = wire, list(self.stored), set(), 0

    @precondition(lambda self: self.wire is not None)
    @rule()
    def second_login_is_refused(self) -> None:
        other = Wire(self.store)
        other.cmd(f"USER {ALICE}")
        assert other.data(f"PASS {ALICE_PASSWORD}") == b"-ERR [IN-USE] mailbox already locked by another session\r\n"

    @precondition(lambda self: self.wire is not None)
    @rule()
    def quit(self) -> None:
        assert self.wire is not None
        marked = tuple(m.uid for n, m in enumerate(self.snapshot, 1) if n in self.deleted)
        exchange = self.wire.cmd("QUIT")
        assert exchange.data == b"+OK bye\r\n"
        assert exchange.of(fx.Committed) == [fx.Committed(ALICE, marked)]
        assert self.wire.states == (State.UPDATE, State.UPDATE)
        self.stored = [m for m in self.stored if m.uid not in marked]
        self.wire = None

    @precondition(lambda self: self.wire is not None)
    @rule()
    def drop(self) -> None:
        assert self.wire is not None
        self.wire.server.connection_lost()
        self.wire = None

    @rule(message=stored_messages())
    def deliver(self, message: tuple[bytes, tuple[str, ...]]) -> None:
        raw, lines = message
        uid = self.store.deliver(ALICE, raw)
        self.stored.append(Message(uid, lines))

    # -- TRANSACTION commands

    @precondition(lambda self: self.wire is not None)
    @rule()
    def stat(self) -> None:
        live = self.live()
        self.valid("STAT", f"+OK {len(live)} {sum(m.size for _, m in live)}\r\n".encode())

    @precondition(lambda self: self.wire is not None)
    @rule()
    def list_all(self) -> None:
        body = "".join(f"{n} {m.size}\r\n" for n, m in self.live())
        self.valid("LIST", f"+OK mailbox has {self.totals()}\r\n{body}.\r\n".encode())

    @precondition(lambda self: self.wire is not None)
    @rule(n=NUMBERS)
    def list_one(self, n: int) -> None:
        problem = self.number_problem(n)
        self.valid(f"LIST {n}", problem or f"+OK {n} {self.snapshot[n - 1].size}\r\n".encode())

    @precondition(lambda self: self.wire is not None)
    @rule()
    def uidl_all(self) -> None:
        body = "".join(f"{n} {m.uid}\r\n" for n, m in self.live())
        self.valid("UIDL", f"+OK unique-id listing follows\r\n{body}.\r\n".encode())

    @precondition(lambda self: self.wire is not None)
    @rule(n=NUMBERS)
    def uidl_one(self, n: int) -> None:
        problem = self.number_problem(n)
        self.valid(f"UIDL {n}", problem or f"+OK {n} {self.snapshot[n - 1].uid}\r\n".encode())

    @precondition(lambda self: self.wire is not None)
    @rule(n=NUMBERS)
    def retr(self, n: int) -> None:
        problem = self.number_problem(n)
        if problem:
            self.valid(f"RETR {n}", problem)
            return
        message = self.snapshot[n - 1]
        self.valid(f"RETR {n}", b"+OK message follows\r\n" + stuffed(message.lines) + b".\r\n")

    @precondition(lambda self: self.wire is not None)
    @rule(n=NUMBERS, count=LINE_COUNTS)
    def top(self, n: int, count: int) -> None:
        problem = self.number_problem(n)
        expected = problem or b"+OK top of message follows\r\n" + stuffed(self.snapshot[n - 1].top(count)) + b".\r\n"
        self.valid(f"TOP {n} {count}", expected)

    @precondition(lambda self: self.wire is not None)
    @rule(n=NUMBERS)
    def dele(self, n: int) -> None:
        problem = self.number_problem(n)
        self.valid(f"DELE {n}", problem or b"+OK message marked for delete - will be deleted on QUIT\r\n")
        if problem is None:
            self.deleted.add(n)

    @precondition(lambda self: self.wire is not None)
    @rule()
    def rset(self) -> None:
        self.deleted.clear()
        self.valid("RSET", f"+OK maildrop has {self.totals()}\r\n".encode())

    @precondition(lambda self: self.wire is not None)
    @rule()
    def noop(self) -> None:
        self.valid("NOOP", b"+OK\r\n")

    @precondition(lambda self: self.wire is not None)
    @rule(line=st.sampled_from(["BOGUS", "USER alice", "RETR", "STAT 1", "TOP 1", "LIST 1 2"]))
    def bad_command(self, line: str) -> None:
        assert self.wire is not None
        self.bad += 1
        exchange = self.wire.cmd(line)
        assert exchange.data.startswith(b"-ERR ")
        if self.bad < 20:
            assert not exchange.of(fx.Close)
            return
        assert exchange.data.endswith(b"; too many bad commands, closing connection\r\n")
        assert exchange.effects[-1] == fx.Close()
        self.wire = None

    @invariant()
    def lock_held_exactly_while_in_a_session(self) -> None:
        assert self.store.is_locked(ALICE) == (self.wire is not None)

    @invariant()
    def store_holds_the_model(self) -> None:
        assert list(self.store.stored(ALICE)) == [m.uid for m in self.stored]


MaildropMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestMaildrop = MaildropMachine.TestCase


def test_the_model_starts_where_the_store_does() -> None:
    assert [m.wire for m in initial_model()] == list(ALICE_WIRE)
    assert len(ALICE_STORED) == len(initial_model())


# ---- random bytes ------------------------------------------------------------------------------------------

FRAGMENTS = [
    b"USER alice\r\n",
    b"PASS wonder land\r\n",
    b"AUTH PLAIN\r\n",
    b"AUTH LOGIN\r\n",
    b"AUTH CRAM-MD5\r\n",
    b"APOP alice 00\r\n",
    b"STLS\r\n",
    b"CAPA\r\n",
    b"LIST\r\n",
    b"RETR 2\r\n",
    b"TOP 2 1\r\n",
    b"DELE 1\r\n",
    b"UIDL\r\n",
    b"*\r\n",
    b"=\r\n",
    b"\r\n",
    b"\n",
    b"\r",
    b".\r\n",
    b"+OK\r\n",
    b"-ERR\r\n",
    b"+ \r\n",
    b"QUIT\r\n",
]
CHUNKS = st.lists(st.one_of(st.binary(max_size=300), st.sampled_from(FRAGMENTS)), max_size=25)


@settings(max_examples=200, deadline=None)
@given(chunks=CHUNKS, logged_in=st.booleans(), trusted=st.booleans())
def test_random_bytes_never_crash_the_server(chunks: list[bytes], logged_in: bool, trusted: bool) -> None:
    store = make_store()
    server = ServerConnection(store, ServerConfig(tls_available=True, apop=True), peer_trusted=trusted)
    effects = server.greeting()
    if logged_in:
        effects += server.receive_data(b"USER alice\r\nPASS wonder land\r\n")
    for chunk in chunks:
        new = server.receive_data(chunk)
        if fx.StartTLS() in new:
            server.tls_started()
        effects += new
        assert server._lines.pending < server._lines.limit
        assert server._lines.limit == (8192 if server.sasl is not None else 255)
    for effect in effects:
        if isinstance(effect, fx.Send):
            assert effect.data.endswith(b"\r\n")
            assert b"Traceback" not in effect.data and b"Error" not in effect.data
    server.connection_lost()
    assert not store.is_locked(ALICE)


@settings(max_examples=200, deadline=None)
@given(chunks=CHUNKS, sends=st.lists(st.sampled_from(FRAGMENTS), max_size=10))
def test_random_bytes_never_crash_the_client_tracker(chunks: list[bytes], sends: list[bytes]) -> None:
    client = ClientConnection()
    for index, chunk in enumerate(chunks):
        if index < len(sends):
            client.send(sends[index])
        for reply in client.receive_data(chunk):
            assert reply.raw.endswith(b"\n")
            assert reply.state_before in State and reply.state_after in State
            assert reply.body is None or reply.body_lines is not None


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.sampled_from([*FRAGMENTS, b"PASS wonder land\r\n", b"RSET\r\n", b"TOP 1 0\r\n"]), max_size=30),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=10),
    tls=st.booleans(),
)
def test_any_split_of_the_input_gives_the_same_effects(lines: list[bytes], cuts: list[int], tls: bool) -> None:
    """Pipelining (RFC 2449 §6.6): however the bytes are cut into packets, the answers are the same."""
    data = b"".join(lines)
    whole = ServerConnection(make_store(), ServerConfig(tls_available=tls)).receive_data(data)
    server = ServerConnection(make_store(), ServerConfig(tls_available=tls))
    bounds = [0, *sorted(cut for cut in cuts if cut < len(data)), len(data)]
    pieces = [effect for start, end in pairwise(bounds) for effect in server.receive_data(data[start:end])]
    assert pieces == whole
