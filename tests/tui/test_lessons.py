"""The guided tour in the tutor: a lesson checks each command the learner types (and the reply it got), explains
it, and saves the progress; tutor actions (drop, reconnect) complete their steps; APOP gets its digest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from poplab.client import AsyncSession
from poplab.tui.app import TutorApp
from poplab.tui.lessons import LESSONS, Lesson
from poplab.tui.widgets.lesson_pane import LessonBar
from tests.tui.conftest import MakeApp
from tests.tui.helpers import (
    SEED,
    badge,
    mailbox_rows,
    notes,
    send_keys,
    settle,
    started,
    type_line,
    wire_lines,
)


async def other_session_holding_the_maildrop(app: TutorApp) -> AsyncSession:
    """A second client (e.g. a mail program) logged in to wiki@example.com: the maildrop is locked."""
    bundled = app.conductor.lab.bundled
    assert bundled is not None and bundled.server.port is not None
    other = await AsyncSession.connect("127.0.0.1", bundled.server.port)
    await other.send("USER wiki@example.com")
    assert (await other.send("PASS passwort_im_klartext")).ok
    return other


def bar(app: object) -> str:
    return str(app.main.query_one(LessonBar).content)  # type: ignore[attr-defined]


async def test_the_seed_lesson_step_by_step_with_progress_saved(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await pilot.press("f6", "enter")
        await settle(pilot, app)
        assert bar(app) == "The article's session · Step 1 of 7: Name the mailbox you want: type USER wiki@example.com"
        await type_line(pilot, app, "USER wiki@example.com")
        await type_line(pilot, app, "PASS wrong")
        assert bar(app).splitlines()[0] == "Sent. The step asks for: PASS passwort_im_klartext"
        assert app.main.query_one(LessonBar).has_class("-wrong")
        other = await other_session_holding_the_maildrop(app)
        await type_line(pilot, app, "USER wiki@example.com")
        await type_line(pilot, app, "PASS passwort_im_klartext")
        assert bar(app).splitlines()[0] == (
            "That was the right command, but the server answered -ERR [IN-USE] mailbox already locked by another "
            "session. Try again."
        )
        await other.send("QUIT")
        await type_line(pilot, app, "USER wiki@example.com")
        for line in SEED[1:]:
            await type_line(pilot, app, line)
        assert bar(app).splitlines() == [
            "QUIT from TRANSACTION enters UPDATE: now the server deletes message 1 and closes.",
            "The article's session: Lesson complete. F6 for the next one.",
        ]
        assert badge(app) == "UPDATE · closed"
    saved = json.loads((tmp_path / "tutor-progress.json").read_text(encoding="utf-8"))
    assert saved == {"lessons": {"seed": {"reached": 7, "finished": True}}}


async def test_a_lesson_starts_from_fresh_mailboxes(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        for line in SEED:
            await type_line(pilot, app, line)
        assert mailbox_rows(app) == []
        await type_line(pilot, app, "/lesson seed")
        assert badge(app) == "AUTHORIZATION"
        assert wire_lines(app)[-1] == "S: +OK example.com POP3-Server"
        for line in SEED[:2]:
            await type_line(pilot, app, line)
        assert [row[0] for row in mailbox_rows(app)] == ["1"]  # message 1 is back


async def test_the_dropped_connection_lesson(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/lesson dropped")
        for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "DELE 1"):
            await type_line(pilot, app, line)
        assert mailbox_rows(app)[0][1] == "✗ marked"
        await pilot.press("ctrl+d")
        await settle(pilot, app)
        assert badge(app) == "closed"
        assert mailbox_rows(app)[0][1] == ""
        assert bar(app).splitlines()[0] == "The server never saw QUIT, so it never entered UPDATE: nothing is deleted."
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert badge(app) == "AUTHORIZATION"
        for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT"):
            await type_line(pilot, app, line)
        assert wire_lines(app)[-1] == "S: +OK 1 236"
        assert bar(app).splitlines()[0] == "+OK 1 236: the message is still there. Deletions count only after QUIT."


async def test_the_apop_lesson_fills_in_the_digest(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/lesson apop")
        greeting = wire_lines(app)[-1]
        assert greeting.startswith("S: +OK example.com POP3-Server <") and greeting.endswith("@example.com>")
        await type_line(pilot, app, "/apop mrose@example.com tanstaaf")
        filled = app.main.query_one("#command").value  # type: ignore[attr-defined]
        assert filled.startswith("APOP mrose@example.com ") and len(filled.split()[2]) == 32
        await pilot.press("enter")
        await settle(pilot, app)
        assert wire_lines(app)[-1] == "S: +OK mailbox locked and ready"
        assert badge(app) == "TRANSACTION"
        assert bar(app).splitlines()[0].startswith("Logged in without the secret ever crossing the wire.")


async def test_stop_ends_the_lesson(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/lesson listing")
        assert bar(app).startswith("LIST, UIDL and TOP · Step 1 of 7: Name the mailbox: type USER alice@example.com")
        await type_line(pilot, app, "/stop")
        assert app.conductor.coach.tour is None
        assert not app.main.query_one(LessonBar).has_class("-active")
        await type_line(pilot, app, "USER alice@example.com")
        assert bar(app) == ""


async def test_the_tls_lesson_stls_typed_by_the_learner(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/lesson tls")
        await type_line(pilot, app, "CAPA")
        assert "S: STLS" in wire_lines(app)
        await type_line(pilot, app, "STLS")
        assert wire_lines(app)[-2:] == ["C: STLS", "S: +OK Begin TLS negotiation"]
        assert notes(app)[-1].startswith("TLS certificate: CN=localhost,O=poplab teaching server (self-signed)")
        assert app.conductor.lab.tls
        await type_line(pilot, app, "CAPA")
        after = wire_lines(app)[wire_lines(app).index("C: STLS") :]
        assert "S: STLS" not in after and "S: USER" in after
        for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "QUIT"):
            await type_line(pilot, app, line)
        lines = app.conductor.lab.lines
        password = next(line for line in lines if line.raw.startswith(b"PASS "))
        assert password.tls
        await pilot.press("ctrl+t")
        await settle(pilot, app)
        assert app.conductor.coach.tour is not None and app.conductor.coach.tour.finished
        assert bar(app).splitlines()[-1] == "STLS, TLS and clear-text passwords: Lesson complete. F6 for the next one."
        assert badge(app) == "AUTHORIZATION"
        assert notes(app)[-1].startswith("TLS certificate: ")


ACTION_KEYS = {"drop": "ctrl+d", "reconnect": "ctrl+r", "tls": "ctrl+t", "smtp": "ctrl+o", "pop3": "ctrl+o"}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
async def test_every_lesson_can_be_done_as_written(make_app: MakeApp, lesson: Lesson) -> None:
    """Each step's command, typed as the step says, gets the reply the step expects from the real server."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, f"/lesson {lesson.key}")
        tour = app.conductor.coach.tour
        assert tour is not None
        for number, step in enumerate(lesson.steps):
            if step.action:
                await pilot.press(ACTION_KEYS[step.action])
                await settle(pilot, app)
            elif step.exact:
                await type_line(pilot, app, step.command)
            else:
                user, secret = step.command.split()[1], "tanstaaf"
                await type_line(pilot, app, f"/apop {user} {secret}")
                await pilot.press("enter")
                await settle(pilot, app)
            assert tour.index == number + 1, (number, step.say, wire_lines(app)[-2:])
        assert tour.finished


