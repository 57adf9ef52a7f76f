"""``poplab classroom watch``: a classroom server, 40 scripted students (half with poplib, half over raw sockets,
some of them stuck on -ERR replies) and the dashboard on the classroom's directory. The grid shows exactly what
``poplab classroom report`` computes, each student's cell within 2 s of their QUIT, without a refresh key; sorting,
totals, a student's sessions and the replay of one; 80×24 and German; the HTML report."""

from __future__ import annotations

import asyncio
import poplib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from poplab.exercises import find_exercise, load_exercises
from poplab.exercises.class_report import report
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom
from poplab.protocol.config import ServerConfig
from poplab.server.settings import ServerSettings
from poplab.tui.app import TutorApp, TutorOptions
from poplab.tui.class_grid import ClassGrid
from poplab.tui.screens.dashboard import TOTAL_ROW, DashboardScreen
from poplab.tui.screens.replay import ReplayScreen
from tests.tui.helpers import screen_text

STUDENTS = 40
EXERCISES = ("01", "05")
LATENCY = 2.0


@pytest.fixture
def classroom(tmp_path: Path) -> Classroom:
    exercises = load_exercises()
    chosen = [find_exercise(number, exercises) for number in EXERCISES]
    return Classroom.setup(tmp_path / "class", [f"Student {n:02d}" for n in range(STUDENTS)], chosen)


@pytest.fixture
def server(classroom: Classroom) -> Iterator[ClassServer]:
    settings = ServerSettings(port=0, tls_port=None, protocol=ServerConfig(failed_login_delay=0.0))
    with ClassServer(classroom, settings) as running:
        yield running


def with_poplib(port: int, account: str, password: str) -> None:
    client = poplib.POP3("127.0.0.1", port, timeout=10)
    client.user(account)
    client.pass_(password)
    client.stat()
    client.list()
    client.retr(1)
    client.dele(1)
    client.quit()


def with_socket(port: int, account: str, password: str, errors: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        for line in [f"USER {account}", f"PASS {password}", *(["RETR 99"] * errors), "STAT", "QUIT"]:
            raw.sendall(line.encode() + b"\r\n")
            reader.readline()


def student_session(port: int, classroom: Classroom, n: int) -> float:
    """One scripted student's session; the time of their QUIT."""
    student = classroom.students[n]
    exercise = classroom.exercises[n % 2]
    account = classroom.account(student, exercise)
    if n % 2 == 0:
        with_poplib(port, account, student.password)
    else:
        with_socket(port, account, student.password, errors=6 if n % 4 == 1 else 0)
    return time.monotonic()


def shown(app: TutorApp) -> dict[tuple[str, str], str]:
    table = app.screen_stack[0].query_one(DataTable)
    marks = {}
    for row in table.rows:
        if row.value == TOTAL_ROW:
            continue
        for exercise in EXCERCISE_IDS:
            marks[(str(row.value), exercise)] = str(table.get_cell(row, exercise))
    return marks


EXCERCISE_IDS = EXERCISES


def expected(classroom: Classroom) -> dict[tuple[str, str], tuple[bool, int]]:
    result = report(classroom)
    return {(slug, number): (outcome.done, outcome.attempts) for slug, number, outcome in result.cells}


def as_report(mark: str) -> tuple[bool, int]:
    """A dashboard mark as the report's (done, sessions): ✓n done, ✗n / ⚠n tried, · not tried."""
    return (mark.startswith("✓"), 0 if mark == "·" else int(mark[1:]))


async def test_the_grid_follows_the_class_live(classroom: Classroom, server: ClassServer) -> None:
    app = TutorApp(TutorOptions(lang="en", welcome=False, screen=lambda: DashboardScreen(ClassGrid(classroom))))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert set(shown(app).values()) == {"·"}
        seen: dict[tuple[str, str], float] = {}
        quits: dict[tuple[str, str], float] = {}

        async def watch() -> None:
            while len(seen) < STUDENTS:
                for key, mark in shown(app).items():
                    if mark != "·" and key not in seen:
                        seen[key] = time.monotonic()
                await asyncio.sleep(0.02)

        async def student(n: int) -> None:
            await asyncio.sleep(n * 0.05)
            student = classroom.students[n]
            quits[(student.slug, classroom.exercises[n % 2].id)] = await asyncio.to_thread(
                student_session, server.port, classroom, n
            )

        watcher = asyncio.create_task(watch())
        await asyncio.gather(*(student(n) for n in range(STUDENTS)))
        await asyncio.wait_for(watcher, timeout=10)
        server.wait_idle()
        await asyncio.sleep(1.2)  # one more look after the last result (a check may follow its first write)
        await pilot.pause()
        late = {key: seen[key] - quits[key] for key in quits if seen[key] - quits[key] > LATENCY}
        assert not late, f"cells later than {LATENCY} s after QUIT: {late}"
        marks = shown(app)
        assert {key: as_report(mark) for key, mark in marks.items()} == expected(classroom)
        assert any(mark.startswith("✓") for mark in marks.values())
        assert any(mark.startswith("⚠") for mark in marks.values())  # six -ERR in a row: stuck
        text = screen_text(app)
        assert "Class:" in text and "done" in text

        screen = app.screen_stack[0]
        assert isinstance(screen, DashboardScreen)
        await pilot.press("s")  # sort: most done first
        first = screen.query_one(DataTable).get_row_at(0)
        assert str(first[1]).startswith("✓") or str(first[2]).startswith("✓")

        slug = classroom.students[0].slug
        screen.show_sessions(slug, "01")
        await pilot.pause()
        assert "Student 00" in screen_text(app)
        screen.action_replay()
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_german(classroom: Classroom, server: ClassServer) -> None:
    await asyncio.to_thread(student_session, server.port, classroom, 0)
    server.wait_idle()
    app = TutorApp(TutorOptions(lang="de", welcome=False, screen=lambda: DashboardScreen(ClassGrid(classroom))))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Klasse" in text
        assert "✓1" in text


def test_the_html_report_links_the_sessions(classroom: Classroom, server: ClassServer, tmp_path: Path) -> None:
    student_session(server.port, classroom, 0)
    student_session(server.port, classroom, 1)
    server.wait_idle()
    from poplab.commands.classroom import write_html_report

    page = tmp_path / "report.html"
    write_html_report(classroom, report(classroom), page, "en")
    text = page.read_text(encoding="utf-8")
    assert "<table>" in text and "✓1" in text
    account = classroom.account(classroom.students[0], classroom.exercises[0])
    assert f"report-sessions/{account}.html" in text
    sessions = (tmp_path / "report-sessions" / f"{account}.html").read_text(encoding="utf-8")
    assert classroom.students[0].password not in sessions
    for linked in (tmp_path / "report-sessions").iterdir():
        assert classroom.students[0].password not in linked.read_text(encoding="utf-8")
