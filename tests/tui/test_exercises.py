"""Classroom exercises in the tutor: the exercise gets its own server with a fresh mailbox, the learner's
connection moves there (its mailbox is shown live), F7 checks, F8 gives the next hint, /answer submits a value,
/stop goes back to the bundled server."""

from __future__ import annotations

from poplab.tui.widgets.lesson_pane import LessonBar
from poplab.tui.widgets.mailbox_table import MailboxTable
from tests.tui.conftest import MakeApp
from tests.tui.helpers import badge, mailbox_rows, notes, report, settle, started, type_line, wire_lines


async def test_an_exercise_on_its_own_server_checked_and_answered(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await settle(pilot, app)
        await type_line(pilot, app, "/exercise 2")
        practice = app.conductor.coach.practice
        assert practice is not None and practice.exercise.id == "02"
        assert notes(app)[-2:] == [
            "Exercise 02 Count messages and octets: its own server with a fresh mailbox.",
            f"Connecting to 127.0.0.1:{practice.running.port} (plain) …",
        ]
        assert app.conductor.where() == "exercise server"
        for line in ("USER alice@example.com", "PASS wonderland", "STAT"):
            await type_line(pilot, app, line)
        assert wire_lines(app)[-1] == "S: +OK 6 8231"
        await settle(pilot, app)
        assert [row[0] for row in mailbox_rows(app)] == ["1", "2", "3", "4", "5", "6"]
        await pilot.press("f7")
        await settle(pilot, app)
        assert report(app).splitlines()[0] == "Exercise 02: Count messages and octets"
        await type_line(pilot, app, "/answer 6 8231")
        assert report(app).splitlines()[-1] == "All checks pass — well done!"
        assert str(app.main.query_one(LessonBar).content).splitlines()[0] == "All checks pass — well done!"
        await pilot.press("f8")
        await settle(pilot, app)
        assert report(app).startswith("Hint 1 of ")
        await type_line(pilot, app, "/stop")
        assert app.conductor.coach.practice is None
        assert app.conductor.where() == "bundled server"
        assert badge(app) == "AUTHORIZATION"
        assert mailbox_rows(app) == []  # not logged in: no mailbox, the pane says whose it will follow
        assert app.main.query_one(MailboxTable)._title().endswith("(here: wiki@example.com).")
