"""Issue 13, defect 10: a symbolic link in a Maildir is no message: not listed, never opened (RETR once served
the file it pointed to)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from poplab.protocol.seams import Account, StoreError
from poplab.store.maildir_store import MaildirStore

SECRET = b"secret: not a message of ann's\n"


@pytest.fixture
def store(data: Path) -> MaildirStore:
    store = MaildirStore(data)
    store.add_account(Account("ann", "secret"))
    return store


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "hostname"
    path.write_bytes(SECRET)
    return path


@pytest.mark.parametrize("sub, name", [("new", "1700000000.M1P1Q1.evil"), ("cur", "1700000000.M1P1Q2.evil:2,S")])
def test_a_link_in_new_or_cur_is_skipped_and_logged(
    store: MaildirStore, data: Path, secret: Path, sub: str, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    uid = store.deliver("ann", b"Subject: real\n\n")
    os.symlink(secret, data / "mail" / "ann" / sub / name)
    with caplog.at_level(logging.WARNING, logger="poplab.store.maildir"):
        drop = store.open_maildrop("ann")
    try:
        assert [info.uid for info in drop.messages] == [uid]
        assert drop.content(uid) == b"Subject: real\n\n"
    finally:
        drop.release()
    assert store.mailbox_stats("ann") == (1, 17)
    assert store.stored("ann") == {uid: b"Subject: real\n\n"}
    assert f"{name} is a symbolic link, not a message: ignored" in caplog.text


def test_a_message_replaced_by_a_link_after_login_is_not_followed(
    store: MaildirStore, data: Path, secret: Path
) -> None:
    uid = store.deliver("ann", b"Subject: real\n\nreal\n")
    drop = store.open_maildrop("ann")
    path = data / "mail" / "ann" / "new" / uid
    path.unlink()
    os.symlink(secret, path)
    try:
        for read in (lambda: drop.content(uid), lambda: drop.head(uid, 0), lambda: b"".join(drop.iter_content(uid))):
            with pytest.raises(StoreError, match="cannot read message"):
                read()
    finally:
        drop.release()
