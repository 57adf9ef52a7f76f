"""The lesson self-checks (``check("NN-k")``) driven directly, as a check cell calls them: one regression test per
defect of issue 12 (a wrong try first, a check run twice, a closed session, a missing cell, learner code that
hangs), German verdicts, the lab's own mailboxes untouched by any check, and the progress each check notes."""

from __future__ import annotations

import time
from typing import Any

import pytest

from poplab.notebook import Lab, check, lesson_check
from poplab.notebook.lesson_progress import NotebookProgress

READ_RIGHT = """
def read_multiline(wire):
    lines = []
    while True:
        line = wire.readline()
        if line == b".\\r\\n":
            return b"".join(lines)
        lines.append(line[1:] if line.startswith(b"..") else line)
"""
READ_WRONG = READ_RIGHT.replace('b".\\r\\n"', 'b"."')
COMMAND_RIGHT = """
def command(sock, wire, line):
    sock.sendall(line.encode() + b"\\r\\n")
    return wire.readline().decode().rstrip("\\r\\n")
"""
COMMAND_WRONG = COMMAND_RIGHT.replace(' + b"\\r\\n"', "")


def defined(code: str) -> Any:
    names: dict[str, Any] = {}
    exec(code, names)
    return next(value for name, value in reversed(names.items()) if callable(value) and not name.startswith("__"))


def stored(lab: Lab) -> dict[str, dict[str, bytes]]:
    return {account.name: lab.store.stored(account.name) for account in lab.store.accounts()}


@pytest.fixture(autouse=True)
def _short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lesson_check, "CHECK_SECONDS", 0.5)


def test_05_1_a_wrong_choice_then_the_right_one_passes_and_passes_again(lab: Lab) -> None:
    """Defect 1: the failed attempt's session held the lock, so every later try got -ERR [IN-USE]."""
    assert not check("05-1", namespace={"lab": lab, "choice": False}).passed
    for _ in range(2):
        verdict = check("05-1", namespace={"lab": lab, "choice": True})
        assert verdict.passed, repr(verdict)
        assert "IN-USE" not in repr(verdict)


@pytest.mark.parametrize(
    ("task", "name", "wrong", "right"),
    [("04-3", "read_multiline", READ_WRONG, READ_RIGHT), ("08-2", "command", COMMAND_WRONG, COMMAND_RIGHT)],
)
def test_learner_socket_code_that_waits_for_ever_gets_a_timeout_and_a_friendly_word(
    lab: Lab, task: str, name: str, wrong: str, right: str
) -> None:
    """Defect 2: the usual bug (no CR LF; comparing with b"." without it) hung the kernel for ever."""
    started = time.monotonic()
    verdict = check(task, namespace={"lab": lab, name: defined(wrong)})
    assert time.monotonic() - started < 5
    assert not verdict.passed and "Did you add CR LF" in verdict.hint
    assert check(task, namespace={"lab": lab, name: defined(right)}).passed
    assert check(task, namespace={"lab": lab, name: defined(right)}).passed


def test_01_2_rset_then_quit_and_a_closed_session_never_raise(lab: Lab) -> None:
    """Defect 3: RSET then QUIT was refused with no way forward; a re-run printed a SessionClosed traceback."""
    assert not check("01-2", namespace={"lab": lab, "command": "RSET"}).passed
    assert check("01-2", namespace={"lab": lab, "command": "QUIT"}).passed
    assert check("01-2", namespace={"lab": lab, "command": "QUIT"}).passed
    s = lab.session("wiki@example.com")
    s.send("QUIT")
    again = s.send("QUIT")  # a closed session: an exchange that says what to do, no exception
    assert again.ok is False and again.problem.startswith("the connection is closed: run the cell")


def test_03_2_wrong_tries_delete_nothing_and_a_passing_check_passes_again(lab: Lab) -> None:
    """Defect 4: wrong attempts deleted mail for good; a re-run raised KeyError and deleted another message."""
    before = stored(lab)
    for commands in (["DELE 1", "QUIT"], ["DELE 3"], ["DELE 3", "QUIT"], ["DELE 3", "QUIT"]):
        verdict = check("03-2", namespace={"lab": lab, "commands": commands})
        assert verdict.passed is (commands == ["DELE 3", "QUIT"])
    assert stored(lab) == before
    assert len(lab.sandbox("03-2").mailbox("alice@example.com")) == 5


def test_07_2_switching_off_the_wrong_account_is_undone_by_the_check(lab: Lab) -> None:
    """Defect 5: switching off the wrong account broke the lesson's later cells (NameErrors)."""
    lab.set_pop_enabled("alice@example.com", False)
    verdict = check("07-2", namespace={"lab": lab})
    assert not verdict.passed and "alice@example.com" in repr(verdict)
    assert "alice@example.com" in lab.accounts().names(pop_enabled=True)
    lab.session("alice@example.com").quit()  # the later cells work again
    lab.set_pop_enabled("dave@example.com", False)
    assert check("07-2", namespace={"lab": lab}).passed
    assert check("07-2", namespace={"lab": lab}).passed


