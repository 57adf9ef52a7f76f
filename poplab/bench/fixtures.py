"""The bench mailboxes: accounts ``bench{n}@example.com`` / ``bench`` with five messages of realistic sizes
(1–50 KB), and accounts ``large{n}@example.com`` / ``bench`` with one 2 MB message for the RETR mode.

Messages are stored with bare LF line ends, as a Maildir on disk holds them, so every server under test does
the same CRLF conversion. The bytes are made deterministically, so two servers built from these fixtures in
two processes serve exactly the same mailboxes. Stores are filled through :func:`fill`, which takes any object
with ``add_account(account, messages)`` (e.g. ``poplab.store.memory.MemoryStore``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Protocol, TypeVar

from poplab.protocol.seams import Account

BENCH_PASSWORD = "bench"
SESSION_USER = "bench{n}@example.com"
LARGE_USER = "large{n}@example.com"
MESSAGE_SIZES = (1_200, 4_000, 9_000, 22_000, 50_000)
"""Five messages per account, from a short note to a mail with a small attachment."""
LARGE_SIZE = 2 * 1024 * 1024
DEFAULT_ACCOUNTS = 64
DEFAULT_LARGE_ACCOUNTS = 4

_TEXT = (
    "the lab server answers every command with a status line and sometimes a body that ends with a dot "
    "clients pipeline commands when the capability list says so and message numbers stay fixed for a session"
)
_WORDS = tuple(_TEXT.split(" "))


@dataclass(frozen=True)
class Mailbox:
    account: Account
    messages: tuple[bytes, ...]


class AccountSink(Protocol):
    def add_account(self, account: Account, messages: Iterable[bytes] = ...) -> None: ...


S = TypeVar("S", bound=AccountSink)


def _body_lines(seed: int) -> Iterator[bytes]:
    """Prose lines of 40–76 characters; every 40th line begins with a dot, so byte-stuffing is exercised."""
    n = seed
    while True:
        n += 1
        width = 40 + (n * 7) % 36
        words: list[str] = []
        length = 0
        while length < width:
            word = _WORDS[(n * 31 + len(words) * 17) % len(_WORDS)]
            words.append(word)
            length += len(word) + 1
        line = " ".join(words)
        yield (("." + line) if n % 40 == 0 else line).encode("ascii")


def make_message(size: int, seed: int = 0, subject: str = "bench message") -> bytes:
    """A plain-text message of about ``size`` octets (LF line ends)."""
    header = (
        f"Date: Mon, 18 Oct 2004 04:11:45 +0200\n"
        f"From: Lab Bench <bench@example.com>\n"
        f"To: learner@example.com\n"
        f"Subject: {subject} {seed} ({size} octets)\n"
        f"Message-ID: <bench.{seed}.{size}@example.com>\n"
        f"MIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset=us-ascii\n"
        f"Content-Transfer-Encoding: 7bit\n\n"
    ).encode("ascii")
    parts = [header]
    total = len(header)
    for line in _body_lines(seed):
        if total >= size:
            break
        parts.append(line + b"\n")
        total += len(line) + 1
    return b"".join(parts)


@cache
def session_messages() -> tuple[bytes, ...]:
    return tuple(make_message(size, seed) for seed, size in enumerate(MESSAGE_SIZES, 1))


@cache
def large_message() -> bytes:
    return make_message(LARGE_SIZE, 99, "large message")


def mailboxes(accounts: int = DEFAULT_ACCOUNTS, large: int = DEFAULT_LARGE_ACCOUNTS) -> list[Mailbox]:
    """Every bench account with its messages (shared bytes: the same five messages in each account)."""
    boxes = [
        Mailbox(Account(SESSION_USER.format(n=n), BENCH_PASSWORD), session_messages()) for n in range(1, accounts + 1)
    ]
    boxes += [Mailbox(Account(LARGE_USER.format(n=n), BENCH_PASSWORD), (large_message(),)) for n in range(1, large + 1)]
    return boxes


def fill(store: S, accounts: int = DEFAULT_ACCOUNTS, large: int = DEFAULT_LARGE_ACCOUNTS) -> S:
    """Add the bench accounts to ``store`` (e.g. ``fill(MemoryStore())``) and return it."""
    for box in mailboxes(accounts, large):
        store.add_account(box.account, box.messages)
    return store
