"""The AccountStore seam and the store protocol, the same assertions over the memory and the Maildir store."""

from __future__ import annotations

import threading

import pytest

from poplab.protocol.octets import to_crlf
from poplab.protocol.seams import Account, MaildropLocked, MessageInfo, StoreError
from poplab.store.api import BadMessage, DuplicateAccount, ManagedStore, UnknownAccount
from poplab.store.uids import is_valid_uid

SEED_UID = "1098065505.M1P0Q1.poplab-demo"
SEED_WIRE = (
    b"Date: Mon, 18 Oct 2004 04:11:45 +0200\r\n"
    b"From: Someone <me@example.com>\r\n"
    b"To: wiki@example.com\r\n"
    b"Subject: Test-E-Mail\r\n"
    b"Content-Type: text/plain; charset=us-ascii; format=flowed\r\n"
    b"Content-Transfer-Encoding: 7bit\r\n"
    b"\r\n"
    b"Dies ist eine Test-E-Mail\r\n"
)
ANN = Account("ann", "secret")


def with_ann(store: ManagedStore, *messages: bytes) -> list[str]:
    store.add_account(ANN)
    return [store.deliver(ANN.name, message) for message in messages]


def test_seed_message_is_236_octets_with_a_fixed_uid(demo: ManagedStore) -> None:
    drop = demo.open_maildrop("wiki@example.com")
    assert list(drop.messages) == [MessageInfo(SEED_UID, 236)]
    assert len(SEED_WIRE) == 236
    assert drop.content(SEED_UID) == SEED_WIRE.replace(b"\r\n", b"\n")  # stored with LF, as a Maildir holds it
    assert to_crlf(drop.content(SEED_UID)) == SEED_WIRE
    drop.release()


def test_a_second_open_is_refused_until_release(store: ManagedStore) -> None:
    with_ann(store, b"Subject: a\n\nx\n")
    first = store.open_maildrop("ann")
    assert store.is_locked("ann")
    with pytest.raises(MaildropLocked):
        store.open_maildrop("ann")
    first.release()
    assert not store.is_locked("ann")
    second = store.open_maildrop("ann")
    first.release()  # idempotent: the old session must not release the new session's lock
    assert store.is_locked("ann")
    with pytest.raises(MaildropLocked):
        store.open_maildrop("ann")
    second.release()
    second.release()
    assert not store.is_locked("ann")


def test_locks_are_per_account(store: ManagedStore) -> None:
    with_ann(store)
    store.add_account(Account("bea", "pw"))
    ann = store.open_maildrop("ann")
    bea = store.open_maildrop("bea")
    assert (store.is_locked("ann"), store.is_locked("bea")) == (True, True)
    ann.release()
    bea.release()


def test_opening_an_unknown_maildrop_is_a_store_error(store: ManagedStore) -> None:
    with pytest.raises(StoreError):
        store.open_maildrop("nobody")
    assert store.account("nobody") is None


def test_the_snapshot_is_taken_at_login(store: ManagedStore) -> None:
    first, second = with_ann(store, b"Subject: 1\n\none\n", b"Subject: 2\n\ntwo\n")
    drop = store.open_maildrop("ann")
    late = store.deliver("ann", b"Subject: 3\n\nthree\n")
    assert [m.uid for m in drop.messages] == [first, second]
    drop.release()
    again = store.open_maildrop("ann")
    assert [m.uid for m in again.messages] == [first, second, late]
    assert again.content(late) == b"Subject: 3\n\nthree\n"
    again.release()


def test_commit_removes_exactly_the_given_uids(store: ManagedStore) -> None:
    uids = with_ann(store, b"Subject: 1\n\n1\n", b"Subject: 2\n\n2\n", b"Subject: 3\n\n3\n", b"Subject: 4\n\n4\n")
    drop = store.open_maildrop("ann")
    drop.commit([uids[1], uids[3]])
    drop.release()
    assert list(store.stored("ann")) == [uids[0], uids[2]]
    assert store.stored("ann")[uids[2]] == b"Subject: 3\n\n3\n"


def test_commit_of_a_message_already_gone_is_no_error(store: ManagedStore) -> None:
    uids = with_ann(store, b"Subject: 1\n\n1\n", b"Subject: 2\n\n2\n")
    drop = store.open_maildrop("ann")
    store.clear("ann")  # someone else removed everything meanwhile
    drop.commit(uids)
    drop.release()
    assert store.stored("ann") == {}


