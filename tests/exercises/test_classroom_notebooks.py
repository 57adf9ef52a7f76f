"""Notebook progress reaches the class (issues 12 and 16): a notebook run with ``POPLAB_CLASSROOM`` and
``POPLAB_LEARNER`` (as a JupyterHub spawner sets them) notes every ``check("NN-k")`` in the student's file in the
classroom's directory — 0600 in 0700 folders, replaced whole, no attempt lost to a concurrent kernel — and
``poplab classroom report`` (text, CSV, HTML) and the live dashboard show it, one column per lesson."""

from __future__ import annotations

import csv
import io
import poplib
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from poplab.cli import main
from poplab.exercises import find_exercise, load_exercises
from poplab.exercises.class_report import report
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom
from poplab.exercises.notebook_progress import LessonProgress, NotebookRecord, lessons_of
from poplab.notebook import Lab, check
from poplab.notebook.lesson_check import task_ids
from poplab.notebook.lesson_progress import NotebookProgress, classroom_record
from poplab.protocol.config import ServerConfig
from poplab.server.settings import ServerSettings
from poplab.tui.app import TutorApp, TutorOptions
from poplab.tui.class_grid import ClassGrid
from poplab.tui.screens.dashboard import TOTAL_ROW, DashboardScreen

LESSONS = (("01", 3), ("02", 2), ("03", 3), ("04", 3), ("05", 2), ("06", 2), ("07", 2), ("08", 2))
"""Lessons 01-08 (more join them: the report takes whatever lessons have self-checks)."""
TASKS = tuple(f"{lesson}-{k}" for lesson, count in LESSONS for k in range(1, count + 1))


@pytest.fixture
def classroom(tmp_path: Path) -> Classroom:
    chosen = [find_exercise("01", load_exercises())]
    return Classroom.setup(tmp_path / "class", ["Anna Schmidt", "Bo"], chosen)


