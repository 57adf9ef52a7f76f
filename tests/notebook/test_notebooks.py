"""The lesson notebooks: committed exactly as the build makes them (valid, without outputs, check cells locked),
and every one, in both languages, runs in a fresh kernel: solved (no error, every check ✓); as a careless learner
runs it (every task as committed, then its usual mistake, then right, each checked — "Not yet", "Not yet", ✓, ✓ —
with the first cell run again halfway); and after a restart, its checks alone (each says which cell to run). No
cell shows a traceback in any of them."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WORKERS = 2
"""Kernels run two at a time: the notebooks mostly wait on their kernels, and the machine has two cores."""


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("poplab_notebook_build", NOTEBOOKS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load_build()
CASES = [(lesson, lang) for lesson in build.LESSONS for lang in build.LANGUAGES]
IDS = [f"{lesson.name}-{lang}" for lesson, lang in CASES]


@dataclass(frozen=True)
class Run:
    notebook: Any
    seconds: float

    def errors(self) -> list[tuple[Any, Any]]:
        return [(cell, out) for cell in self.code_cells() for out in cell.outputs if out.output_type == "error"]

    def code_cells(self) -> Iterator[Any]:
        return (cell for cell in self.notebook.cells if cell.cell_type == "code")

    def checks(self) -> list[Any]:
        return [cell for cell in self.code_cells() if "self-check" in cell.metadata.get("tags", [])]

    def verdicts(self) -> list[tuple[str, str]]:
        """(attempt, the verdict's plain text) of every check cell, in order."""
        return [(cell.metadata.get("attempt", ""), _plain(cell)) for cell in self.checks()]


def _plain(cell: Any) -> str:
    return "".join(out.get("data", {}).get("text/plain", "") for out in cell.outputs if "data" in out)


MODES = ("solved", "practice")


def _execute(job: tuple[Any, str, str], folder: Path) -> Run:
    lesson, lang, mode = job
    made = {"solved": lambda: build.build(lesson, lang, solved=True), "practice": lambda: build.practice(lesson, lang)}
    notebook = made.get(mode, lambda: build.checks_alone(lang))()
    started = time.monotonic()
    client = NotebookClient(
        notebook, timeout=60, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(folder)}}
    )
    env = {**os.environ, "POPLAB_PROGRESS": str(folder / "progress"), "POPLAB_CHECK_TIMEOUT": "1"}
    client.execute(env=env)
    return Run(notebook, time.monotonic() - started)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Run]:
    """Every notebook in both languages — solved, practised, and its checks alone — each in a fresh kernel."""
    jobs = [(None, lang, "alone") for lang in build.LANGUAGES]
    jobs += [(lesson, lang, mode) for mode in MODES for lesson, lang in CASES]
    folder = tmp_path_factory.mktemp("kernels")
    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda job: _execute(job, folder), jobs))
    total = time.monotonic() - started
    solved = sum(run.seconds for (_, _, m), run in zip(jobs, results, strict=True) if m == "solved")
    count = len(CASES)
    print(f"\n{len(jobs)} notebook runs in {total:.1f} s (the {count} solved ones: {solved:.1f} s of kernel time)")
    return {(lesson.name if lesson else "", lang, m): run for (lesson, lang, m), run in zip(jobs, results, strict=True)}


def test_the_committed_notebooks_are_what_the_build_makes() -> None:
    assert build.differences() == []
    assert len(build.expected()) == 2 * len(build.LESSONS)
    assert [lesson.number for lesson in build.LESSONS][:9] == [f"{n:02d}" for n in range(1, 10)]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*/*.ipynb")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_committed_notebooks_are_valid_and_have_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert f'Lab(lang="{path.parent.name}"' in code[0].source


WELL_DONE = {"en": "✓ Well done.", "de": "✓ Gut gemacht."}
NOT_YET = {"en": "Not yet.", "de": "Noch nicht."}


def test_check_cells_are_locked_and_hold_no_answer() -> None:
    for lesson, lang in CASES:
        notebook = build.build(lesson, lang)
        checks = [cell for cell in notebook.cells if "self-check" in cell.metadata.get("tags", [])]
        assert checks, lesson.name
        for cell in checks:
            assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
            assert cell.source.startswith("from poplab.notebook import check\n\ncheck(")


@pytest.mark.parametrize(("lesson", "lang"), CASES, ids=IDS)
def test_solved_notebook_runs_and_every_self_check_passes(lesson: Any, lang: str, runs: dict[Any, Run]) -> None:
    run = runs[(lesson.name, lang, "solved")]
    assert [(cell.id, out.ename, out.evalue) for cell, out in run.errors()] == []
    assert len(run.checks()) >= 2
    for cell in run.checks():
        assert _plain(cell).startswith(WELL_DONE[lang]), (cell.id, _plain(cell))


@pytest.mark.parametrize(("lesson", "lang"), CASES, ids=IDS)
def test_every_task_as_committed_then_wrong_then_right_then_again(lesson: Any, lang: str, runs: dict[Any, Run]) -> None:
    """Each check: "Not yet" for the blank and for the usual mistake, ✓ for the answer and again ✓ when run twice;
    no traceback anywhere (the first cell runs again halfway and the lesson goes on)."""
    run = runs[(lesson.name, lang, "practice")]
    assert [(cell.id, out.ename, out.evalue) for cell, out in run.errors()] == []
    verdicts = run.verdicts()
    assert len(verdicts) == 4 * sum(isinstance(cell, build.Check) for cell in lesson.cells)
    for attempt, text in verdicts:
        expected = NOT_YET[lang] if attempt in ("blank", "wrong") else WELL_DONE[lang]
        assert text.startswith(expected), (attempt, text)
        assert "Traceback" not in text and "Error" not in text.split("\n")[0]
    assert any(cell.metadata.get("attempt") == "first-cell-again" for cell in run.code_cells())


@pytest.mark.parametrize("lang", build.LANGUAGES)
def test_after_a_restart_each_check_alone_says_which_cell_to_run(lang: str, runs: dict[Any, Run]) -> None:
    run = runs[("", lang, "alone")]
    assert [(cell.id, out.ename) for cell, out in run.errors()] == []
    assert len(run.checks()) == sum(isinstance(c, build.Check) for lesson in build.LESSONS for c in lesson.cells)
    for cell in run.checks():
        text = _plain(cell)
        assert text.startswith(NOT_YET[lang]), text
        assert "lab = Lab(...)" in text
