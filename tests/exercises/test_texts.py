"""Every engine text the exercises show is listed for the catalog tool and has German in the shared catalog, and
both languages render."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import poplab
from poplab.exercises.texts import ENGINE_TEXTS, Text, msg
from poplab.i18n import translator

ROOT = Path(poplab.__file__).parent
SOURCES = [*sorted((ROOT / "exercises").glob("*.py")), *sorted((ROOT / "commands").glob("[ec][xl]*.py"))]


def engine_texts() -> set[str]:
    found = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "msg":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), f"{path}: msg() needs text"
                found.add(first.value)
    return found


def test_sources_are_scanned() -> None:
    names = {path.name for path in SOURCES}
    assert {"checks_session.py", "result.py", "exercise.py", "classroom.py"} <= names


@pytest.mark.parametrize("text", sorted(engine_texts()))
def test_every_engine_text_is_listed_and_has_german(text: str) -> None:
    assert text in ENGINE_TEXTS
    german = translator("de").catalog.gettext(text)
    assert german != text


def test_no_listed_text_is_unused() -> None:
    assert set(ENGINE_TEXTS) == engine_texts()


def test_a_message_renders_in_both_languages_with_its_values() -> None:
    message = msg("Message {numbers} downloaded with RETR.", numbers=[5, 6])
    assert message.render("en") == "Message 5, 6 downloaded with RETR."
    assert message.render("de") == "Nachricht 5, 6 mit RETR heruntergeladen."
    assert message.render("fr") == "Message 5, 6 downloaded with RETR."


def test_a_text_without_german_falls_back_to_english() -> None:
    assert Text("Hello").render("de") == "Hello"
    assert Text("Hello", "Hallo").render("de-AT") == "Hallo"
