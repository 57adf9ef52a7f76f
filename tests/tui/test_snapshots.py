"""Snapshots of the main screen at 80×24 and 120×40, in English and German, after the learner logged in, asked
for STAT and marked message 1: narrow terminals stack the panes, wide ones put them side by side. Then a -ERR
with its reason and hint under it, the same in projector mode, and the welcome of the first start. The bundled
server's ports and the clock appear nowhere on the main screen, so the pictures do not change between runs.
Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the report before committing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from poplab.tui.app import TutorApp, TutorOptions
from poplab.tui.widgets.command_input import CommandInput
from tests.tui.helpers import started, type_line

LINES = ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "DELE 1")


async def seed_start(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, TutorApp)
    await started(pilot, app)
    app.main.query_one(CommandInput).cursor_blink = False  # the cursor's blink phase differs from run to run
    for line in LINES:
        await type_line(pilot, app, line)
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_main_screen(snap_compare: Any, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = TutorApp(TutorOptions(data_dir=tmp_path, lang=lang, login_delay=0.0, welcome=False))
    assert snap_compare(app, terminal_size=size, run_before=seed_start)


async def wrong_number(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, TutorApp)
    await started(pilot, app)
    app.main.query_one(CommandInput).cursor_blink = False  # the cursor's blink phase differs from run to run
    for line in (*LINES[:2], "RETR 9"):
        await type_line(pilot, app, line)
    await pilot.pause(0.1)


def test_why_err_under_the_err_line(snap_compare: Any, tmp_path: Path) -> None:
    app = TutorApp(TutorOptions(data_dir=tmp_path, lang="en", login_delay=0.0, welcome=False))
    assert snap_compare(app, terminal_size=(100, 30), run_before=wrong_number)


def test_projector_mode(snap_compare: Any, tmp_path: Path) -> None:
    app = TutorApp(TutorOptions(data_dir=tmp_path, lang="en", login_delay=0.0, welcome=False, projector=True))
    assert snap_compare(app, terminal_size=(100, 30), run_before=wrong_number)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_welcome_on_the_first_start(snap_compare: Any, tmp_path: Path, lang: str) -> None:
    async def shown(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, TutorApp)
        await started(pilot, app)
        app.main.query_one(CommandInput).cursor_blink = False  # the cursor's blink phase differs from run to run
        await pilot.pause(0.1)

    app = TutorApp(TutorOptions(data_dir=tmp_path, lang=lang, login_delay=0.0))
    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)