def test_05_2_the_apop_check_passes_every_time(lab: Lab) -> None:
    """Defect 6: the APOP check run again after passing said "Not yet"."""
    right = defined("import hashlib\ndef apop_digest(t, s):\n    return hashlib.md5((t + s).encode()).hexdigest()\n")
    wrong = defined("import hashlib\ndef apop_digest(t, s):\n    return hashlib.md5((s + t).encode()).hexdigest()\n")
    assert not check("05-2", namespace={"lab": lab, "apop_digest": wrong}).passed
    assert all(check("05-2", namespace={"lab": lab, "apop_digest": right}).passed for _ in range(3))


def test_errors_are_german_in_german_notebooks_and_no_library_exception_reaches_the_learner(lab_de: Lab) -> None:
    """Defect 8: SessionClosed and other errors were English in German notebooks, with library tracebacks."""
    s = lab_de.session()
    s.send("QUIT")
    assert s.send("NOOP").problem.startswith("die Verbindung ist geschlossen")
    verdict = check("01-1", namespace={"lab": lab_de, "command": "LIST"})
    assert repr(verdict).startswith("Noch nicht.") and "Tipp:" in repr(verdict)
    raised = check(
        "08-1", namespace={"lab": lab_de, "download_all": defined("def f(*a):\n    raise ValueError('x')\n")}
    )
    assert "Dein Code hat ValueError ausgelöst: x" in repr(raised)


def test_a_fresh_kernel_or_a_new_lab_mid_lesson_gives_a_true_verdict(lab: Lab) -> None:
    """Defect 9: re-running the first cell gave a false verdict; a fresh kernel gave a bare NameError."""
    assert "lab = Lab(...)" in repr(check("01-1", "en", namespace={}))
    assert repr(check("01-1", "de", namespace={})).startswith("Noch nicht.")
    assert "command is not defined yet" in repr(check("01-1", namespace={"lab": lab}))
    assert "Replace the ..." in repr(check("01-1", namespace={"lab": lab, "command": ...}))
    s = lab.session("wiki@example.com")
    s.send("DELE 1")
    with Lab(lang="en") as newer:  # the first cell run again: a new lab, the old session still open
        assert check("01-2", namespace={"lab": newer, "command": "QUIT"}).passed
    lab.stop()
    assert "stopped" in repr(check("01-1", namespace={"lab": lab, "command": "STAT"}))


def test_a_console_task_is_checked_on_what_the_server_saw(lab: Lab) -> None:
    assert "no console" in repr(check("01-3", namespace={"lab": lab}))
    console = lab.console(task="01-3")
    for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "QUIT"):
        console.submit(line)
    verdict = check("01-3", namespace={"lab": lab})
    assert not verdict.passed and "LIST, RETR 1, DELE 1" in verdict.hint
    console = lab.console(task="01-3")  # the cell run again: a fresh copy
    for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "LIST", "RETR 1", "DELE 1", "QUIT"):
        console.submit(line)
    assert check("01-3", namespace={"lab": lab}).passed
    assert len(lab.mailbox("wiki@example.com")) == 1  # the lab's own mailbox is untouched


ANSWERS: dict[str, dict[str, Any]] = {
    "01-1": {"command": "STAT"},
    "01-2": {"command": "QUIT"},
    "02-1": {"largest": 2},
    "03-1": {"command": "RSET"},
    "03-2": {"commands": ["DELE 3", "QUIT"]},
    "04-1": {"octets": 22},
    "04-2": {"on_the_wire": b"..\r\n"},
    "06-1": {"laptop_can_tell": False},
    "06-2": {"pop3": {"RETR", "DELE", "UIDL", "TOP"}},
}


def test_no_check_changes_the_labs_mailboxes_and_each_notes_an_attempt(lab: Lab) -> None:
    before = stored(lab)
    answers = {**ANSWERS, "07-1": {"enabled": lab.accounts().names(pop_enabled=True)}}
    for task, names in answers.items():
        wrong = {name: "NOOP" for name in names}
        assert not check(task, namespace={"lab": lab, **wrong}).passed, task
        assert check(task, namespace={"lab": lab, **names}).passed, task
    assert stored(lab) == before
    entries = NotebookProgress().entries()
    assert entries["03-2"].attempts == 2 and entries["03-2"].done and entries["03-2"].first_done_at
    assert set(answers) <= set(entries)


def test_the_verdict_renders_styled_and_escaped(lab: Lab) -> None:
    verdict = check("01-1", namespace={"lab": lab, "command": "<b>"})
    html = verdict._repr_html_()
    assert "&lt;b&gt;" in html and "<b>" not in html.replace("<b>Not yet.</b>", "").replace("<b>Hint:</b>", "")
    assert check("99-9", namespace={"lab": lab}).hint == "There is no self-check '99-9'."
