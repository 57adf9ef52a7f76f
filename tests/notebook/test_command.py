"""``poplab notebooks``: the notebooks are copied to a folder of the learner's own (their work is kept) and
JupyterLab is started there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from poplab.cli import main
from poplab.commands import notebooks

ORIGINALS = Path(__file__).resolve().parents[2] / "notebooks"
LESSONS = len(list((ORIGINALS / "lessons").glob("l[0-9][0-9]_*.py")))
"""One notebook per lesson module (``notebooks/lessons/lNN_slug.py``) in each language."""


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def call(command: list[str], **options: Any) -> int:
        calls.append({"command": command, **options})
        return 0

    monkeypatch.setattr(subprocess, "call", call)
    return calls


def test_copies_the_chosen_language_and_starts_jupyterlab_there(
    tmp_path: Path, launched: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine"
    assert main(["notebooks", "--dir", str(target), "--lang", "de", "--no-browser"]) == 0
    names = sorted(path.name for path in target.glob("*.ipynb"))
    assert names == sorted(path.name for path in (ORIGINALS / "de").glob("*.ipynb")) and len(names) == LESSONS
    assert (target / "01-first-session.ipynb").read_bytes() == (
        ORIGINALS / "de" / "01-first-session.ipynb"
    ).read_bytes()
    [call] = launched
    assert call["command"][:4] == [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={target}"]
    assert "--no-browser" in call["command"] and call["command"][-1] == str(target / "01-first-session.ipynb")
    assert call["cwd"] == target and call["env"]["POPLAB_LANG"] == "de"
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{LESSONS} Notebooks nach {target} kopiert", f"JupyterLab startet in {target}; beenden mit Strg-C"]


def test_a_learners_own_work_is_kept_unless_fresh_is_asked_for(tmp_path: Path, launched: list[Any]) -> None:
    original = (ORIGINALS / "en" / "01-first-session.ipynb").read_text(encoding="utf-8")
    assert notebooks.copy_notebooks(ORIGINALS / "en", tmp_path, fresh=False) == (LESSONS, 0)
    mine = tmp_path / "01-first-session.ipynb"
    mine.write_text(original.replace("Shift+Enter", "my notes"), encoding="utf-8")
    assert notebooks.copy_notebooks(ORIGINALS / "en", tmp_path, fresh=False) == (0, LESSONS)
    assert "my notes" in mine.read_text(encoding="utf-8")
    assert notebooks.copy_notebooks(ORIGINALS / "en", tmp_path, fresh=True) == (LESSONS, 0)
    assert mine.read_text(encoding="utf-8") == original


def test_without_jupyterlab_the_error_says_how_to_install_it(
    tmp_path: Path, launched: list[Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = notebooks.importlib.util.find_spec
    monkeypatch.setattr(
        notebooks.importlib.util, "find_spec", lambda name, *a: None if name == "jupyterlab" else real(name, *a)
    )
    assert main(["notebooks", "--dir", str(tmp_path), "--lang", "en"]) == 2
    assert capsys.readouterr().err == (
        'poplab: error: JupyterLab is not installed: pip install -e ".[notebooks]" in the poplab folder (the tutor '
        "and the notebook API need only the base install)\n"
    )
    assert launched == []


def test_the_notebooks_are_found_in_the_checkout_and_a_missing_folder_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert notebooks.source_folder("de") == ORIGINALS / "de"
    monkeypatch.setattr(notebooks.poplab, "__file__", str(tmp_path / "site-packages" / "poplab" / "__init__.py"))
    monkeypatch.chdir(ORIGINALS.parent)
    assert notebooks.source_folder("en") == ORIGINALS / "en"  # pip install . run in the checkout
    monkeypatch.chdir(tmp_path)
    assert main(["notebooks", "--dir", str(tmp_path / "x"), "--lang", "en"]) == 2
    missing = tmp_path / "site-packages" / "notebooks" / "en"
    assert capsys.readouterr().err == (
        f"poplab: error: the lesson notebooks are not in this installation (looked in {missing})\n"
    )


def test_port_and_token_pass_through_and_teachers_get_the_solved_notebooks(
    tmp_path: Path, launched: list[dict[str, Any]]
) -> None:
    target = tmp_path / "solved"
    assert (
        main(["notebooks", "--dir", str(target), "--lang", "en", "--solutions", "--port", "8899", "--token", "s3"]) == 0
    )
    [call] = launched
    assert "--ServerApp.port=8899" in call["command"] and "--IdentityProvider.token=s3" in call["command"]
    first = (target / "01-first-session.ipynb").read_text(encoding="utf-8")
    assert 'command = \\"STAT\\"' in first and first != (ORIGINALS / "en" / "01-first-session.ipynb").read_text()


def test_progress_lists_the_notebook_checks(capsys: pytest.CaptureFixture[str]) -> None:
    from poplab.notebook.lesson_progress import NotebookProgress

    NotebookProgress().note("01-1", False)
    NotebookProgress().note("01-1", True)
    assert main(["notebooks", "--progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["task", "done", "attempts", "first", "done"]
    assert lines[1].split()[:3] == ["01-1", "✓", "2"]
