"""Failed logins are throttled across connections, per account and per address: above a free allowance, logins
are refused unchecked with ``-ERR [LOGIN-DELAY]`` for a delay that doubles, in memory bounded in size (issue 13:
1,000 connections made 941 guesses a second against one account)."""

from __future__ import annotations

import socket

from poplab.protocol import effects as fx
from poplab.protocol.config import ServerConfig
from poplab.protocol.server import ServerConnection
from poplab.server.runner import ServerThread
from poplab.server.settings import LoginThrottle, ServerSettings
from poplab.server.throttle import Throttle
from poplab.store.memory import MemoryStore

SEED = ("wiki@example.com", "passwort_im_klartext")
SMALL = LoginThrottle(free_per_account=3, free_per_address=6, base_delay=10, max_delay=40, max_entries=4)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_delay_starts_after_the_allowance_and_doubles_up_to_its_maximum() -> None:
    clock = Clock()
    throttle = Throttle(SMALL, clock)
    waits = []
    for _ in range(7):
        throttle.failed("alice", "10.0.0.1")
        waits.append(throttle.wait("alice", "10.0.0.2"))  # the account, from another address
    assert waits == [0, 0, 0, 10, 20, 40, 40]
    clock.now += 40
    assert throttle.wait("alice", "10.0.0.2") == 0
    assert throttle.wait("ALICE", "10.0.0.1") == 0  # the address's own score is still within its allowance


def test_an_address_is_throttled_across_accounts_and_scores_fade() -> None:
    clock = Clock()
    throttle = Throttle(SMALL, clock)
    for n in range(7):
        throttle.failed(f"user{n}", "10.0.0.1")
    assert throttle.wait("someone-else", "10.0.0.1") == 10
    assert throttle.wait("someone-else", "10.0.0.9") == 0
    clock.now += 10 * SMALL.half_life  # scores halve every half-life: the address starts afresh
    throttle.failed("user0", "10.0.0.1")
    assert throttle.wait("someone-else", "10.0.0.1") == 0


def test_memory_is_bounded_the_oldest_are_forgotten() -> None:
    throttle = Throttle(SMALL, Clock())
    for n in range(100):
        throttle.failed(f"user{n}", f"10.0.{n}.1")
    assert len(throttle) == SMALL.max_entries


def test_a_held_back_login_is_not_checked_at_all() -> None:
    class Closed:
        def __init__(self) -> None:
            self.reports: list[str] = []

        def wait(self, user: str) -> float:
            return 7.2 if user == "wiki@example.com" else 0.0

        def failed(self, user: str) -> None:
            self.reports.append(f"failed {user}")

        def succeeded(self, user: str) -> None:
            self.reports.append(f"succeeded {user}")

    gate = Closed()
    conn = ServerConnection(MemoryStore.with_demo(), ServerConfig(failed_login_delay=0), gate=gate)
    conn.greeting()
    effects = conn.receive_data(b"USER wiki@example.com\r\nPASS passwort_im_klartext\r\n")  # the right password
    replies = b"".join(effect.data for effect in effects if isinstance(effect, fx.Send))
    assert replies.endswith(b"\r\n-ERR [LOGIN-DELAY] too many failed logins, try again in 8 seconds\r\n")
    assert conn.user is None and gate.reports == []
    effects = conn.receive_data(b"USER alice@example.com\r\nPASS nope\r\nPASS wonderland\r\n")
    effects += conn.receive_data(b"USER alice@example.com\r\nPASS wonderland\r\n")
    assert gate.reports == ["failed alice@example.com", "succeeded alice@example.com"]


def test_over_the_wire_guesses_from_many_connections_are_refused_unchecked() -> None:
    config = ServerConfig(failed_login_delay=0.01)
    throttle = LoginThrottle(free_per_account=3, base_delay=30)
    settings = ServerSettings(port=0, tls_port=None, protocol=config, login_throttle=throttle)
    with ServerThread(MemoryStore.with_demo(), settings) as server:
        replies = []
        for password in ["guess1", "guess2", "guess3", "guess4", SEED[1], "guess5"]:  # a connection for each
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                sock.sendall(f"USER {SEED[0]}\r\nPASS {password}\r\nQUIT\r\n".encode())
                data = b""
                while chunk := sock.recv(4096):
                    data += chunk
                replies.append(data.split(b"\r\n")[2])
    assert replies[:4] == [b"-ERR [AUTH] invalid user name or password"] * 4  # the fourth failure starts a delay
    refused = b"-ERR [LOGIN-DELAY] too many failed logins, try again in "
    assert replies[4].startswith(refused) and 0 < int(replies[4][len(refused) :].split()[0]) <= 30
    assert replies[5].startswith(refused)  # the right password above was not even checked


def test_no_throttle_without_a_failed_login_delay() -> None:
    settings = ServerSettings(protocol=ServerConfig(failed_login_delay=0))
    assert settings.effective_throttle is None
    assert ServerSettings(login_throttle=None).effective_throttle is None


def test_loopback_has_no_address_score_only_its_accounts_do() -> None:
    """A class on the teacher's machine: every tutor and notebook comes from 127.0.0.1 (or ::1)."""
    throttle = Throttle(SMALL, Clock())
    for student in range(20):  # twenty students, one typo each: more than the address allowance of 6
        throttle.failed(f"student{student}", "127.0.0.1")
        throttle.failed(f"other{student}", "::1")
    assert throttle.wait("student0", "127.0.0.1") == 0 and throttle.wait("anna", "::ffff:127.0.0.1") == 0
    for _ in range(4):
        throttle.failed("anna", "127.0.0.1")
    assert throttle.wait("anna", "127.0.0.1") > 0  # the account still counts
