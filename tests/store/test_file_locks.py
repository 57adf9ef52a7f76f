"""Issue 13, defect 9: maildrop locks hold across processes (flock on DATA/locks/...), so a session of one process
keeps ``accounts remove`` and ``deliver --replace`` of another away; one server per data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.protocol.seams import MaildropLocked
from poplab.store import admin
from poplab.store.demo import install_demo
from poplab.store.maildir_store import DataDirInUse, MaildirStore, hold_server_lock

ALICE = "alice@example.com"
HOLDER = """
import sys
from poplab.store.maildir_store import MaildirStore
drop = MaildirStore(sys.argv[1]).open_maildrop(sys.argv[2])
print("holding", flush=True)
sys.stdin.readline()
drop.release()
print("released", flush=True)
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    install_demo(tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def held_elsewhere(data: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (a server's session) holds alice's maildrop until the test writes a line."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data), ALICE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
    try:
        yield holder
    finally:
        holder.kill()
        holder.wait(10)


def let_go(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.stdout.readline() == "released\n"


def test_a_session_of_another_process_locks_the_maildrop(data: Path, held_elsewhere: subprocess.Popen[str]) -> None:
    store = MaildirStore(data)
    with pytest.raises(MaildropLocked):
        store.open_maildrop(ALICE)  # was: opened, both processes held it
    store.open_maildrop("bob@example.com").release()  # other maildrops stay free
    assert not store.is_locked(ALICE)  # this process's sessions only, as before
    let_go(held_elsewhere)
    store.open_maildrop(ALICE).release()


def test_remove_and_replace_refuse_a_maildrop_another_process_holds(
    data: Path, held_elsewhere: subprocess.Popen[str]
) -> None:
    store = MaildirStore(data)
    before = store.stored(ALICE)
    message = b"Subject: new\n\nnew\n"
    in_use = f"the maildrop of {ALICE} is in use by a POP3 session"
    with pytest.raises(MaildropLocked, match=in_use):
        admin.remove_account(store, ALICE)
    with pytest.raises(MaildropLocked, match=in_use):
        admin.deliver(store, ALICE, message, replace=True)
    with pytest.raises(MaildropLocked, match=in_use):
        admin.replace_messages(store, ALICE, [message])
    assert store.stored(ALICE) == before and store.account(ALICE) is not None
    uid = admin.deliver(store, ALICE, message)  # plain delivery is fine: seen at the next login
    assert store.stored(ALICE)[uid] == message
    let_go(held_elsewhere)
    assert list(admin.replace_messages(store, ALICE, [message])) == list(store.stored(ALICE))
    admin.remove_account(store, ALICE)
    assert store.account(ALICE) is None


def test_remove_and_replace_refuse_a_maildrop_this_process_holds(data: Path) -> None:
    store = MaildirStore(data)
    drop = store.open_maildrop(ALICE)
    with pytest.raises(MaildropLocked):
        admin.deliver(store, ALICE, b"Subject: x\n\n", replace=True)
    with pytest.raises(MaildropLocked):
        MaildirStore(data).remove_account(ALICE)
    drop.release()


def test_a_reset_under_an_open_session_still_works(data: Path) -> None:
    store = MaildirStore(data)
    drop = store.open_maildrop(ALICE)  # the tutor resets while its learner is logged in
    install_demo(data)
    assert drop.content(drop.messages[0].uid)  # the same UIDs are back
    drop.release()


def test_one_server_per_data_directory(data: Path) -> None:
    lock = hold_server_lock(data)
    try:
        with pytest.raises(DataDirInUse) as refused:
            hold_server_lock(data)
        assert str(refused.value) == f"another poplab server is using {data} (pid {os.getpid()})"
    finally:
        lock.release()
    hold_server_lock(data).release()
