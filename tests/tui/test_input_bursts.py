"""Typing as a terminal delivers it: a burst of keys (fast typing, a paste without bracketed paste, tmux
``send-keys`` with several lines), a bracketed paste, keys typed while the transcript has the focus. Whatever the
speed, the server receives exactly the lines typed before each Enter, in order, each once."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key

from poplab.server.events import LineEvent, ServerEvent
from poplab.tui.app import TutorApp
from poplab.tui.widgets.command_input import CommandInput, paste_lines
from poplab.tui.widgets.transcript import TranscriptColumn, TranscriptView

from .conftest import MakeApp
from .helpers import notes, screen_text, send_keys, settle, started

TWELVE = (
    "USER alice@example.com",
    "PASS wonderland",
    "STAT",
    "LIST",
    "UIDL 1",
    "TOP 1 0",
    "NOOP",
    "DELE 2",
    "LIST 2",
    "RSET",
    "LIST 2",
    "QUIT",
)


def received(app: TutorApp) -> list[str]:
    """Every line the bundled server receives from now on, as it received it."""
    lines: list[str] = []

    def observe(event: ServerEvent) -> None:
        if isinstance(event, LineEvent) and event.direction == "C":
            lines.append(event.raw.decode().rstrip("\r\n"))

    bundled = app.conductor.lab.bundled
    assert bundled is not None
    bundled.subscribe(observe)
    return lines


def keys_of(text: str, enter: str = "enter") -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for char in text:
        if char == "\n":
            out.append((enter, "\r" if enter == "enter" else "\n"))
        else:
            out.append((char if char.isalnum() else _character_to_key(char), char))
    return out


async def wait_for_lines(pilot: object, app: TutorApp, lines: list[str], count: int) -> None:
    for _ in range(100):
        await settle(pilot, app)  # type: ignore[arg-type]
        if len(lines) >= count:
            return
    raise AssertionError(f"the server got {lines}")


async def test_twelve_commands_typed_as_one_burst_arrive_once_each_in_order(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        lines = received(app)
        await send_keys(app, keys_of("".join(f"{line}\n" for line in TWELVE)))
        await wait_for_lines(pilot, app, lines, len(TWELVE))
        assert lines == list(TWELVE)
        assert app.main.query_one(CommandInput).value == ""
        assert app.main.query_one(CommandInput).history.lines == list(TWELVE)


async def test_a_plain_paste_with_line_feeds_sends_each_line(make_app: MakeApp) -> None:
    """A terminal without bracketed paste may send a pasted line end as LF (ctrl+j) instead of CR."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        lines = received(app)
        await send_keys(app, keys_of("".join(f"{line}\n" for line in TWELVE), enter="ctrl+j"))
        await wait_for_lines(pilot, app, lines, len(TWELVE))
        assert lines == list(TWELVE)


async def test_a_bracketed_paste_of_twelve_lines_sends_twelve_commands_in_order(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        lines = received(app)
        driver = app._driver
        assert driver is not None
        paste = events.Paste("\r\n".join(TWELVE) + "\r\n")
        paste.set_sender(app)
        driver.send_message(paste)
        await wait_for_lines(pilot, app, lines, len(TWELVE))
        assert lines == list(TWELVE)
        assert "Pasted 12 lines: each is sent when the reply to the one before has arrived (not pipelined)." in notes(
            app
        )


async def test_a_paste_without_a_final_line_end_leaves_the_last_line_to_edit(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        lines = received(app)
        command = app.main.query_one(CommandInput)
        await send_keys(app, keys_of("US"))
        paste = events.Paste("ER alice@example.com\n\nPASS wonderland\nLIS")
        paste.set_sender(app)
        assert app._driver is not None
        app._driver.send_message(paste)
        await wait_for_lines(pilot, app, lines, 2)
        assert lines == ["USER alice@example.com", "PASS wonderland"]  # the blank line of the paste is passed over
        assert command.value == "LIS"


def test_paste_lines_splits_on_every_kind_of_line_end() -> None:
    assert paste_lines("STAT\r\nLIST\rUIDL\nRE") == (["STAT", "LIST", "UIDL"], "RE")
    assert paste_lines("STAT") == ([], "STAT")
    assert paste_lines("\n \nNOOP\n") == (["", " ", "NOOP"], "")  # blank lines too: an SMTP mail needs them


async def test_after_a_click_on_a_line_typed_commands_go_to_the_command_line(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        lines = received(app)
        await pilot.click(TranscriptView, offset=(5, 1))
        await pilot.pause()
        assert isinstance(app.focused, TranscriptView)
        await send_keys(app, keys_of("USER wiki@example.com\nPASS passwort_im_klartext\nSTAT\n"))
        await wait_for_lines(pilot, app, lines, 3)
        assert lines == ["USER wiki@example.com", "PASS passwort_im_klartext", "STAT"]
        assert isinstance(app.focused, CommandInput)
        screen = screen_text(app)
        for shown in ("C: USER wiki@example.com", "C: STAT", "S: +OK 1 236"):
            assert shown in screen


async def test_new_lines_below_a_selected_line_are_counted_until_esc(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        view = app.main.query_one(TranscriptView)
        column = app.main.query_one(TranscriptColumn)
        view.focus()
        await pilot.pause()
        await pilot.press("up")
        selected = view.highlighted
        assert selected == len(view.items) - 2 and not view.following
        await app.conductor.send("USER wiki@example.com")
        await settle(pilot, app)
        assert view.highlighted == selected  # the learner's line stays selected
        assert column.has_class("-unseen")
        assert "▼ 2 new entries below the selected line — Esc follows them" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.focused, CommandInput)
        assert view.following and view.highlighted == len(view.items) - 1
        assert not column.has_class("-unseen")
        await app.conductor.send("PASS passwort_im_klartext")
        await settle(pilot, app)
        assert view.highlighted == len(view.items) - 1


async def test_an_empty_enter_is_explained_and_sends_nothing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        lines = received(app)
        await send_keys(app, [("enter", "\r")])
        await settle(pilot, app)
        assert lines == []
        assert notes(app)[-1] == ("An empty line is not a POP3 command: nothing was sent. Try USER wiki@example.com.")
