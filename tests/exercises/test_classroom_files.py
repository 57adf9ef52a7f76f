"""The classroom's files: private from the start (0700 folders, 0600 files — the handout holds every password), no
spreadsheet formula in any CSV poplab writes, and two students with the same name stay two students."""

from __future__ import annotations

import argparse
import csv
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.commands import classroom as command
from poplab.exercises import find_exercise
from poplab.exercises.classroom import Classroom, ClassroomError
from poplab.exercises.record import LoginEvent, RecordedLine, SessionRecord
from tests.exercises.helpers import EXERCISES

SEED_EXERCISE = find_exercise("01", EXERCISES)
HOSTILE = ['=HYPERLINK("http://x.example","click")', "+1+2", "-3+4", "@SUM(A1)", "\tTab"]


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask 022: what the files get unless poplab asks for less."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def a_session(account: str) -> SessionRecord:
    now = time.time()
    lines = (
        RecordedLine("C", f"USER {account}\r\n".encode(), False, now),
        RecordedLine("S", b"+OK\r\n", False, now, 5),
        RecordedLine("C", b"QUIT\r\n", False, now),
        RecordedLine("S", b"+OK bye\r\n", False, now, 9),
    )
    login = LoginEvent(account, True, "USER/PASS", False, now)
    return SessionRecord(1, now, False, lines, (login,), end="quit", closed=now)


def cli(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    parser = argparse.ArgumentParser(prog="poplab")
    command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["classroom", *words])
    assert args.run(args) == 0
    return capsys.readouterr().out


def test_the_handout_records_and_results_are_private(tmp_path: Path) -> None:
    directory = tmp_path / "class"
    classroom = Classroom.setup(directory, ["Anna"], (SEED_EXERCISE,))
    assert classroom.record_session(a_session("anna-01")) is not None
    assert mode(directory) == 0o700
    for name in ("handout.csv", "class.json", "records/anna/01.jsonl", "results/anna/01.json"):
        assert mode(directory / name) == 0o600, name
    for name in ("records", "records/anna", "results", "results/anna"):
        assert mode(directory / name) == 0o700, name


def test_no_csv_cell_starts_a_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = tmp_path / "class"
    Classroom.setup(directory, HOSTILE, (SEED_EXERCISE,))
    with (directory / "handout.csv").open(encoding="utf-8", newline="") as file:
        handout = list(csv.DictReader(file))
    assert [row["name"] for row in handout] == ["'" + name for name in HOSTILE]
    cli(capsys, "report", "--dir", str(directory))
    assert mode(directory / "report.csv") == 0o600
    with (directory / "report.csv").open(encoding="utf-8", newline="") as file:
        report = list(csv.DictReader(file))
    exercises = [row for row in report if not row["title"].startswith("notebook lesson")]
    assert [row["student"] for row in exercises] == ["'" + name for name in HOSTILE]
    assert [row["attempts"] for row in exercises] == ["0"] * len(HOSTILE)
    assert {row["student"][:2] for row in report} == {"'" + name[0] for name in HOSTILE}  # the lesson rows too


def test_a_cell_is_neutralised_as_owasp_recommends() -> None:
    from poplab.exercises.classroom import csv_cell

    assert [csv_cell(name) for name in (*HOSTILE, "\rReturn")] == ["'" + name for name in (*HOSTILE, "\rReturn")]
    assert [csv_cell(value) for value in ("Anna", "", "a=b", "Jürgen")] == ["Anna", "", "a=b", "Jürgen"]


def test_two_students_with_the_same_name_stay_two(tmp_path: Path) -> None:
    directory = tmp_path / "class"
    classroom = Classroom.setup(directory, ["Anna Schmidt", "Bo", "Anna Schmidt"], (SEED_EXERCISE,))
    assert [student.slug for student in classroom.students] == ["anna-schmidt", "bo", "anna-schmidt-2"]
    assert classroom.students[0].password != classroom.students[2].password
    assert len(classroom.store.accounts()) == 3
    assert command.renamed_line(classroom, "en") == (
        "Login prefixes with a number, because the name was taken: Anna Schmidt → anna-schmidt-2; "
        "the handout tells them apart"
    )
    again = Classroom.setup(directory, ["Anna Schmidt", "Bo", "Anna Schmidt"], (SEED_EXERCISE,))
    assert again.students == classroom.students
    assert again.renamed == ()
    assert again.find_student("anna-schmidt-2") == classroom.students[2]
    with pytest.raises(ClassroomError, match="2 students are called 'Anna Schmidt'"):
        again.find_student("Anna Schmidt")
