"""The lab's life: importing starts nothing; a lab starts, resets and stops cleanly (50 in a row leak no thread,
socket or folder); sessions over plain, STLS and implicit TLS; the eavesdropper; other servers via
``Lab.connect``; the Maildir store; exercises."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from poplab.notebook import Lab, LabError


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def lab_folders() -> set[str]:
    return {name for name in os.listdir(tempfile.gettempdir()) if name.startswith("poplab-lab-")}


def test_importing_the_notebook_api_starts_nothing_and_imports_no_textual() -> None:
    code = (
        "import os, sys, threading\n"
        "before = len(os.listdir('/proc/self/fd'))\n"
        "import poplab.notebook\n"
        "print(threading.active_count(), len(os.listdir('/proc/self/fd')) - before,"
        " 'textual' in sys.modules, 'ipywidgets' in sys.modules, 'asyncio' in sys.modules and"
        " __import__('asyncio').events._get_running_loop() is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["1", "0", "False", "False", "False"]


def use(lab: Lab) -> None:
    """A little of everything that opens a socket or a thread: sessions, TLS, an eavesdropper, a console."""
    lab.session("wiki@example.com").send("STAT")
    lab.session(tls=True).send("CAPA")
    tap = lab.eavesdropper()
    lab.session("alice@example.com", via=tap, tls="stls").send("NOOP")
    lab.console().submit("NOOP")


def test_fifty_labs_in_a_row_leak_no_threads_sockets_or_folders() -> None:
    with Lab() as warm_up:  # the client's one background loop starts on first use and stays
        use(warm_up)
    gc.collect()
    threads, fds, folders = threading.active_count(), open_fds(), lab_folders()
    for _ in range(50):
        with Lab() as lab:
            use(lab)
            assert lab.folder.is_dir()
        assert not lab.folder.exists()
    gc.collect()
    assert (threading.active_count(), open_fds(), lab_folders()) == (threads, fds, folders)


def test_a_forgotten_lab_is_cleaned_up_when_collected() -> None:
    before = threading.active_count()
    lab = Lab()
    folder = lab.folder
    assert threading.active_count() > before  # the server's thread (and the loop's worker threads)
    del lab
    gc.collect()
    assert not folder.exists()
    assert threading.active_count() == before


def test_stop_is_idempotent_and_a_stopped_lab_says_so(lab_de: Lab) -> None:
    lab_de.stop()
    lab_de.stop()
    assert repr(lab_de) == "poplab-Lab (angehalten)"
    with pytest.raises(LabError, match=r"^Dieses Lab wurde angehalten; starte ein neues mit Lab\(\)\.$"):
        lab_de.session()


def test_reset_cuts_sessions_and_restores_exactly_the_demo_data(lab: Lab) -> None:
    before = lab.mailbox("wiki@example.com").rows
    s = lab.session("wiki@example.com")
    s.send("DELE 1")
    s.quit()
    lab.add_account("erin@example.com", "sesame")
    lab.set_pop_enabled("alice@example.com", False)
    held = lab.session("bob@example.com")
    assert len(lab.mailbox("wiki@example.com")) == 0
    lab.reset()
    assert held.closed and lab.sessions == []
    assert lab.mailbox("wiki@example.com").rows == before
    assert lab.accounts().names() == [
        "alice@example.com", "bob@example.com", "carol@example.com",
        "dave@example.com", "mrose@example.com", "wiki@example.com",
    ]  # fmt: skip
    assert lab.accounts().names(pop_enabled=False) == ["carol@example.com"]


def test_the_mailbox_view_shows_the_marks_of_the_session_holding_the_lock(lab: Lab) -> None:
    s = lab.session("alice@example.com")
    s.send("DELE 2")
    s.send("DELE 5")
    view = lab.mailbox("alice@example.com")
    assert view.numbers == [1, 2, 3, 4, 5, 6] and view.marked == [2, 5] and view.session is not None
    assert [row.subject for row in view.rows][:2] == ["Welcome to the POP3 lab", "Notes from the POP3 workshop"]
    assert view.rows[3].subject == "Grüße aus Köln"
    s.send("RSET")
    assert lab.mailbox("alice@example.com").marked == []
    assert lab.accounts().rows[0].locked is True
    s.drop()


def test_sessions_over_stls_and_implicit_tls_trust_the_lab_certificate(lab: Lab) -> None:
    upgraded = lab.session(tls="stls")
    capabilities = upgraded.send("CAPA")
    assert capabilities.ok and b"STLS" not in (capabilities.body or b"") and capabilities.lines[0].tls
    assert [line.raw for line in upgraded.transcript.lines[1:3]] == [b"STLS\r\n", b"+OK Begin TLS negotiation\r\n"]
    assert upgraded.certificate is not None and "127.0.0.1" in upgraded.certificate.names
    implicit = lab.session("wiki@example.com", tls=True)
    assert implicit.transcript.lines[0].tls and str(implicit.state) == "TRANSACTION"


def test_the_eavesdropper_reads_plain_text_and_nothing_after_tls(lab: Lab) -> None:
    plain, upgraded, implicit = lab.eavesdropper(), lab.eavesdropper(), lab.eavesdropper(tls=True)
    for tap, tls in ((plain, False), (upgraded, "stls"), (implicit, True)):
        lab.session("wiki@example.com", via=tap, tls=tls).quit()
    assert plain.saw("PASS passwort_im_klartext\r\n") and plain.saw("+OK example.com POP3-Server")
    assert upgraded.saw("STLS\r\n") and not upgraded.saw("passwort_im_klartext")
    assert not implicit.saw("POP3-Server") and not implicit.saw("passwort_im_klartext")
    assert all(not capture.readable for capture in implicit.captures)
    assert "client → server: PASS passwort_im_klartext␍␊" in repr(plain)
    assert "encrypted:" in repr(implicit) and "encrypted:" in implicit._repr_html_()


def test_lab_connect_talks_to_any_server_without_a_server_side(lab: Lab) -> None:
    remote = Lab.connect("127.0.0.1", lab.tls_port, tls=True, cafile=lab.cafile, lang="de")
    s = remote.session("wiki@example.com", "passwort_im_klartext")
    assert s.send("STAT").text == "1 236" and s.transcript.lines[0].tls
    with pytest.raises(LabError, match=r"^Nur der mitgelieferte Lehr-Server zeigt seine Serverseite"):
        remote.mailbox("wiki@example.com")
    with pytest.raises(LabError, match=r"^Gib auch das Passwort an: lab.session\('bob@example.com', 'passwort'\)\.$"):
        remote.session("bob@example.com")
    untrusted = Lab.connect("127.0.0.1", lab.tls_port, tls=True)
    with pytest.raises(LabError, match="certificate not trusted"):
        untrusted.session()
    remote.stop()
    assert s.closed


def test_a_lab_over_a_maildir_data_directory(tmp_path: Path) -> None:
    with Lab(store="maildir") as lab:
        assert (lab.data_dir / "accounts.toml").is_file()
        s = lab.session("wiki@example.com")
        assert s.send("STAT").text == "1 236"
        s.send("DELE 1")
        s.quit()
        assert len(lab.mailbox("wiki@example.com")) == 0
        lab.reset()
        assert len(lab.mailbox("wiki@example.com")) == 1


def test_an_exercise_in_a_notebook_is_checked_against_its_own_server(lab: Lab) -> None:
    exercise = lab.exercise("05", save_progress=False)
    assert exercise.running.port != lab.port
    first = exercise.check()
    assert not first.passed and repr(first).splitlines()[-1] == "0 of 2 checks pass."
    s = exercise.session(login=True)
    s.send("DELE 6")
    s.quit()
    done = exercise.check()
    assert done.passed and repr(done).splitlines()[-1] == "All checks pass — well done!"
    assert "✓" in done._repr_html_() and "<script" not in done._repr_html_()
    assert exercise.hint().startswith("Hint 1 of 2: ")
    with pytest.raises(LabError, match=r"^no exercise '99' \(there are 01, 02, "):
        lab.exercise("99")
