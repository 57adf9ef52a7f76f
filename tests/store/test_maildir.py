"""What only the Maildir store has: files on disk that other programs read and write, restarts, the size cache."""

from __future__ import annotations

import errno
import mailbox
import os
from pathlib import Path

import pytest

from poplab.protocol.octets import wire_size
from poplab.protocol.seams import Account, MaildropLocked, MessageInfo, StoreError
from poplab.store.demo import install_demo
from poplab.store.maildir_store import MaildirStore
from poplab.store.uids import HASHED_UID_PREFIX, uid_for_key

ANN = Account("ann", "secret")


@pytest.fixture
def store(data: Path) -> MaildirStore:
    store = MaildirStore(data)
    store.add_account(ANN)
    return store


def uids_and_sizes(store: MaildirStore, name: str = "ann") -> list[MessageInfo]:
    drop = store.open_maildrop(name)
    drop.release()
    return list(drop.messages)


def test_a_restart_keeps_uids_sizes_and_order(tmp_path: Path) -> None:
    first = install_demo(tmp_path / "data")
    first.deliver("alice@example.com", b"Subject: late\n\nlate\n")
    before = uids_and_sizes(first, "alice@example.com")
    after = uids_and_sizes(MaildirStore(tmp_path / "data"), "alice@example.com")
    assert after == before and len(after) == 7


def test_uids_are_not_reused_after_a_restart(store: MaildirStore, data: Path) -> None:
    uid = store.deliver("ann", b"Subject: one\n\n")
    drop = store.open_maildrop("ann")
    drop.commit([uid])
    drop.release()
    again = MaildirStore(data).deliver("ann", b"Subject: one\n\n")
    assert again != uid
    assert [m.uid for m in uids_and_sizes(store)] == [again]


def test_the_maildir_is_readable_by_mailbox_maildir_byte_for_byte(store: MaildirStore, data: Path) -> None:
    messages = [b"Subject: lf\n\nbody\n", b"Subject: crlf\r\n\r\nbody\r\n", b"Subject: none\n\nno end"]
    uids = [store.deliver("ann", message) for message in messages]
    box = mailbox.Maildir(data / "mail" / "ann", create=False)
    assert sorted(box.keys()) == sorted(uids)
    assert {key: box.get_bytes(key) for key in box.iterkeys()} == dict(zip(uids, messages, strict=True))
    assert sorted(os.listdir(data / "mail" / "ann")) == ["cur", "new", "tmp"]
    assert os.listdir(data / "mail" / "ann" / "tmp") == []


def test_mail_dropped_in_by_others_is_seen_at_the_next_login(store: MaildirStore, data: Path) -> None:
    mine = store.deliver("ann", b"Subject: mine\n\n")
    drop = store.open_maildrop("ann")
    box = mailbox.Maildir(data / "mail" / "ann", create=False)
    theirs = box.add(b"Subject: from an MDA\n\nhello\n")
    assert [m.uid for m in drop.messages] == [mine]
    drop.release()
    assert uids_and_sizes(store) == [MessageInfo(mine, 17), MessageInfo(theirs, 31)]


def test_a_message_moved_to_cur_by_a_mail_client_keeps_its_uid(store: MaildirStore, data: Path) -> None:
    uid = store.deliver("ann", b"Subject: read me\n\n")
    drop = store.open_maildrop("ann")
    box = mailbox.Maildir(data / "mail" / "ann", create=False)
    message = box[uid]
    message.set_subdir("cur")
    message.add_flag("S")
    box[uid] = message  # as mutt does when the message is read: new/KEY becomes cur/KEY:2,S
    assert os.listdir(data / "mail" / "ann" / "cur") == [f"{uid}:2,S"]
    assert drop.content(uid) == b"Subject: read me\n\n"  # found again although the file moved
    drop.commit([uid])
    drop.release()
    assert os.listdir(data / "mail" / "ann" / "cur") == []


