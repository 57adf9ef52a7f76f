"""The building blocks of a lesson: Markdown and code cells with English and German texts, tasks (a statement and
a code cell with placeholders the learner fills in) and self-checks (asserts with friendly messages in both
languages). ``build.py`` turns a :class:`Lesson` into one notebook per language."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    the notebook, the solution when the notebooks are executed in the tests."""

    en: str
    de: str
    code: Code
    answers: dict[str, str] = field(default_factory=dict)
    blanks: dict[str, Code] = field(default_factory=dict)

    def text(self, lang: str, solved: bool) -> str:
        code = self.code.text(lang)
        for name, answer in self.answers.items():
            blank = self.blanks[name].text(lang) if name in self.blanks else "..."
            code = code.replace(f"<<{name}>>", answer if solved else blank)
        return code


@dataclass(frozen=True)
class Check:
    """A self-check cell: in order, code and ``(condition, English message, German message)`` asserts, then a
    line that says well done."""

    steps: tuple[Code | tuple[str, str, str], ...]
    ok_en: str = "✓ Well done."
    ok_de: str = "✓ Gut gemacht."

    def text(self, lang: str) -> str:
        lines = []
        for step in self.steps:
            if isinstance(step, Code):
                lines.append(step.text(lang))
            else:
                condition, en, de = step
                lines.append(f"assert {condition}, {(de if lang == 'de' else en)!r}")
        lines.append(f"print({(self.ok_de if lang == 'de' else self.ok_en)!r})")
        return "\n".join(lines)


Cell = Md | Code | Task | Check


def is_text(name: str, example: str = '"NOOP"') -> tuple[str, str, str]:
    """The first assert of many checks: the answer was written as text (not left as ``...``)."""
    return (
        f"isinstance({name}, str)",
        f"Write your answer as text in quotes, e.g. {example}, instead of the ...",
        f"Schreibe deine Antwort als Text in Anführungszeichen, z. B. {example}, statt der ...",
    )


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    cells: tuple[Cell, ...]

    @property
    def name(self) -> str:
        return f"{self.number}-{self.slug}"
