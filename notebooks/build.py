"""Build the lesson notebooks, English and German, from one source (``lessons/``).

    python notebooks/build.py           write notebooks/en/NN-slug.ipynb and notebooks/de/NN-slug.ipynb
    python notebooks/build.py --check   exit 1 if the committed notebooks differ from what the build makes

Notebooks are written without outputs and validated with ``nbformat.validate``. Tasks have blanks (``...``);
``build(lesson, lang, solved=True)`` fills in the solutions, which is how the tests execute them.
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
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def build(lesson: Lesson, lang: str, solved: bool = False) -> NotebookNode:
    """One lesson as a notebook in one language; every cell has a stable id."""
    cells: list[NotebookNode] = []
    tasks = 0
    for cell in lesson.cells:
        if isinstance(cell, Md):
            cells.append(nbformat.v4.new_markdown_cell(cell.de if lang == "de" else cell.en))
        elif isinstance(cell, Code):
            cells.append(nbformat.v4.new_code_cell(cell.text(lang)))
        elif isinstance(cell, Task):
            tasks += 1
            statement = cell.de if lang == "de" else cell.en
            cells.append(nbformat.v4.new_markdown_cell(f"### ✎ {TASK_WORD[lang]} {tasks}\n\n{statement}"))
            cells.append(nbformat.v4.new_code_cell(cell.text(lang, solved), metadata={"tags": ["task"]}))
        elif isinstance(cell, Check):
            cells.append(nbformat.v4.new_code_cell(cell.text(lang), metadata={"tags": ["self-check"]}))
    for number, made in enumerate(cells, 1):
        made["id"] = f"{lesson.number}-{number:02d}"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a notebook differs")
    args = parser.parse_args(argv)
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
