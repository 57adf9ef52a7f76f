"""The core holds pipelined lines back after a failed login (so the delay slows guessing down) and once about
1 MB of replies is produced ahead of the adapter (so a client that never reads cannot fill the server's memory);
``resume`` goes on exactly where it stopped. Too many failed logins close the connection."""

from __future__ import annotations

from poplab.protocol import effects as fx
from poplab.protocol.config import ServerConfig
from poplab.protocol.limits import OUTPUT_AHEAD
from poplab.protocol.seams import Account
from poplab.protocol.server import ServerConnection
from poplab.store.memory import MemoryStore

WRONG = b"-ERR [AUTH] invalid user name or password\r\n"


def sent(effects: list[fx.Effect]) -> bytes:
    return b"".join(effect.data for effect in effects if isinstance(effect, fx.Send))


def connection(*messages: bytes, delay: float = 1.0) -> ServerConnection:
    store = MemoryStore()
    store.add_account(Account("u", "p"), messages)
    conn = ServerConnection(store, ServerConfig(failed_login_delay=delay))
    conn.greeting()
    return conn


def test_a_failed_login_holds_the_next_guesses_back_until_resume() -> None:
    conn = connection(b"Subject: x\n\nx\n")
    effects = conn.receive_data(b"USER u\r\nPASS wrong\r\nUSER u\r\nPASS p\r\nSTAT\r\n")
    assert sent(effects) == b"+OK Please enter password\r\n" + WRONG
    assert [e for e in effects if isinstance(e, fx.Delay)] == [fx.Delay(1.0)]
    assert conn.held
    assert conn.receive_data(b"NOOP\r\n") == []  # still held: more input only waits
    assert sent(conn.resume()) == b"+OK Please enter password\r\n+OK mailbox locked and ready\r\n+OK 1 17\r\n+OK\r\n"
    assert not conn.held


def test_without_a_delay_nothing_is_held() -> None:
    conn = connection(delay=0)
    assert sent(conn.receive_data(b"USER u\r\nPASS wrong\r\nNOOP\r\n")).endswith(
        WRONG + b"-ERR command not valid in this state\r\n"
    )
    assert not conn.held


def test_the_fifth_failed_login_closes_the_connection() -> None:
    conn = connection(delay=0)
    effects = conn.receive_data(b"USER u\r\nPASS wrong\r\n" * 6)
    closing = b"-ERR [AUTH] invalid user name or password; too many failed logins, closing connection\r\n"
    assert sent(effects) == (b"+OK Please enter password\r\n" + WRONG) * 4 + b"+OK Please enter password\r\n" + closing
    assert isinstance(effects[-1], fx.Close) and conn.closed


def test_replies_are_produced_at_most_about_one_megabyte_ahead() -> None:
    big = b"Subject: big\n\n" + b"x" * 70 + b"\n" * 1
    message = big + (b"y" * 78 + b"\n") * 8000  # about 640 KB on the wire
    conn = connection(message)
    conn.receive_data(b"USER u\r\nPASS p\r\n")
    effects = conn.receive_data(b"RETR 1\r\n" * 6)
    first = sent(effects)
    assert conn.held and OUTPUT_AHEAD <= len(first) < OUTPUT_AHEAD + 700_000  # two RETRs, then held
    rest = b""
    while conn.held:
        rest += sent(conn.resume())
    assert (first + rest).count(b"+OK message follows\r\n") == 6
