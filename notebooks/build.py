"""Build the lesson notebooks, English and German, from one source (``lessons/``).

    python notebooks/build.py           write notebooks/en/NN-slug.ipynb and notebooks/de/NN-slug.ipynb
    python notebooks/build.py --check   exit 1 if the committed notebooks differ from what the build makes
    python notebooks/build.py --solved DIR   write the solved notebooks (for teachers) to DIR/en and DIR/de

Notebooks are written without outputs and validated with ``nbformat.validate``. Tasks have blanks (``...``);
``build(lesson, lang, solved=True)`` fills in the solutions, which is how the tests execute them, and
``practice(lesson, lang)`` tries every task as committed, then wrong, then right, and checks each twice. Self-check
cells are locked (``editable``/``deletable`` false, as JupyterLab honours).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from lessons import LESSONS  # noqa: E402
from lessons.cells import Check, Code, Lesson, Md, Task  # noqa: E402

LANGUAGES = ("en", "de")
TASK_WORD = {"en": "Task", "de": "Aufgabe"}
LOCKED = {"editable": False, "deletable": False, "tags": ["self-check"]}
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def _cells(lesson: Lesson, lang: str, solved: bool, practice: bool = False) -> list[NotebookNode]:
    cells: list[NotebookNode] = []
    tasks = 0
    last_task: Task | None = None
    for cell in lesson.cells:
        if isinstance(cell, Md):
            cells.append(nbformat.v4.new_markdown_cell(cell.de if lang == "de" else cell.en))
        elif isinstance(cell, Code):
            cells.append(nbformat.v4.new_code_cell(cell.text(lang)))
        elif isinstance(cell, Task):
            tasks += 1
            last_task = cell
            statement = cell.de if lang == "de" else cell.en
            cells.append(nbformat.v4.new_markdown_cell(f"### ✎ {TASK_WORD[lang]} {tasks}\n\n{statement}"))
            cells.append(nbformat.v4.new_code_cell(cell.text(lang, solved), metadata={"tags": ["task"]}))
        elif isinstance(cell, Check):
            metadata = dict(LOCKED, tags=["self-check"], **({"attempt": "blank"} if practice else {}))
            check = nbformat.v4.new_code_cell(cell.text(lang), metadata=metadata)
            cells.append(check)
            if practice and last_task is not None:
                cells += _tries(last_task, check, lang)
    return cells


def _tries(task: Task, check: NotebookNode, lang: str) -> list[NotebookNode]:
    """After the task as committed and its check: the usual mistake and its check, the solution and its check twice."""
    tagged = {"tags": ["task"]}
    tries = [nbformat.v4.new_code_cell(task.text(lang, False, wrong=True), metadata=dict(tagged, attempt="wrong"))]
    tries.append(nbformat.v4.new_code_cell(check.source, metadata=dict(LOCKED, tags=["self-check"], attempt="wrong")))
    tries.append(nbformat.v4.new_code_cell(task.text(lang, True), metadata=dict(tagged, attempt="right")))
    for attempt in ("right", "again"):
        tries.append(
            nbformat.v4.new_code_cell(check.source, metadata=dict(LOCKED, tags=["self-check"], attempt=attempt))
        )
    return tries


def _notebook(lesson: Lesson, cells: list[NotebookNode]) -> NotebookNode:
    for number, made in enumerate(cells, 1):
        made["id"] = f"{lesson.number}-{number:02d}"
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=METADATA)
    nbformat.validate(notebook)
    return notebook


def build(lesson: Lesson, lang: str, solved: bool = False) -> NotebookNode:
    """One lesson as a notebook in one language; every cell has a stable id."""
    return _notebook(lesson, _cells(lesson, lang, solved))


def practice(lesson: Lesson, lang: str) -> NotebookNode:
    """The lesson as a careless learner runs it (for the tests): every task as committed and checked ("Not yet"),
    then its usual mistake and the check, then the solution and the check twice; halfway through, the first code
    cell runs again (a new lab) and the lesson goes on."""
    cells = _cells(lesson, lang, solved=False, practice=True)
    first = next(cell for cell in cells if cell.cell_type == "code")
    tasks = [
        i for i, cell in enumerate(cells) if "task" in cell.metadata.get("tags", []) and "attempt" not in cell.metadata
    ]
    middle = next((i for i in tasks if i >= len(cells) // 2), tasks[-1])
    again = nbformat.v4.new_code_cell(first.source, metadata={"attempt": "first-cell-again"})
    return _notebook(lesson, [*cells[:middle], again, *cells[middle:]])


def checks_alone(lang: str) -> NotebookNode:
    """Every lesson's check cells and nothing else, as a fresh kernel (after a restart) would run one of them
    first: a check cell defines nothing the next one could use, so one kernel stands for one per cell."""
    cells = []
    for lesson in LESSONS:
        made = _cells(lesson, lang, solved=True)
        cells += [cell for cell in made if "self-check" in cell.metadata.get("tags", [])]
    for number, cell in enumerate(cells, 1):
        cell["id"] = f"alone-{number:02d}"
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=METADATA)
    nbformat.validate(notebook)
    return notebook


def text_of(notebook: NotebookNode) -> str:
    """The file's text, exactly as written (so ``--check`` compares text)."""
    return nbformat.writes(notebook) + "\n"


def path_of(lesson: Lesson, lang: str, root: Path = HERE) -> Path:
    return root / lang / f"{lesson.name}.ipynb"


def expected() -> dict[Path, str]:
    """Every notebook file the build makes, with its text."""
    return {path_of(lesson, lang): text_of(build(lesson, lang)) for lesson in LESSONS for lang in LANGUAGES}


def differences() -> list[Path]:
    """Files that are missing or differ from the build, and stray notebooks the build does not make."""
    wanted = expected()
    wrong = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    stray = [p for lang in LANGUAGES for p in sorted((HERE / lang).glob("*.ipynb")) if p not in wanted]
    return wrong + stray


def write_solved(folder: Path) -> list[Path]:
    """The solved notebooks (every blank filled in), for teachers; returns the files written."""
    written = []
    for lesson in LESSONS:
        for lang in LANGUAGES:
            path = path_of(lesson, lang, folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text_of(build(lesson, lang, solved=True)), encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a notebook differs")
    parser.add_argument("--solved", type=Path, metavar="DIR", help="write the solved notebooks to DIR/en and DIR/de")
    args = parser.parse_args(argv)
    if args.solved is not None:
        for path in write_solved(args.solved):
            print(f"wrote {path}")
        return 0
    if args.check:
        wrong = differences()
        for path in wrong:
            print(f"differs from the build: {path.relative_to(HERE.parent)}")
        return 1 if wrong else 0
    for path, text in expected().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
