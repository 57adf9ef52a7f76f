"""UIDs from Maildir keys (RFC 1939 §7: 1-70 characters in 0x21-0x7E) and delivery order, for arbitrary keys."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from poplab.store.maildir_store import MaildirStore
from poplab.store.uids import HASHED_UID_PREFIX, delivery_order, is_valid_uid, uid_for_key

PRINTABLE = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=70)
FILE_NAMES = st.text(
    st.characters(blacklist_characters="/:\x00", blacklist_categories=["Cs"]), min_size=1, max_size=100
).filter(lambda name: not name.startswith(".") and len(name.encode("utf-8")) <= 200)


@given(st.text())
def test_every_key_gets_a_valid_stable_uid(key: str) -> None:
    uid = uid_for_key(key)
    assert is_valid_uid(uid)
    assert uid == uid_for_key(key)
    assert (uid == key) == is_valid_uid(key)
    assert uid == key or uid.startswith(HASHED_UID_PREFIX)


@given(PRINTABLE)
def test_a_valid_key_is_its_own_uid(key: str) -> None:
    assert uid_for_key(key) == key


@given(st.sets(st.text(), min_size=2, max_size=20))
def test_distinct_keys_get_distinct_uids(keys: set[str]) -> None:
    assert len({uid_for_key(key) for key in keys}) == len(keys)


def test_uid_validity_at_the_edges() -> None:
    assert is_valid_uid("!") and is_valid_uid("~" * 70)
    assert not is_valid_uid("") and not is_valid_uid("x" * 71)
    assert not is_valid_uid("a b") and not is_valid_uid("a\x7f") and not is_valid_uid("ä")


@given(st.lists(st.tuples(st.integers(0, 2**40), st.integers(0, 999_999), st.integers(1, 10**6)), unique=True))
def test_stdlib_keys_sort_by_delivery_time(times: list[tuple[int, int, int]]) -> None:
    keys = [f"{secs}.M{usec}P4242Q{counter}.host" for secs, usec, counter in times]
    ordered = sorted(keys, key=lambda key: delivery_order(key, 0))
    assert [tuple(int(part) for part in _numbers(key)) for key in ordered] == sorted(times)


def _numbers(key: str) -> tuple[str, str, str]:
    secs, rest = key.split(".M", 1)
    usec, rest = rest.split("P", 1)
    return secs, usec, rest.split("Q", 1)[1].split(".", 1)[0]


def test_keys_without_a_time_sort_by_file_time_then_key() -> None:
    mtimes = {"b": 1_000_000_000, "a": 2_000_000_000, "c": 2_000_000_000, "d": 1_500_000_000}
    assert sorted(mtimes, key=lambda key: delivery_order(key, mtimes[key])) == ["b", "d", "a", "c"]
    assert delivery_order("no-time", 1_234_567_891_000) == (1234, 567891, 0, "no-time")


@settings(max_examples=40, deadline=None)
@given(st.lists(FILE_NAMES, min_size=1, max_size=5, unique_by=lambda name: name))
def test_any_file_in_a_maildir_gets_a_valid_uid_that_survives_a_restart(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        data = Path(temp)
        (data / "accounts.toml").write_text('[accounts.ann]\npassword = "pw"\n', encoding="utf-8")
        os.makedirs(data / "mail" / "ann" / "new")
        for name in names:
            (data / "mail" / "ann" / "new" / name).write_bytes(b"Subject: " + name.encode() + b"\n\n")
        drop = MaildirStore(data).open_maildrop("ann")
        drop.release()
        assert sorted(m.uid for m in drop.messages) == sorted(uid_for_key(name) for name in names)
        assert all(is_valid_uid(m.uid) for m in drop.messages)
        again = MaildirStore(data).open_maildrop("ann")
        again.release()
        assert again.messages == drop.messages
