"""The administration API over both stores: listing, adding, switching POP3, removing, delivering, resetting."""

from __future__ import annotations

import pytest

from poplab.protocol.seams import Account, MaildropLocked
from poplab.store import admin
from poplab.store.admin import AccountSummary
from poplab.store.api import BadAccountName, BadMessage, DuplicateAccount, ManagedStore, UnknownAccount


def test_list_accounts_with_counts_and_octets(demo: ManagedStore) -> None:
    listing = admin.list_accounts(demo)
    assert [s.name for s in listing] == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dave@example.com",
        "mrose@example.com",
        "wiki@example.com",
    ]
    assert listing[1] == AccountSummary("bob@example.com", True, False, 0, 0)
    assert listing[4].apop_secret and not listing[0].apop_secret
    assert listing[5] == AccountSummary("wiki@example.com", True, False, 1, 236)
    assert listing[3].messages == 2 and listing[3].octets > 3_000_000


def test_list_accounts_filtered_by_pop_enabled(demo: ManagedStore) -> None:
    assert [s.name for s in admin.list_accounts(demo, pop_enabled=False)] == ["carol@example.com"]
    assert len(admin.list_accounts(demo, pop_enabled=True)) == 5


def test_add_account(store: ManagedStore) -> None:
    added = admin.add_account(store, "ann@example.com", "pw", pop_enabled=False, apop_secret="shh")
    assert added == Account("ann@example.com", "pw", False, "shh")
    assert store.account("ann@example.com") == added
    assert admin.list_accounts(store) == [AccountSummary("ann@example.com", False, True, 0, 0)]


@pytest.mark.parametrize("name", ["ann@example.com", "ANN@example.com"])
def test_add_account_refuses_duplicates_ignoring_case(store: ManagedStore, name: str) -> None:
    admin.add_account(store, "ann@example.com", "pw")
    with pytest.raises(DuplicateAccount, match=r"account 'ann@example\.com' exists already"):
        admin.add_account(store, name, "other")
    assert store.accounts() == [Account("ann@example.com", "pw")]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "it is empty"),
        ("a/b", "it must not contain '/' or '\\'"),
        ("..", "it must not begin with '.'"),
        (".hidden", "it must not begin with '.'"),
        ("nul\x00byte", "it must not contain control characters"),
        ("new\nline", "it must not contain control characters"),
        ("bell\x07", "it must not contain control characters"),
        ("with space", "it must not contain spaces"),
        ("x" * 201, "it is longer than 200 octets"),
    ],
)
def test_add_account_refuses_bad_names(store: ManagedStore, name: str, why: str) -> None:
    with pytest.raises(BadAccountName) as caught:
        admin.add_account(store, name, "pw")
    assert str(caught.value) == f"invalid account name {name!r}: {why}"
    assert store.accounts() == []


def test_set_pop_enabled(demo: ManagedStore) -> None:
    assert admin.set_pop_enabled(demo, "carol@example.com", True) == Account("carol@example.com", "carol123")
    assert demo.account("carol@example.com") == Account("carol@example.com", "carol123", True)
    admin.set_pop_enabled(demo, "wiki@example.com", False)
    assert [s.name for s in admin.list_accounts(demo, pop_enabled=False)] == ["wiki@example.com"]
    with pytest.raises(UnknownAccount, match="no account 'nobody'"):
        admin.set_pop_enabled(demo, "nobody", True)


def test_remove_account(demo: ManagedStore) -> None:
    admin.remove_account(demo, "alice@example.com")
    assert demo.account("alice@example.com") is None
    assert "alice@example.com" not in [s.name for s in admin.list_accounts(demo)]
    with pytest.raises(UnknownAccount):
        admin.remove_account(demo, "alice@example.com")
    admin.add_account(demo, "alice@example.com", "again")  # the name is free again, with an empty mailbox
    assert demo.mailbox_stats("alice@example.com") == (0, 0)


def test_remove_account_is_refused_while_a_session_has_it(demo: ManagedStore) -> None:
    drop = demo.open_maildrop("wiki@example.com")
    with pytest.raises(MaildropLocked):
        admin.remove_account(demo, "wiki@example.com")
    drop.release()
    admin.remove_account(demo, "wiki@example.com")


def test_deliver_appends_a_checked_message(demo: ManagedStore) -> None:
    before = list(demo.stored("wiki@example.com"))
    uid = admin.deliver(demo, "wiki@example.com", b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n")
    assert list(demo.stored("wiki@example.com")) == [*before, uid]
    assert demo.stored("wiki@example.com")[uid] == b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n"


def test_deliver_with_replace_empties_the_mailbox_first(demo: ManagedStore) -> None:
    uid = admin.deliver(demo, "alice@example.com", b"Subject: only\n\nnow\n", replace=True)
    assert demo.stored("alice@example.com") == {uid: b"Subject: only\n\nnow\n"}


def test_deliver_to_an_unknown_account(store: ManagedStore) -> None:
    with pytest.raises(UnknownAccount, match="no account 'nobody'"):
        admin.deliver(store, "nobody", b"Subject: x\n\n")


@pytest.mark.parametrize(
    "message",
    [
        b"Subject: header only",
        b"Subject: header only\n",
        b"Subject: folded\n  over two lines\n\tand three\nX-Empty:\n\nbody\n",
        b"Received: from a (a [127.0.0.1])\r\n\tby b; Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: x\r\n\r\n",
    ],
)
def test_deliver_accepts_messages(store: ManagedStore, message: bytes) -> None:
    admin.add_account(store, "ann", "pw")
    uid = admin.deliver(store, "ann", message)
    assert store.stored("ann") == {uid: message}


@pytest.mark.parametrize(
    ("message", "why"),
    [
        (b"", "it is empty"),
        (b" \r\n\n", "it is empty"),
        (b"\nbody without headers\n", "it begins with a blank line, so it has no header fields"),
        (b"Hello world\n", "header line 1 is not 'Name: value': 'Hello world'"),
        (b"From alice Mon Jan  1 00:00:00 2024\nSubject: x\n\n", "header line 1 is not 'Name: value': "),
        (b"  indented: first\n\n", "header line 1 is not 'Name: value': '  indented: first'"),
        (b"Subject: ok\nno colon here\n\nbody\n", "header line 2 is not 'Name: value': 'no colon here'"),
        (b": no name\n\n", "header line 1 is not 'Name: value': ': no name'"),
    ],
)
def test_deliver_refuses_what_is_not_a_message(store: ManagedStore, message: bytes, why: str) -> None:
    admin.add_account(store, "ann", "pw")
    with pytest.raises(BadMessage) as caught:
        admin.deliver(store, "ann", message, replace=True)
    assert str(caught.value).startswith(f"not a mail message: {why}")
    assert "\n" not in str(caught.value)
    assert store.stored("ann") == {}


def test_reset_demo_through_the_admin_api(demo: ManagedStore) -> None:
    before = demo.stored("alice@example.com")
    admin.deliver(demo, "alice@example.com", b"Subject: x\n\n", replace=True)
    admin.set_pop_enabled(demo, "carol@example.com", True)
    admin.reset_demo(demo)
    assert demo.stored("alice@example.com") == before
    assert demo.account("carol@example.com") == Account("carol@example.com", "carol123", False)