@pytest.fixture
def anna(classroom: Classroom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Anna's notebook environment, as the hub's spawner sets it; the path of her file in the classroom."""
    monkeypatch.setenv("POPLAB_PROGRESS", str(tmp_path / "progress"))
    monkeypatch.setenv("POPLAB_CLASSROOM", str(classroom.dir))
    monkeypatch.setenv("POPLAB_LEARNER", "anna-schmidt")
    monkeypatch.delenv("POPLAB_CLASS_LOGIN", raising=False)
    monkeypatch.delenv("POPLAB_PROGRESS_URL", raising=False)  # the hub's way, tested in test_hub_progress.py
    return classroom.dir / "results" / "anna-schmidt" / "notebooks.json"


@pytest.fixture
def lab() -> Iterator[Lab]:
    with Lab(lang="en") as made:
        yield made


def test_the_lessons_are_the_registered_self_checks() -> None:
    assert set(LESSONS) <= set(lessons_of(task_ids()))
    assert lessons_of(TASKS) == LESSONS


def test_a_check_in_a_class_notebook_shows_in_the_report(classroom: Classroom, anna: Path, lab: Lab) -> None:
    assert not check("01-1", namespace={"lab": lab, "command": "NOOP"}).passed
    assert check("01-1", namespace={"lab": lab, "command": "STAT"}).passed
    assert check("01-2", namespace={"lab": lab, "command": "QUIT"}).passed
    assert not check("02-1", namespace={"lab": lab, "largest": 1}).passed

    assert stat.S_IMODE(anna.stat().st_mode) == 0o600
    assert stat.S_IMODE(anna.parent.stat().st_mode) == 0o700
    assert [p.name for p in anna.parent.iterdir() if p.name.endswith(".tmp")] == []
    mine = NotebookRecord(anna.parent).entries()
    assert {task: (e.done, e.attempts) for task, e in mine.items()} == {
        "01-1": (True, 2),
        "01-2": (True, 1),
        "02-1": (False, 1),
    }
    assert NotebookProgress().entries() == mine  # her own record too (poplab notebooks --progress)

    result = report(classroom, TASKS)
    assert result.lesson("anna-schmidt", "01") == LessonProgress("01", 3, 2, 3, None)
    assert result.lesson("bo", "01") == LessonProgress("01", 3)
    lines = result.table("en").splitlines()
    assert lines[0] == "student               01       L01   L02   L03   L04   L05   L06   L07   L08   done  points"
    assert lines[1] == "Anna Schmidt          ·        2/3   0/2   ·     ·     ·     ·     ·     ·     0/1   0"
    assert lines[2] == "Bo                    ·        ·     ·     ·     ·     ·     ·     ·     ·     0/1   0"
    assert lines[-1] == "L01, L02 …: the notebook lessons' self-checks, tasks done / tasks; · none checked yet."
    assert result.table("de").splitlines()[-1] == (
        "L01, L02 …: die Selbsttests der Notebook-Lektionen, erledigte Aufgaben / Aufgaben; · noch keiner geprüft."
    )

    rows = list(csv.DictReader(io.StringIO(result.csv())))
    assert len(rows) == 2 * 1 + 2 * 8
    assert (rows[0]["tasks"], rows[0]["failed_logins"]) == ("", "0")
    lesson = next(row for row in rows if row["login"] == "anna-schmidt" and row["exercise"] == "L01")
    assert lesson == {
        "student": "Anna Schmidt",
        "login": "anna-schmidt",
        "exercise": "L01",
        "title": "notebook lesson 01",
        "done": "no",
        "attempts": "3",
        "first_done_at": "",
        "points": "0",
        "tasks": "2/3",
        "failed_logins": "",
    }
    page = result.html("en")
    assert "<th title='Notebook lesson 01'>L01</th>" in page
    assert "<td class='tried'>2/3</td><td class='tried'>0/2</td><td class='new'>·</td>" in page


def test_a_lesson_done_is_done_with_the_time_of_its_last_task(classroom: Classroom, anna: Path) -> None:
    record = classroom_record()
    assert record is not None and record.path == anna
    for task in ("05-1", "05-2", "05-2"):
        record.note(task, True)
    result = report(classroom, TASKS)
    progress = result.lesson("anna-schmidt", "05")
    assert (progress.mark, progress.complete, progress.attempts) == ("2/2", True, 3)
    assert progress.finished_at == max(e.first_done_at or "" for e in record.entries().values())
    assert "<td class='done'>2/2</td>" in result.html("en")


def test_the_report_command_prints_the_lessons(
    classroom: Classroom, anna: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    classroom_record().note("03-2", True)  # type: ignore[union-attr]
    assert main(["classroom", "report", "--dir", str(classroom.dir), "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("student               01       L01   L02   L03   L04   L05   L06   L07   L08")
    assert out[1].startswith("Anna Schmidt          ·        ·     ·     1/3   ·     ·     ·     ·     ·")
    assert out[1].endswith("0/1   0")
    with (classroom.dir / "report.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["tasks"] for row in rows if row["login"] == "anna-schmidt" and row["exercise"] == "L03"] == ["1/3"]


def test_an_unknown_learner_or_no_classroom_records_nothing_in_the_class(
    classroom: Classroom, anna: Path, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POPLAB_LEARNER", "../../etc")
    assert classroom_record() is None
    assert check("01-1", namespace={"lab": lab, "command": "STAT"}).passed  # the verdict still shows
    assert NotebookProgress().entries()["01-1"].attempts == 1  # in the learner's own record
    monkeypatch.delenv("POPLAB_LEARNER")
    monkeypatch.setenv("POPLAB_CLASS_LOGIN", "bo")  # the hub's variable, when POPLAB_LEARNER is not set
    record = classroom_record()
    assert record is not None and record.dir == classroom.dir / "results" / "bo"
    monkeypatch.delenv("POPLAB_CLASSROOM")
    assert classroom_record() is None
    assert not anna.exists() and not (classroom.dir / "results").exists()


def test_concurrent_kernels_lose_no_attempt(classroom: Classroom, anna: Path) -> None:
    def kernel(task: str) -> None:
        for _ in range(25):
            NotebookRecord(anna.parent).note(task, False)

    threads = [threading.Thread(target=kernel, args=(task,)) for task in ("01-1", "01-1", "02-1", "03-1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    entries = NotebookRecord(anna.parent).entries()
    assert {task: entry.attempts for task, entry in entries.items()} == {"01-1": 50, "02-1": 25, "03-1": 25}


def test_a_damaged_file_counts_as_no_progress(classroom: Classroom, anna: Path) -> None:
    anna.parent.mkdir(parents=True, mode=0o700)
    anna.write_text('{"tasks": {"01-1": {"attempts": "many"}, "01-2": {"done": true, "attempts": 1}}}')
    assert report(classroom, TASKS).lesson("anna-schmidt", "01").mark == "1/3"
    anna.write_text("{half")
    assert report(classroom, TASKS).lesson("anna-schmidt", "01") == LessonProgress("01", 3)


def test_the_dashboard_data_follows_the_notebooks(classroom: Classroom, anna: Path) -> None:
    grid = ClassGrid(classroom, lessons=LESSONS)
    assert grid.lesson_columns == ("L01", "L02", "L03", "L04", "L05", "L06", "L07", "L08")
    assert set(grid.lesson_marks().values()) == {"·"}
    record = classroom_record()
    assert record is not None
    record.note("04-1", False)
    assert grid.poll() == {("anna-schmidt", "L04")}
    assert grid.lesson_marks()[("anna-schmidt", "L04")] == "0/3"
    assert grid.lesson_status("anna-schmidt", "L04") == "working"
    for task in ("04-1", "04-2", "04-3"):
        record.note(task, True)
    grid.poll()
    assert grid.lesson_marks()[("anna-schmidt", "L04")] == "3/3"
    assert grid.lesson_status("anna-schmidt", "L04") == "done"
    assert [s.slug for s in grid.order("L04")] == ["anna-schmidt", "bo"]
    assert grid.marks() == {("anna-schmidt", "01"): "·", ("bo", "01"): "·"}  # the exercises' cells as before


async def test_the_dashboard_shows_notebook_columns_live(classroom: Classroom, anna: Path, lab: Lab) -> None:
    grid = ClassGrid(classroom, lessons=LESSONS)
    app = TutorApp(TutorOptions(lang="en", welcome=False, screen=lambda: DashboardScreen(grid)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen_stack[0].query_one(DataTable)
        assert [str(column.label) for column in table.columns.values()][:4] == ["Student", "01", "L01", "L02"]
        assert str(table.get_cell("anna-schmidt", "L01")) == "·"
        assert check("01-1", namespace={"lab": lab, "command": "STAT"}).passed
        for _ in range(40):
            await pilot.pause(0.1)
            if str(table.get_cell("anna-schmidt", "L01")) != "·":
                break
        assert str(table.get_cell("anna-schmidt", "L01")) == "1/3"
        assert str(table.get_cell("bo", "L01")) == "·"
        assert str(table.get_cell(TOTAL_ROW, "L01")) == "✓0"


def test_the_csv_counts_failed_logins_apart_from_sessions(classroom: Classroom) -> None:
    settings = ServerSettings(port=0, tls_port=None, protocol=ServerConfig(failed_login_delay=0.0))
    with ClassServer(classroom, settings) as server:
        client = poplib.POP3("127.0.0.1", server.port, timeout=10)
        client.user("bo-01")
        with pytest.raises(poplib.error_proto):
            client.pass_("not-bos-password")
        client.quit()
        server.wait_idle()
    [row] = [row for row in csv.DictReader(io.StringIO(report(classroom).csv())) if row["login"] == "bo-01"]
    assert (row["attempts"], row["failed_logins"], row["done"]) == ("0", "1", "no")
