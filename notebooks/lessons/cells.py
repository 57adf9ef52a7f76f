"""The building blocks of a lesson: Markdown and code cells with English and German texts, tasks (a statement and
a code cell with placeholders the learner fills in) and self-checks (a locked ``check("NN-k")`` cell).
``build.py`` turns a :class:`Lesson` into one notebook per language."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LANG_TOKEN = "@LANG@"
"""In code, stands for the notebook's language as a string literal ("en" or "de")."""


@dataclass(frozen=True)
class Md:
    en: str
    de: str


@dataclass(frozen=True)
class Code:
    """Python code; ``de`` when comments or strings differ in German."""

    en: str
    de: str | None = None

    def text(self, lang: str) -> str:
        code = self.de if lang == "de" and self.de is not None else self.en
        return code.replace(LANG_TOKEN, f'"{lang}"')


@dataclass(frozen=True)
class Task:
    """A task: its statement, and code where each ``<<NAME>>`` is a blank: ``...`` (or the given placeholder) in
    the notebook, the solution when the notebooks are executed in the tests (or written solved for teachers), and
    ``wrong`` — the usual mistake — in the tests that try a wrong answer first."""

    en: str
    de: str
    code: Code
    answers: dict[str, str] = field(default_factory=dict)
    blanks: dict[str, Code] = field(default_factory=dict)
    wrong: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str, solved: bool, wrong: bool = False) -> str:
        code = self.code.text(lang)
        for name, answer in self.answers.items():
            blank = self.blanks[name].text(lang) if name in self.blanks else "..."
            chosen = self.wrong.get(name, blank) if wrong else answer if solved else blank
            code = code.replace(f"<<{name}>>", chosen)
        return code


@dataclass(frozen=True)
class Check:
    """A task's self-check cell: ``check("NN-k")`` — the check itself, its expected answer and hints live in the
    package (``poplab/notebook/lesson_checks_*.py``), not in the notebook. The cell is locked in JupyterLab."""

    task: str
    ok_en: str = "✓ Well done."
    ok_de: str = "✓ Gut gemacht."

    @property
    def steps(self) -> tuple[tuple[str, str, str], ...]:
        """The check's own texts — ``("", English, German)`` for every ``Both(...)`` of its function in the
        package — so the glossary test reads the hints' German as it reads the lessons'."""
        return check_texts().get(self.task, ())

    def text(self, lang: str) -> str:
        return f'from poplab.notebook import check\n\ncheck("{self.task}", "{lang}")'


Cell = Md | Code | Task | Check

CHECK_SOURCES = Path(__file__).resolve().parents[2] / "poplab" / "notebook"


@cache
def check_texts() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Per task, the literal ``Both(en, de)`` texts in the function its ``@task("NN-k")`` registers."""
    found: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for path in sorted(CHECK_SOURCES.glob("lesson_checks_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or not node.decorator_list:
                continue
            decorator = node.decorator_list[0]
            if isinstance(decorator, ast.Call) and isinstance(decorator.args[0], ast.Constant):
                pairs = [_both(call) for call in ast.walk(node) if isinstance(call, ast.Call)]
                found[str(decorator.args[0].value)] = tuple(("", en, de) for en, de in filter(None, pairs))
    return found


def _both(call: ast.Call) -> tuple[str, str] | None:
    if not (isinstance(call.func, ast.Name) and call.func.id == "Both" and len(call.args) == 2):
        return None
    try:
        en, de = (ast.literal_eval(arg) for arg in call.args)
    except ValueError:
        return None  # a text with a value filled in at run time
    return (en, de) if isinstance(en, str) and isinstance(de, str) else None


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    cells: tuple[Cell, ...]

    @property
    def name(self) -> str:
        return f"{self.number}-{self.slug}"
