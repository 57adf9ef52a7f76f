"""How the tutor looks: NO_COLOR turns every colour to grey (C and S stay apart by their prefix), any Textual theme
applies, the help screen lists every key binding, and the layout follows the terminal's width."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Static, TabbedContent

from tests.tui.conftest import MakeApp
from tests.tui.helpers import lines_of, screen_text, started, type_line

FILL = re.compile(r"fill: #([0-9a-f]{6})")
SVG_DEFAULT = "c5c8c6"
"""The SVG export's own colour for text that has none (Rich's terminal theme), not one of the app's."""


def colours(svg: str) -> set[str]:
    return set(FILL.findall(svg)) - {SVG_DEFAULT}


def grey(hex_colour: str) -> bool:
    return hex_colour[0:2] == hex_colour[2:4] == hex_colour[4:6]


async def test_no_color_leaves_only_grey_and_the_prefixes(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "USER wiki@example.com")
        assert app.no_color
        found = colours(app.export_screenshot())
        assert found and all(grey(colour) for colour in found), found
        rows = list(lines_of(screen_text(app)))
        assert "C: USER wiki@example.com" in rows and "S: +OK Please enter password" in rows


async def test_without_no_color_client_and_server_lines_differ_in_colour(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        assert not app.no_color
        assert any(not grey(colour) for colour in colours(app.export_screenshot()))


@pytest.mark.parametrize("theme", ["textual-light", "nord", "solarized-light"])
async def test_themes_apply(make_app: MakeApp, theme: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        before = app.export_screenshot()
        app.theme = theme
        await pilot.pause()
        assert app.export_screenshot() != before
        assert "S: +OK example.com POP3-Server" in screen_text(app)


async def test_the_help_screen_lists_every_binding(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot, app)
        await pilot.press("f1")
        await pilot.pause()
        rows = [row.strip(" │") for row in lines_of(screen_text(app))]
        for key, text in [
            ("f1", "Help"), ("f2", "Deutsch"), ("f3", "Raw bytes"), ("f4", "Export"), ("f5", "Reset mailboxes"),
            ("f6", "Lessons"), ("f7", "Check"), ("f8", "Hint"), ("^r", "Reconnect"), ("^t", "TLS"),
            ("^d", "Drop connection"), ("esc", "Command line"), ("^q", "Quit"), ("^p", "palette"),
        ]:  # fmt: skip
            assert any(row.split() == [key, *text.split()] for row in rows), (key, text)
        await pilot.press("escape")
        await pilot.pause()
        assert "Keys" not in screen_text(app)


@pytest.mark.parametrize(("width", "side_by_side"), [(80, False), (109, False), (110, True), (160, True)])
async def test_the_layout_follows_the_width(make_app: MakeApp, width: int, side_by_side: bool) -> None:
    app = make_app()
    async with app.run_test(size=(width, 30)) as pilot:
        await started(pilot, app)
        transcript, side = app.main.query_one("#transcript"), app.main.query_one("#side")
        assert (side.region.x > transcript.region.x) is side_by_side
        assert (side.region.y > transcript.region.y) is not side_by_side


async def test_the_mouse_opens_tabs_and_explains_a_clicked_line(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "USER wiki@example.com")
        await pilot.click("#side Tab#--content-tab-tab-lesson")
        await pilot.pause()
        assert app.main.query_one("#side", TabbedContent).active == "tab-lesson"
        await pilot.click("#transcript", offset=(5, 1))
        await pilot.pause()
        assert app.main.query_one("#side", TabbedContent).active == "tab-detail"
        detail = str(app.main.query_one("#detail-text", Static).content)
        assert detail.splitlines()[0] == "The server is ready: the session begins in AUTHORIZATION."
        assert "RFC 1939 §4 The AUTHORIZATION State: https://www.rfc-editor.org/rfc/rfc1939#section-4" in detail
