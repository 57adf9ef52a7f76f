"""Issue 13, defect 13 (store side): a message can be read in pieces (RETR) or only as far as TOP needs, so a large
message is never held at once, and a login to a large maildrop lists it from a cache."""

from __future__ import annotations

import hashlib
import io
import os
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poplab.protocol.octets import line_chunks, stuff, to_crlf, top
from poplab.protocol.seams import Account
from poplab.store import maildir, maildir_index
from poplab.store.maildir_store import MaildirMaildrop, MaildirStore
from poplab.store.memory import MemoryStore
from poplab.store.message_file import iter_chunks, read_head

MB = 1024 * 1024
BIG = 50 * MB
LINE = b"x" * 69 + b"\n"

messages = st.lists(st.sampled_from([b"a", b".", b"\r", b"\n", b"\r\n", b"Subject: s", b"  "]), max_size=40).map(
    b"".join
)


@settings(max_examples=300, deadline=None)
@given(data=messages, size=st.integers(1, 12))
def test_pieces_are_cut_as_line_chunks_cuts_the_whole(data: bytes, size: int) -> None:
    assert list(iter_chunks(io.BytesIO(data), size)) == list(line_chunks(data, size))


@settings(max_examples=300, deadline=None)
@given(data=messages, lines=st.integers(0, 5), size=st.integers(1, 12))
def test_the_head_gives_what_top_gives_of_the_whole(data: bytes, lines: int, size: int) -> None:
    head = read_head(io.BytesIO(data), lines, size)
    assert data.startswith(head)
    assert top(to_crlf(head), lines) == top(to_crlf(data), lines)


def peak_of(work: Callable[[], object]) -> tuple[int, float]:
    """Peak traced memory in octets and the time of ``work``."""
    tracemalloc.start()
    try:
        began = time.perf_counter()
        work()
        return tracemalloc.get_traced_memory()[1], time.perf_counter() - began
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MaildirStore, Path]]:
    """A maildrop with one generated 50 MB message (lines of 70 octets, some beginning with '.')."""
    data = tmp_path_factory.mktemp("big") / "data"
    data.mkdir()
    (data / "accounts.toml").write_text("", encoding="utf-8")
    store = MaildirStore(data)
    store.add_account(Account("big", "pw"))
    path = store.maildir_path("big") / "new" / "1700000000.M1P1Q1.big"
    block = (LINE * 99 + b"." + LINE) * (MB // len(LINE) // 100)
    with open(path, "wb") as file:
        file.write(b"Subject: big\nFrom: gen@example.com\n\nfirst line\nsecond line\n")
        while file.tell() < BIG:
            file.write(block)
    yield store, path
    path.unlink()


def test_a_50_mb_message_is_sized_and_streamed_in_bounded_memory(big: tuple[MaildirStore, Path]) -> None:
    store, path = big
    opened: list[MaildirMaildrop] = []
    peak, _ = peak_of(lambda: opened.append(store.open_maildrop("big")))  # the first login sizes the file
    drop = opened[0]
    try:
        assert peak < 8 * MB  # was: the whole file and its CRLF copy (> 100 MB)
        (info,) = drop.messages
        assert info.size == os.path.getsize(path) + line_ends(path)
        digest = hashlib.sha256()
        sent = 0

        def stream() -> None:
            nonlocal sent
            for piece in drop.iter_content(info.uid):
                digest.update(piece)
                sent += len(stuff(to_crlf(piece)))  # what the server does with each piece

        peak, _ = peak_of(stream)
        assert peak < 2 * MB  # was: content() holds all 50 MB
        assert digest.hexdigest() == file_digest(path)
        assert sent > info.size  # the stuffed dots come on top of the size as sent
    finally:
        drop.release()


def test_top_of_a_50_mb_message_reads_only_its_start(big: tuple[MaildirStore, Path]) -> None:
    store, _ = big
    drop = store.open_maildrop("big")
    try:
        uid = drop.messages[0].uid
        heads: list[bytes] = []
        peak, _ = peak_of(lambda: heads.append(drop.head(uid, 0)))
        assert heads == [b"Subject: big\nFrom: gen@example.com\n\n"]
        assert peak < MB  # was: the whole file read and converted (0.5 s and 100 MB for 200 MB)
        assert drop.head(uid, 2) == b"Subject: big\nFrom: gen@example.com\n\nfirst line\nsecond line\n"
    finally:
        drop.release()


def line_ends(path: Path) -> int:
    with open(path, "rb") as file:
        return sum(block.count(b"\n") for block in iter(lambda: file.read(MB), b""))


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(MB), b""):
            digest.update(block)
    return digest.hexdigest()


def test_the_memory_store_offers_the_same_reading() -> None:
    store = MemoryStore()
    store.add_account(Account("ann", "pw"), [b"Subject: a\r\n\r\n1\r\n.2\r\n3\r\n"])
    drop = store.open_maildrop("ann")
    uid = drop.messages[0].uid
    assert list(drop.iter_content(uid, 8)) == list(line_chunks(drop.content(uid), 8))
    assert drop.head(uid, 1) == b"Subject: a\r\n\r\n1\r\n"
    drop.release()


def test_a_settled_maildir_is_listed_from_the_cache(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = MaildirStore(data)
    store.add_account(Account("ann", "pw"), [b"Subject: 1\n\n", b"Subject: 2\n\n"])
    listings: list[Path] = []
    real_listing = maildir.list_entries

    def counting(root: Path) -> list[maildir.Entry]:
        listings.append(root)
        return real_listing(root)

    monkeypatch.setattr(maildir_index.maildir, "list_entries", counting)
    first = store.open_maildrop("ann")
    first.release()
    store.open_maildrop("ann").release()
    assert len(listings) == 2  # changed in the last two seconds: listed again, to be sure
    settled = time.time() - 10
    for sub in ("new", "cur"):
        os.utime(store.maildir_path("ann") / sub, (settled, settled))
    store.open_maildrop("ann").release()
    again = store.open_maildrop("ann")
    again.release()
    assert len(listings) == 3 and again.messages == first.messages  # listed once after settling, then cached
    store.deliver("ann", b"Subject: 3\n\n")  # the directory changes
    drop = store.open_maildrop("ann")
    drop.release()
    assert len(listings) == 4 and len(drop.messages) == 3
