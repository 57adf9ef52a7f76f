"""The lesson notebooks: committed exactly as the build makes them (valid, without outputs), and every one, in
both languages, runs in a fresh kernel with the solutions filled in — no error, every self-check passing — and,
as committed, fails only in its self-checks, with their friendly messages."""

from __future__ import annotations

import importlib.util
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


def _execute(job: tuple[Any, str, bool], folder: Path) -> Run:
    lesson, lang, solved = job
    notebook = build.build(lesson, lang, solved=solved)
    started = time.monotonic()
    client = NotebookClient(
        notebook, timeout=60, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return Run(notebook, time.monotonic() - started)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, bool], Run]:
    """Every notebook in both languages, solved and as committed, each in a fresh kernel."""
    jobs = [(lesson, lang, solved) for lesson, lang in CASES for solved in (True, False)]
    folder = tmp_path_factory.mktemp("kernels")
    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda job: _execute(job, folder), jobs))
    total = time.monotonic() - started
    solved = sum(run.seconds for (_, _, s), run in zip(jobs, results, strict=True) if s)
    print(f"\n{len(jobs)} notebook runs in {total:.1f} s (the 16 solved ones: {solved:.1f} s of kernel time)")
    return {(lesson.name, lang, s): run for (lesson, lang, s), run in zip(jobs, results, strict=True)}


def test_the_committed_notebooks_are_what_the_build_makes() -> None:
    assert build.differences() == []
    assert len(build.expected()) == 16


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*/*.ipynb")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_committed_notebooks_are_valid_and_have_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert f'Lab(lang="{path.parent.name}")' in code[0].source


@pytest.mark.parametrize(("lesson", "lang"), CASES, ids=IDS)
def test_solved_notebook_runs_and_every_self_check_passes(lesson: Any, lang: str, runs: dict[Any, Run]) -> None:
    run = runs[(lesson.name, lang, True)]
    assert [(cell.id, out.ename, out.evalue) for cell, out in run.errors()] == []
    well_done = "✓ Gut gemacht." if lang == "de" else "✓ Well done."
    for cell in run.checks():
        printed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        assert well_done in printed, cell.id
    assert len(run.checks()) >= 2


@pytest.mark.parametrize(("lesson", "lang"), CASES, ids=IDS)
def test_notebook_as_committed_fails_only_in_its_self_checks(lesson: Any, lang: str, runs: dict[Any, Run]) -> None:
    """Blanks left as they are: each self-check fails with its own message (in the notebook's language)."""
    run = runs[(lesson.name, lang, False)]
    failed = {cell.id: out for cell, out in run.errors()}
    assert sorted(failed) == sorted(cell.id for cell in run.checks())
    for cell in run.checks():
        error = failed[cell.id]
        assert error.ename == "AssertionError"
        assert error.evalue and repr(error.evalue) in cell.source


def test_all_sixteen_solved_notebooks_take_under_a_minute(runs: dict[Any, Run]) -> None:
    assert sum(run.seconds for (_, _, solved), run in runs.items() if solved) < 60