def test_content_of_a_message_removed_meanwhile_is_a_store_error(store: ManagedStore) -> None:
    (uid,) = with_ann(store, b"Subject: 1\n\n1\n")
    drop = store.open_maildrop("ann")
    store.clear("ann")
    with pytest.raises(StoreError):
        drop.content(uid)
    with pytest.raises(KeyError):
        drop.content("not-in-the-snapshot")
    drop.release()


@pytest.mark.parametrize(
    ("stored", "octets"),
    [
        (b"Subject: x\n\nline\n", 20),  # 3 LF become 3 CRLF
        (b"Subject: x\r\n\r\nline\r\n", 20),
        (b"Subject: x\n\r\nline", 20),  # mixed, and the missing last line end counts too
        (b"Subject: x\n\n.\n..\n", 21),  # dots are counted once: stuffing is not part of the size
    ],
)
def test_sizes_count_every_line_end_as_crlf(store: ManagedStore, stored: bytes, octets: int) -> None:
    (uid,) = with_ann(store, stored)
    drop = store.open_maildrop("ann")
    assert list(drop.messages) == [MessageInfo(uid, octets)]
    assert drop.content(uid) == stored
    assert store.mailbox_stats("ann") == (1, octets)
    drop.release()


def test_uids_are_valid_distinct_and_never_reused(store: ManagedStore) -> None:
    same = b"Subject: same\n\nsame\n"
    uids = with_ann(store, same, same, same)
    drop = store.open_maildrop("ann")
    drop.commit(uids)
    drop.release()
    later = [store.deliver("ann", same) for _ in range(3)]
    assert all(is_valid_uid(uid) for uid in uids + later)
    assert len(set(uids + later)) == 6


def test_a_chosen_uid_is_kept_and_must_be_new_and_valid(store: ManagedStore) -> None:
    with_ann(store)
    assert store.deliver("ann", b"Subject: a\n\n", uid="my-uid-1") == "my-uid-1"
    with pytest.raises(BadMessage, match="exists already"):
        store.deliver("ann", b"Subject: b\n\n", uid="my-uid-1")
    for bad in ("", "with space", "x" * 71, "ümlaut", "a/b", "a:2,S", ".dot"):
        with pytest.raises(BadMessage, match="invalid UID"):
            store.deliver("ann", b"Subject: c\n\n", uid=bad)
    assert list(store.stored("ann")) == ["my-uid-1"]


def test_messages_keep_delivery_order(store: ManagedStore) -> None:
    uids = with_ann(store, *(f"Subject: {n}\n\n{n}\n".encode() for n in range(12)))
    drop = store.open_maildrop("ann")
    assert [m.uid for m in drop.messages] == uids
    drop.release()


def test_unknown_accounts_are_refused(store: ManagedStore) -> None:
    with pytest.raises(UnknownAccount, match="no account 'nobody'"):
        store.deliver("nobody", b"Subject: x\n\n")
    with pytest.raises(KeyError):
        store.set_account(Account("nobody", "pw"))
    with pytest.raises(UnknownAccount):
        store.remove_account("nobody")
    with pytest.raises(UnknownAccount):
        store.stored("nobody")


def test_account_settings_round_trip(store: ManagedStore) -> None:
    store.add_account(Account("ann", "pw", pop_enabled=False, apop_secret="shh"), [b"Subject: x\n\n"])
    assert store.account("ann") == Account("ann", "pw", False, "shh")
    store.set_account(Account("ann", "new"))
    assert store.accounts() == [Account("ann", "new", True, None)]
    with pytest.raises(DuplicateAccount):
        store.add_account(Account("ANN", "pw"))
    assert store.mailbox_stats("ann") == (1, 14)


def test_only_one_of_many_threads_gets_the_maildrop(store: ManagedStore) -> None:
    with_ann(store, b"Subject: x\n\n")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def login() -> None:
        barrier.wait()
        try:
            store.open_maildrop("ann")
            outcomes.append("opened")
        except MaildropLocked:
            outcomes.append("locked")

    threads = [threading.Thread(target=login) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["locked"] * 7 + ["opened"]


def test_deliveries_from_many_threads_all_arrive(store: ManagedStore) -> None:
    with_ann(store)
    uids: list[str] = []

    def deliver(thread: int) -> None:
        for n in range(10):
            uids.append(store.deliver("ann", f"Subject: {thread}-{n}\n\n".encode()))

    threads = [threading.Thread(target=deliver, args=(t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(uids)) == 60
    assert set(store.stored("ann")) == set(uids)
