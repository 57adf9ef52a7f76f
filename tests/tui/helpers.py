"""Helpers for the tutor's pilot tests: start the app on the bundled server, type like a learner, wait until the
reply is shown, and read the screen as text."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable

from rich.console import Console
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from poplab.annotate.model import Annotation
from poplab.tui.app import TutorApp
from poplab.tui.entries import Note
from poplab.tui.widgets.command_input import CommandInput
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.status import StatusBar
from poplab.tui.widgets.transcript import TranscriptView, note_text

SEED = (
    "USER wiki@example.com",
    "PASS passwort_im_klartext",
    "STAT",
    "LIST",
    "RETR 1",
    "DELE 1",
    "QUIT",
)


async def settle(pilot: Pilot[None], app: TutorApp) -> None:
    """Wait until no command is waiting for its reply and every line is annotated and shown (at most 20 s: a
    3 MB body on a busy 2-core machine)."""
    for _ in range(4000):
        await asyncio.sleep(0.005)
        if app.conductor.settled and not app.workers._workers:
            await pilot.pause()
            return
    raise AssertionError("the tutor did not settle within 20 s")


async def started(pilot: Pilot[None], app: TutorApp) -> None:
    for _ in range(1000):
        await asyncio.sleep(0.005)
        if app.conductor.lab.session is not None or app.conductor.lab.error is not None:
            break
    await settle(pilot, app)


async def type_line(pilot: Pilot[None], app: TutorApp, line: str, keys: bool = False) -> None:
    """Put ``line`` into the command line (``keys``: type it key by key, as a learner does), press Enter, and wait
    until the reply is shown."""
    command = app.main.query_one(CommandInput)
    command.focus()
    await pilot.pause()
    if keys:
        await send_keys(app, [(char if char.isalnum() else _character_to_key(char), char) for char in line])
    else:
        command.value = line
    await send_keys(app, [("enter", "\r")])
    for _ in range(1000):
        if command.value != line:
            break  # submitted: the command line is cleared (or refilled by /apop) as the line goes out
        await asyncio.sleep(0.005)
    await settle(pilot, app)


async def send_keys(app: TutorApp, keys: list[tuple[str, str | None]]) -> None:
    """Key events (key, character) through the driver, as a terminal delivers them — without the pilot's wait
    after every key, so a test types as fast as a learner pastes."""
    driver = app._driver
    assert driver is not None
    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


def wire_lines(app: TutorApp) -> list[str]:
    """The transcript pane's C and S lines as shown (``C: STAT``), bodies line by line; notes left out."""
    out: list[str] = []
    for item in app.main.query_one(TranscriptView).items:
        if isinstance(item, Annotation) and item.direction is not None and item.raw:
            for raw in item.raw.splitlines():
                out.append(f"{item.direction}: {raw.decode('utf-8', 'replace')}".rstrip())
    return out


def notes(app: TutorApp) -> list[str]:
    view = app.main.query_one(TranscriptView)
    return [note_text(item, view.t) for item in view.items if isinstance(item, Note)]


def report(app: TutorApp) -> str:
    """The last exercise check or hint, as the Lesson pane shows it."""
    return app.conductor.coach.report_text()


def badge(app: TutorApp) -> str:
    return app.main.query_one(StatusBar).badge


def mailbox_rows(app: TutorApp) -> list[tuple[str, ...]]:
    return app.main.query_one(MailboxTable).rows()


def screen_text(app: TutorApp) -> str:
    """The screen as plain text, the way a learner sees it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def lines_of(text: str) -> Iterable[str]:
    return (line.rstrip() for line in text.splitlines())
