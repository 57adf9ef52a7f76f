"""Evaluating an exercise: running its named checks (and its answer) over a context, and the result — what
passed, what did not and the next hint — as a frozen value every face renders (text here; JSON for progress).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from poplab.exercises.model import Exercise
from poplab.exercises.registry import CheckContext, registered
from poplab.exercises.texts import Say, Text, both, msg

ANSWER = "answer"


@dataclass(frozen=True)
class CheckOutcome:
    """One check's verdict. ``hint`` is set when it failed: the teacher's hint for it, else the check's own."""

    name: str
    passed: bool
    detail: Say
    hint: Say | None = None


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    title: Text
    outcomes: tuple[CheckOutcome, ...]
    sessions: int = 0
    points: int = 0

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(outcome.passed for outcome in self.outcomes)

    @property
    def failed(self) -> tuple[CheckOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.passed)

    @property
    def next_hint(self) -> Say | None:
        return next((outcome.hint for outcome in self.failed if outcome.hint is not None), None)

    def text(self, lang: str | None = None) -> str:
        """The result for a terminal: one line per check, the hint under each failed one, then a summary."""
        title = msg("Exercise {id}: {title}", id=self.exercise, title=self.title.render(lang))
        lines = [title.render(lang)]
        shown: set[str] = set()
        for outcome in self.outcomes:
            lines.append(f"  {'✓' if outcome.passed else '✗'} {outcome.detail.render(lang)}")
            hint = outcome.hint.render(lang) if outcome.hint is not None else None
            if hint and hint not in shown:
                lines.append(f"      → {hint}")
                shown.add(hint)
        if self.passed:
            lines.append(msg("All checks pass — well done!").render(lang))
        else:
            passed = len(self.outcomes) - len(self.failed)
            lines.append(msg("{passed} of {total} checks pass.", passed=passed, total=len(self.outcomes)).render(lang))
        return "\n".join(lines)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "passed": self.passed,
            "sessions": self.sessions,
            "checks": [
                {
                    "name": outcome.name,
                    "passed": outcome.passed,
                    "detail": outcome.detail.render(lang),
                    "hint": outcome.hint.render(lang) if outcome.hint is not None else None,
                }
                for outcome in self.outcomes
            ],
        }


def evaluate(
    exercise: Exercise, context: CheckContext, answer: str | None = None, *, with_answer: bool = True
) -> CheckResult:
    """Run every check of the exercise; with ``with_answer`` (and an answer asked for), check the answer too."""
    checks = registered()
    outcomes = []
    for spec in exercise.checks:
        definition = checks[spec.name]
        verdict = definition.function(context, spec)
        hint: Say | None = None
        if not verdict.passed:
            hint = spec.hint if spec.hint is not None else definition.hint(context, spec)
        outcomes.append(CheckOutcome(spec.name, verdict.passed, verdict.detail, hint))
    if with_answer and exercise.answer is not None:
        outcomes.append(_answer_outcome(exercise, answer, context.answers))
    return CheckResult(exercise.id, exercise.title, tuple(outcomes), len(context.sessions), exercise.points)


def _answer_outcome(exercise: Exercise, answer: str | None, expected: tuple[str, ...]) -> CheckOutcome:
    assert exercise.answer is not None
    question = exercise.answer.question
    if answer is None:
        asked = both(lambda lang: msg("This exercise asks for an answer: {question}", question=question.render(lang)))
        return CheckOutcome(ANSWER, False, asked, msg("Give your answer with --answer (or check(answer=...))."))
    if exercise.answer.matches(answer, expected):
        return CheckOutcome(ANSWER, True, msg("Your answer '{answer}' is right.", answer=answer.strip()))
    wrong = msg("Your answer '{answer}' is not right.", answer=answer.strip())
    return CheckOutcome(ANSWER, False, wrong, exercise.answer.hint or question)