async def test_f6_then_enter_at_once_starts_the_first_lesson_and_sends_nothing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await send_keys(app, [("f6", None), ("enter", "\r")])
        await pilot.pause(0.2)
        await settle(pilot, app)
        assert app.conductor.coach.tour is not None and app.conductor.coach.tour.lesson.key == "seed"
        assert wire_lines(app) == ["S: +OK example.com POP3-Server", "S: +OK example.com POP3-Server"]
        await send_keys(app, [("enter", "\r")])
        await settle(pilot, app)
        assert len(wire_lines(app)) == 2  # Enter on an empty command line sends nothing


async def test_the_journey_lesson_with_a_real_mail_in_between(make_app: MakeApp) -> None:
    """The SMTP lesson as a learner does it: the mail's own lines (header, empty line, text) bring no wrong-step
    feedback, the dot completes the step, and bob fetches exactly that mail."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/lesson journey")
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        for line in ("EHLO learner.example", "MAIL FROM:<wiki@example.com>", "RCPT TO:<bob@example.com>", "DATA"):
            await type_line(pilot, app, line)
        for line in ("Subject: Hello Bob", "", "Sent in the lesson."):
            await type_line(pilot, app, line)
            assert not app.conductor.coach.feedback_wrong
        await type_line(pilot, app, ".")
        assert app.conductor.coach.feedback_text().startswith("250: delivered.")
        for line in ("QUIT", "/pop3", "USER bob@example.com", "PASS builder", "RETR 1"):
            await type_line(pilot, app, line)
        assert "S: Sent in the lesson." in wire_lines(app)
        tour = app.conductor.coach.tour
        assert tour is not None and tour.lesson.steps[tour.index].command == "DELE 1"
