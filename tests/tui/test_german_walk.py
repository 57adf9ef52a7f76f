"""The tutor in German, walked screen by screen as a German class sees it — the welcome, the seed session with an
-ERR, every side tab, a lesson, an exercise with its check, the help, the export dialog, the Ctrl+C notice and a
dropped connection, at 80×24: no English sentence of the tutor's or the annotator's may appear (the server's own
replies are English and are left aside). English sentences are taken from the catalog: every msgid whose German
differs, cut at its placeholders into runs of at least four words."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from poplab.tui.app import TutorApp
from poplab.tui.screens.welcome import WelcomeScreen

from .conftest import MakeApp
from .helpers import screen_text, send_keys, settle, started, type_line

CATALOG = Path(__file__).parents[2] / "poplab" / "locale" / "de" / "LC_MESSAGES" / "poplab.po"
FRAME = re.compile(r"[│╭╮╰╯─━▏▕▁▂▃▄▅▆▇█▔▌╸╺]")


def english_sentences() -> set[str]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    found: set[str] = set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or message.string == message.id:
            continue
        for piece in re.split(r"\{[^}]*\}", message.id):
            words = piece.split()
            if len(words) >= 4:
                found.add(" ".join(words))
    return found


def flat(screen: str) -> str:
    return " ".join(FRAME.sub(" ", screen).split())


async def walk(app: TutorApp, pilot: object) -> list[str]:
    """Every screen of a German session, as text."""
    seen: list[str] = []

    async def look() -> None:
        await settle(pilot, app)  # type: ignore[arg-type]
        seen.append(screen_text(app))

    async def press(*keys: str) -> None:
        await pilot.press(*keys)  # type: ignore[attr-defined]
        await look()

    await started(pilot, app)  # type: ignore[arg-type]
    assert isinstance(app.screen, WelcomeScreen)
    await look()
    await press("enter")
    for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "RETR 9", "STAR", "RETR 1", "DELE 1"):
        await type_line(pilot, app, line)  # type: ignore[arg-type]
        await look()
    await send_keys(app, [("enter", "\r")])
    await look()
    for tab in ("tab-detail", "tab-mailbox", "tab-lesson"):
        app.main.query_one("#side").active = tab  # type: ignore[attr-defined]
        await look()
    await press("ctrl+d")
    app.main.query_one("#transcript").focus()
    await press("ctrl+c")  # outside the command line (where it copies) it says how to quit
    seen.extend(notification.message for notification in app._notifications)
    await press("f1")
    await press("escape")
    await press("f4")
    await press("escape")
    await press("f6", "enter")
    await type_line(pilot, app, "USER wiki@example.com")  # type: ignore[arg-type]
    await look()
    await type_line(pilot, app, "/exercise 2")  # type: ignore[arg-type]
    await look()
    await press("f7")
    await type_line(pilot, app, "/answer 1 2")  # type: ignore[arg-type]
    await look()
    await press("f8")
    await press("f9")
    return seen


async def test_no_english_sentence_on_any_german_screen(make_app: MakeApp) -> None:
    app = make_app(lang="de", welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screens = await walk(app, pilot)
    english = english_sentences()
    assert len(english) > 300  # the catalog is read: hundreds of sentences to look for
    found = {sentence for screen in screens for sentence in english if sentence in flat(screen)}
    assert "Drücke Strg+Q, um den Tutor zu beenden (Strg+C kopiert markierten Text)." in screens
    assert not found, "English on a German screen:\n" + "\n".join(sorted(found)) + "\n\n" + "\n====\n".join(screens)
