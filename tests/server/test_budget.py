"""The core's share of fairness: a connection handles at most :data:`MAX_COMMANDS_PER_TURN` pipelined lines per
call and holds the rest back for the adapter's next turn, in order; USER and CAPA do not end a run of bad commands
(issue 13)."""

from __future__ import annotations

from poplab.protocol import effects as fx
from poplab.protocol.config import ServerConfig
from poplab.protocol.limits import MAX_COMMANDS_PER_TURN
from poplab.protocol.server import ServerConnection
from poplab.store.memory import MemoryStore


def sent(effects: list[fx.Effect]) -> list[bytes]:
    return [effect.data for effect in effects if isinstance(effect, fx.Send)]


def connection() -> ServerConnection:
    conn = ServerConnection(MemoryStore.with_demo(), ServerConfig(failed_login_delay=0))
    conn.greeting()
    return conn


def test_a_pipelined_flood_is_handled_a_turn_at_a_time_in_order() -> None:
    conn = connection()
    flood = b"".join(f"USER u{n}\r\n".encode() for n in range(1000))
    replies = sent(conn.receive_data(flood))
    assert len(replies) == MAX_COMMANDS_PER_TURN and conn.held
    turns = 1
    while conn.held:
        more = sent(conn.resume())
        assert len(more) <= MAX_COMMANDS_PER_TURN
        replies += more
        turns += 1
    assert replies == [b"+OK Please enter password\r\n"] * 1000
    assert turns == -(-1000 // MAX_COMMANDS_PER_TURN)


def test_user_and_capa_do_not_end_a_run_of_bad_commands() -> None:
    conn = connection()
    replies = sent(conn.receive_data(b"BAD\r\nUSER u\r\nBAD\r\nCAPA\r\nBAD\r\nUSER u\r\n"))
    assert replies[-1] == b"-ERR unknown command; too many bad commands, closing connection\r\n"
    assert conn.closed and len(replies) == 5


def test_a_login_attempt_does_end_a_run() -> None:
    conn = connection()
    replies = sent(conn.receive_data(b"BAD\r\nBAD\r\nUSER u\r\nPASS p\r\nBAD\r\nBAD\r\n"))
    assert not conn.closed and len(replies) == 6
