"""Every command's ``--help`` says what it does in a sentence and ends with one example to copy; ``poplab --help``
lists ``--lang``. Checked on the parser for every command, subcommand and action, and once through the real
console script."""

from __future__ import annotations

import subprocess
import sys

import pytest

from poplab.cli import build_parser
from poplab.commands.help_texts import EXAMPLES, commands

ALL = commands(build_parser())


def test_every_command_has_an_example_and_every_example_a_command() -> None:
    assert sorted(path for path, _ in ALL) == sorted(EXAMPLES)


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[path or "poplab" for path, _ in ALL])
def test_help_has_a_sentence_and_an_example(path: str, parser: object) -> None:
    text = parser.format_help()  # type: ignore[attr-defined]
    description = parser.description  # type: ignore[attr-defined]
    assert description and description.strip().endswith((".", ")")), path
    assert description.split()[0][0].isupper()
    assert text.rstrip().splitlines()[-1] == f"example: {EXAMPLES[path]}"
    assert EXAMPLES[path].startswith("poplab") and len(f"example: {EXAMPLES[path]}") <= 78


def test_the_top_level_help_lists_lang_and_the_tutor_example() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "poplab", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "--lang {en,de}" in done.stdout
    assert done.stdout.rstrip().endswith("example: poplab --lang de")
    reset = subprocess.run(
        [sys.executable, "-m", "poplab", "reset", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "Restore the demo accounts and their mailboxes." in reset.stdout