@pytest.mark.parametrize("key", ["k" * 71, "schlüssel.M1P2Q3.host", "with space"])
def test_a_key_that_is_no_valid_uid_gets_a_stable_hash(store: MaildirStore, data: Path, key: str) -> None:
    (data / "mail" / "ann" / "new" / key).write_bytes(b"Subject: odd name\n\n")
    (info,) = uids_and_sizes(store)
    assert info.uid == uid_for_key(key) and info.uid.startswith(HASHED_UID_PREFIX) and len(info.uid) == 45
    assert uids_and_sizes(MaildirStore(data)) == [info]
    drop = store.open_maildrop("ann")
    assert drop.content(info.uid) == b"Subject: odd name\n\n"
    drop.commit([info.uid])
    drop.release()
    assert not (data / "mail" / "ann" / "new" / key).exists()


def test_files_that_are_not_messages_are_ignored(store: MaildirStore, data: Path) -> None:
    (data / "mail" / "ann" / "new" / ".hidden").write_bytes(b"Subject: x\n\n")
    (data / "mail" / "ann" / "cur" / "a-directory").mkdir()
    (data / "mail" / "ann" / "tmp" / "in-progress").write_bytes(b"Subject: x\n\n")
    assert uids_and_sizes(store) == []


def test_a_login_reads_only_new_or_changed_files(
    store: MaildirStore, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = store.deliver("ann", b"Subject: 1\n\n"), store.deliver("ann", b"Subject: 2\n\n")
    sized: list[bytes] = []

    def counting_wire_size(data: bytes) -> int:
        sized.append(data)
        return wire_size(data)

    monkeypatch.setattr("poplab.store.maildir_index.wire_size", counting_wire_size)
    uids_and_sizes(store)
    assert len(sized) == 2
    uids_and_sizes(store)
    assert len(sized) == 2  # nothing changed, nothing read
    (data / "mail" / "ann" / "new" / second).write_bytes(b"Subject: 2 changed\n\n")
    assert uids_and_sizes(store) == [MessageInfo(first, 14), MessageInfo(second, 22)]
    assert sized[2:] == [b"Subject: 2 changed\n\n"]


def test_a_disk_error_in_commit_is_a_store_error(store: MaildirStore, monkeypatch: pytest.MonkeyPatch) -> None:
    uid = store.deliver("ann", b"Subject: 1\n\n")
    drop = store.open_maildrop("ann")

    def broken_remove(path: str) -> None:
        raise OSError(errno.EIO, "Input/output error", path)

    monkeypatch.setattr(os, "remove", broken_remove)  # what mailbox.Maildir.discard calls
    with pytest.raises(StoreError, match="Input/output error"):
        drop.commit([uid])
    monkeypatch.undo()
    drop.release()
    assert list(store.stored("ann")) == [uid]


def test_the_lock_is_shared_by_stores_over_the_same_directory(store: MaildirStore, data: Path) -> None:
    drop = store.open_maildrop("ann")
    other = MaildirStore(data)
    assert other.is_locked("ann")
    with pytest.raises(MaildropLocked):
        other.open_maildrop("ann")
    with pytest.raises(MaildropLocked, match="in use"):
        other.remove_account("ann")
    drop.release()
    other.open_maildrop("ann").release()


def test_an_account_without_a_maildir_gets_an_empty_one_at_login(store: MaildirStore, data: Path) -> None:
    text = (data / "accounts.toml").read_text(encoding="utf-8")
    (data / "accounts.toml").write_text(text + '\n[accounts.new]\npassword = "pw"\n', encoding="utf-8")
    assert uids_and_sizes(store, "new") == []
    assert sorted(os.listdir(data / "mail" / "new")) == ["cur", "new", "tmp"]


def test_removing_an_account_removes_its_maildir(store: MaildirStore, data: Path) -> None:
    store.deliver("ann", b"Subject: 1\n\n")
    store.remove_account("ann")
    assert not (data / "mail" / "ann").exists()
    assert store.accounts() == []
    assert MaildirStore(data).accounts() == []
