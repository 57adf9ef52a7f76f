"""The tutor's Textual-free parts: keyword completion and argument forms from the command table, the history,
raw bytes as a learner sees them, lesson step checks, the progress file, subjects for the mailbox table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from poplab.annotate.smtp_table import COMMANDS as SMTP_COMMANDS
from poplab.protocol.table import COMMANDS
from poplab.tui.completion import History, complete, suggestion
from poplab.tui.entries import iter_lines, visible
from poplab.tui.lessons import ACTIONS, LESSONS, SEED, Step
from poplab.tui.mailbox import subject_of
from poplab.tui.tour import LessonProgress, Progress, Tour, Verdict, words_match


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("re", "reTR <msg>"),
        ("RETR", "RETR <msg>"),
        ("retr ", "retr <msg>"),
        ("TOP 1", "TOP 1 <lines>"),
        ("TOP 1 ", "TOP 1 <lines>"),
        ("TOP 1 5", None),
        ("LIST", "LIST [<msg>]"),
        ("STAT", None),
        ("PASS secret words", None),
        ("xyz", None),
        ("/lang", None),
        ("", None),
    ],
)
def test_the_suggestion_shows_the_argument_form(typed: str, shown: str | None) -> None:
    assert suggestion(typed) == shown


@pytest.mark.parametrize(
    ("typed", "completed"),
    [("re", "RETR "), ("rs", "RSET"), ("s", "ST"), ("st", None), ("sta", "STAT"), ("q", "QUIT"), ("x", None)],
)
def test_tab_completes_the_keyword_never_the_placeholder(typed: str, completed: str | None) -> None:
    assert complete(typed) == completed


def test_every_keyword_of_the_table_completes() -> None:
    assert sorted(complete(verb.lower()) or "" for verb in COMMANDS) == sorted(
        verb + (" " if " " in COMMANDS[verb].syntax else "") for verb in COMMANDS
    )


def test_history_walks_back_and_returns_to_the_draft() -> None:
    history = History()
    for line in ("USER a", "PASS b", "PASS b", "STAT"):
        history.add(line)
    assert history.lines == ["USER a", "PASS b", "STAT"]
    assert [history.older("LI"), history.older("x"), history.older("x"), history.older("x")] == [
        "STAT",
        "PASS b",
        "USER a",
        None,
    ]
    assert [history.newer(), history.newer(), history.newer(), history.newer()] == ["PASS b", "STAT", "LI", None]


def test_raw_bytes_mark_line_ends_stuffing_and_control_bytes() -> None:
    assert visible(b"+OK 1 236\r\n") == [("+OK 1 236", "text"), ("␍␊", "eol")]
    assert visible(b"..profile\r\n", body=True) == [(".", "dot"), (".profile", "text"), ("␍␊", "eol")]
    assert visible(b"..profile\r\n") == [("..profile", "text"), ("␍␊", "eol")]
    assert visible(b"USER a\x00b\n") == [("USER a", "text"), ("\\x00", "control"), ("b", "text"), ("␊", "eol")]
    assert list(iter_lines(b"a\r\nb\r\nc", 2)) == [b"a\r\n", b"b\r\n"]
    assert list(iter_lines(b"a\r\nb\r\nc", 9)) == [b"a\r\n", b"b\r\n", b"c"]


def test_steps_match_the_keyword_in_any_case_and_the_arguments_exactly() -> None:
    user = Step("", "USER wiki@example.com")
    assert words_match(user, "user wiki@example.com")
    assert not words_match(user, "USER Wiki@example.com")
    assert not words_match(user, "USER wiki@example.com extra")
    apop = Step("", "APOP mrose@example.com", exact=False)
    assert words_match(apop, "APOP mrose@example.com c4c9334bac560ecc979e58001b3e22fb")
    assert not words_match(apop, "APOP alice@example.com 00")


def test_a_tour_moves_on_only_with_the_right_command_and_reply() -> None:
    tour = Tour(SEED)
    assert tour.command("STAT", True) is Verdict.OTHER
    assert tour.command("USER wiki@example.com", False) is Verdict.WRONG_REPLY
    assert tour.command("USER wiki@example.com", True) is Verdict.DONE
    assert tour.action("drop") is Verdict.OTHER
    assert tour.index == 1
    for line in ("PASS passwort_im_klartext", "STAT", "LIST", "RETR 1", "DELE 1", "QUIT"):
        assert tour.command(line, True) is Verdict.DONE
    assert tour.finished and tour.step is None


def test_every_lesson_step_asks_for_a_known_command_or_action() -> None:
    """POP3 commands, SMTP commands (the journey lesson) or the end of a mail's data (a line with only a dot)."""
    known = {*COMMANDS, *SMTP_COMMANDS, "."}
    for lesson in LESSONS:
        for step in lesson.steps:
            assert bool(step.command) != bool(step.action), (lesson.key, step)
            assert step.action in ("", *ACTIONS)
            assert not step.command or step.command.split()[0].split(":")[0] in known, step.command
            assert step.explain


def test_progress_is_saved_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "progress" / "tutor-progress.json"
    progress = Progress(path)
    tour = Tour(SEED)
    tour.command("USER wiki@example.com", True)
    progress.record(tour)
    assert json.loads(path.read_text(encoding="utf-8")) == {"lessons": {"seed": {"reached": 1, "finished": False}}}
    assert Progress(path).get("seed") == LessonProgress(1, False)
    progress.record(Tour(SEED))
    assert Progress(path).get("seed") == LessonProgress(1, False)


def test_a_damaged_progress_file_counts_as_none(tmp_path: Path) -> None:
    path = tmp_path / "tutor-progress.json"
    path.write_text("{not json", encoding="utf-8")
    assert Progress(path).lessons == {}


def test_subjects_are_decoded_from_the_header_block_only() -> None:
    assert subject_of(b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nFrom: a\r\n\r\nSubject: not this\r\n") == "Grüße"
    assert subject_of(b"From: a\n\nbody") == ""
    assert subject_of(b"Subject: a\r\n long\r\n line\r\n\r\n") == "a long line"
