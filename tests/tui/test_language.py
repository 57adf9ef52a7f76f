"""The tutor in German: started so, and switched live with F2 (the transcript's explanations included)."""

from __future__ import annotations

from textual.widgets import Tabs

from poplab.tui.widgets.command_input import CommandInput
from tests.tui.conftest import MakeApp
from tests.tui.helpers import badge, screen_text, started, type_line

GREETING_DE = "   Der Server ist bereit: Die Sitzung beginnt im Zustand AUTHORIZATION."
GREETING_EN = "   The server is ready: the session begins in AUTHORIZATION."


def tab_labels(app: object) -> list[str]:
    tabs = app.main.query_one(Tabs)  # type: ignore[attr-defined]
    return [str(tab.label) for tab in tabs.query("Tab")]


async def test_started_in_german(make_app: MakeApp) -> None:
    app = make_app(lang="de")
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "USER wiki@example.com")
        screen = screen_text(app)
        assert " AUTHORIZATION  eingebauter Server · unverschlüsselt " in screen
        assert "»  Verbinde mit dem eingebauten Server (unverschlüsselt) …" in screen
        assert GREETING_DE in screen
        assert "   Der Server nimmt den Namen an und wartet auf PASS." in screen
        assert tab_labels(app) == ["Details", "Postfach", "Lektion"]
        assert "Noch nicht angemeldet: Ein POP3-Server zeigt ein Postfach erst, wenn USER und PASS" in screen
        assert "f1 Hilfe f2 English f6 Lektionen f3f4f5 Roh/Export/Neu ^r^t^d Verbindung ^q Ende" in screen
        assert app.main.query_one(CommandInput).placeholder.startswith("POP3-Befehl eingeben, z. B. PASS …")
        assert badge(app) == "AUTHORIZATION"


async def test_f2_switches_everything_live(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "QUIT")
        assert badge(app) == "closed"
        before = screen_text(app)
        assert GREETING_EN in before and "f2 Deutsch" in before
        await pilot.press("f2")
        await pilot.pause()
        after = screen_text(app)
        assert GREETING_DE in after
        assert "   QUIT beendet die Sitzung; das Postfach bleibt unverändert." in after
        assert "── Der Server hat die Verbindung beendet." in after
        assert badge(app) == "geschlossen"
        assert " eingebauter Server · unverschlüsselt " in after  # the status bar names the server in German too
        assert tab_labels(app) == ["Details", "Postfach", "Lektion"]
        assert "f2 English" in after
        await pilot.press("f2")
        await pilot.pause()
        assert GREETING_EN in screen_text(app)
        assert tab_labels(app) == ["Detail", "Mailbox", "Lesson"]
