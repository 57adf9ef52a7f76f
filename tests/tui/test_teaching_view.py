"""What a class sees on the main view: the placeholder suggests a command that works now, -ERR lines carry their
reason and hint, a drop without QUIT says which deletions it lost, texts from servers and exercises are never read
as markup, the footer lists every key, the exercise task names the tutor's way to answer, a solved exercise is
ticked, the transcript follows the newest line after a resize, projector mode, the welcome of the first start,
and ``poplab tutor HOST PORT``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from poplab.commands import tutor
from poplab.commands.common import CliError
from poplab.tui.screens.diagram import DiagramScreen
from poplab.tui.screens.welcome import SEEN_FILE, WelcomeScreen
from poplab.tui.widgets.command_input import CommandInput
from poplab.tui.widgets.lesson_pane import LessonList
from poplab.tui.widgets.transcript import TranscriptView

from .conftest import MakeApp
from .helpers import notes, screen_text, send_keys, settle, started, type_line, wire_lines


def placeholder(app: object) -> str:
    return app.main.query_one(CommandInput).placeholder  # type: ignore[attr-defined,no-any-return]


async def test_the_placeholder_suggests_what_works_in_each_state(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        keys = "(Tab completes, ↑↓ history, F1 help)"
        assert placeholder(app) == f"Type a POP3 command, e.g. USER wiki@example.com {keys}"
        await type_line(pilot, app, "USER wiki@example.com")
        assert placeholder(app) == f"Type a POP3 command, e.g. PASS … {keys}"
        await type_line(pilot, app, "PASS passwort_im_klartext")
        assert placeholder(app) == f"Type a POP3 command, e.g. STAT {keys}"
        await type_line(pilot, app, "QUIT")
        assert placeholder(app) == "The connection is closed: Ctrl+R reconnects (F1 help)"


async def test_an_err_shows_why_and_a_hint_under_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "RETR 9", "DELE 1"):
            await type_line(pilot, app, line)
        screen = screen_text(app)
        assert "S: -ERR no such message, only 1 message in maildrop" in screen
        assert "   The server has no message 9." in screen
        assert "   Hint: STAT or LIST shows which message numbers exist." in screen
        await pilot.press("ctrl+d")
        await settle(pilot, app)
        screen = screen_text(app)
        assert "── The client closed the connection." in screen
        assert "   ⚠ The session ended without QUIT: the deletion of message 1 is lost." in screen


async def test_texts_from_servers_and_exercises_are_not_markup(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/nonsense [b] [/] [IN-USE]")
        assert notes(app)[-1].startswith("Unknown tutor command /nonsense [b] [/] [IN-USE]. Known: ")
        assert "Unknown tutor command /nonsense [b] [/] [IN-USE]." in screen_text(app)
        await pilot.press("f6")
        await settle(pilot, app)
        prompts = [str(option.prompt) for option in app.main.query_one(LessonList).options]
        assert "08. The locked maildrop ([IN-USE])" in prompts
        assert "08. The locked maildrop ([IN-USE])" in screen_text(app)


async def test_the_footer_lists_every_key_a_learner_uses(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        footer = screen_text(app).splitlines()[-1].rstrip()
        assert footer == "f1 Help f2 Deutsch f6 Lessons f3f4f5 Raw/Save/Reset ^r^t^d Connection ^q Quit"
        await type_line(pilot, app, "/exercise 2")
        await settle(pilot, app)
        footer = screen_text(app).splitlines()[-1]
        assert footer.startswith("f1 Help f2 Deutsch f6 Lessons f7f8 Check/Hint f3f4 Raw/Save/Reset")


async def test_an_exercise_in_the_tutor_names_answer_and_is_ticked_when_solved(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/exercise 2")
        practice = app.conductor.coach.practice
        assert practice is not None
        task = practice.task("en")
        assert "/answer MESSAGES OCTETS" in task and "poplab exercise check" not in task
        assert "/answer" in practice.task("de") and "--answer" not in practice.task("de")
        await pilot.press("f7")
        await settle(pilot, app)
        assert "Give your answer with /answer TEXT." in app.conductor.coach.report_text()
        for line in ("USER alice@example.com", "PASS wonderland", "STAT", "/answer 6 8231"):
            await type_line(pilot, app, line)
        prompts = [str(option.prompt) for option in app.main.query_one(LessonList).options]
        assert "02. Count messages and octets (✓ done)" in prompts
        assert not any(prompt.startswith("03.") and "✓" in prompt for prompt in prompts)


async def test_the_newest_line_stays_in_view_after_a_resize(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        for line in ("USER alice@example.com", "PASS wonderland", "LIST", "RETR 1"):
            await type_line(pilot, app, line)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.2)
        assert "   Message 1: 14 lines, 383 octets." in screen_text(app)
        assert app.main.query_one(TranscriptView).following


async def test_projector_mode_shows_the_transcript_alone(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await pilot.press("f9")
        await settle(pilot, app)
        assert app.theme == "poplab-projector"
        assert not app.main.query_one("#side").display
        await type_line(pilot, app, "USER wiki@example.com")
        await type_line(pilot, app, "PASS passwort_im_klartext")
        screen = screen_text(app)
        assert "S: +OK mailbox locked and ready" in screen
        assert "⚠ Password sent in clear text" not in screen  # one-line explanations only
        await pilot.press("f9")
        await settle(pilot, app)
        assert app.theme != "poplab-projector" and app.main.query_one("#side").display
        assert "⚠ Password sent in clear text" in screen_text(app)


async def test_the_welcome_shows_once_and_typing_goes_past_it(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app(welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert "Log in with the account of the first lesson" in screen_text(app)
        await send_keys(app, [(c if c.isalnum() else "space", c) for c in "STAT"] + [("enter", "\r")])
        await settle(pilot, app)
        assert not isinstance(app.screen, WelcomeScreen)
        assert wire_lines(app)[-2] == "C: STAT"
        assert wire_lines(app)[-1].startswith("S: -ERR")
    assert (tmp_path / SEEN_FILE).exists()
    again = make_app(welcome=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await started(pilot, again)
        assert not isinstance(again.screen, WelcomeScreen)


async def test_enter_dismisses_the_welcome(make_app: MakeApp) -> None:
    app = make_app(welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        assert isinstance(app.focused, CommandInput)


def parse(*words: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    tutor.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(words))


def test_poplab_tutor_takes_a_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(tutor, "run_connect", lambda args: seen.append(args) or 0)
    args = parse("tutor", "127.0.0.1", "1110", "--projector")
    assert args.run(args) == 0
    assert seen[0].host == "127.0.0.1" and seen[0].port == 1110 and seen[0].projector
    with pytest.raises(CliError, match="give HOST and PORT"):
        only_host = parse("tutor", "127.0.0.1")
        only_host.run(only_host)


async def test_ctrl_g_shows_the_session_as_diagrams_and_goes_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "RETR 9"):
            await type_line(pilot, app, line)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, DiagramScreen)
        screen = screen_text(app)
        assert "This session as a sequence diagram and a state diagram (Ctrl+G or Esc: back)" in screen
        assert "USER wiki@example.com" in screen and "PASS [redacted]" in screen
        assert "-ERR no such message" in screen and "TRANSACTION" in screen
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not isinstance(app.screen, DiagramScreen)
        await type_line(pilot, app, "/diagram")
        assert isinstance(app.screen, DiagramScreen)
