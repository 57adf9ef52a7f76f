"""Issue 13, defect 8: ``poplab reset`` and ``deliver --replace`` build the new maildrop aside and swap it in, so an
interruption at any point leaves the old or the new maildrop, and the next reset works."""

from __future__ import annotations

from pathlib import Path

import pytest

from poplab.protocol.seams import MessageInfo
from poplab.store import admin, maildir_swap
from poplab.store.demo import SEED_ACCOUNT, demo_messages, install_demo, reset_demo
from poplab.store.maildir_store import MaildirStore

ALICE = "alice@example.com"
STEPS = ("message written", "built", "old moved aside", "new in place")


def login_view(store: MaildirStore, name: str) -> list[MessageInfo]:
    drop = store.open_maildrop(name)
    drop.release()
    return list(drop.messages)


def interrupt_at(monkeypatch: pytest.MonkeyPatch, wanted: str, name: str = ALICE) -> None:
    def checkpoint(step: str, root: Path) -> None:
        if step == wanted and root.name == name:
            raise KeyboardInterrupt  # what Ctrl-C does at that moment

    monkeypatch.setattr(maildir_swap, "checkpoint", checkpoint)


def test_a_reset_after_one_interrupted_by_the_old_code_works(tmp_path: Path) -> None:
    # The state an interrupted reset of the old code left: the seed message's file in tmp/, the mailbox empty.
    data = tmp_path / "data"
    store = install_demo(data)
    (seed,) = demo_messages(SEED_ACCOUNT)
    root = store.maildir_path(SEED_ACCOUNT)
    (root / "new" / seed.key).rename(root / "tmp" / seed.key)
    assert store.mailbox_stats(SEED_ACCOUNT) == (0, 0)
    reset_demo(data)  # was: BadMessage "UID '...' exists already", and the mailbox stayed empty
    assert store.stored(SEED_ACCOUNT) == {seed.key: seed.data}
    assert store.mailbox_stats(SEED_ACCOUNT) == (1, 236)


def test_a_chosen_uid_is_delivered_past_a_leftover_temp_file(tmp_path: Path) -> None:
    store = install_demo(tmp_path / "data")
    store.clear(SEED_ACCOUNT)
    (store.maildir_path(SEED_ACCOUNT) / "tmp" / "chosen-1").write_bytes(b"half written")
    assert store.deliver(SEED_ACCOUNT, b"Subject: x\n\n", "chosen-1") == "chosen-1"
    assert store.stored(SEED_ACCOUNT) == {"chosen-1": b"Subject: x\n\n"}


@pytest.mark.parametrize("step", STEPS)
def test_a_reset_interrupted_at_any_step_leaves_old_or_new_and_the_next_one_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    data = tmp_path / "data"
    store = install_demo(data)
    new = login_view(store, ALICE)
    store.deliver(ALICE, b"Subject: extra\n\nextra\n")
    drop = store.open_maildrop(ALICE)
    drop.commit([drop.messages[0].uid])
    drop.release()
    old = login_view(store, ALICE)
    assert old != new
    interrupt_at(monkeypatch, step)
    with pytest.raises(KeyboardInterrupt):
        reset_demo(data)
    monkeypatch.undo()
    after = MaildirStore(data)  # a new process
    stats = after.mailbox_stats(ALICE)
    assert login_view(after, ALICE) == (old if step in STEPS[:2] else new)
    assert stats == (len(login_view(after, ALICE)), sum(m.size for m in login_view(after, ALICE)))
    reset_demo(data)
    assert login_view(MaildirStore(data), ALICE) == new
    assert sorted(path.name for path in (data / "mail").iterdir() if path.name.startswith(".")) == [".poplab-swap"]
    assert list((data / "mail" / ".poplab-swap").iterdir()) == []  # nothing half-built left


@pytest.mark.parametrize("step", STEPS)
def test_an_interrupted_replace_leaves_old_or_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    store = install_demo(tmp_path / "data")
    old = store.stored(ALICE)
    interrupt_at(monkeypatch, step)
    with pytest.raises(KeyboardInterrupt):
        admin.deliver(store, ALICE, b"Subject: only\n\nonly\n", replace=True)
    monkeypatch.undo()
    stored = list(MaildirStore(tmp_path / "data").stored(ALICE).values())
    assert stored == (list(old.values()) if step in STEPS[:2] else [b"Subject: only\n\nonly\n"])


def test_replace_keeps_order_and_chosen_uids(tmp_path: Path) -> None:
    store = install_demo(tmp_path / "data")
    uids = store.replace(ALICE, [("b-first", b"Subject: 1\n\n"), (None, b"Subject: 2\n\n"), ("a-last", b"S: 3\n\n")])
    assert uids[0] == "b-first" and uids[2] == "a-last"
    assert [info.uid for info in login_view(store, ALICE)] == uids
