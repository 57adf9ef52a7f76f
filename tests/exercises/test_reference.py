"""Every exercise, over a real connection, on a learner's own variant of the mailbox: its reference solution
(which reads any answer from the server) and an alternative valid solution (a real client, or another command
order) pass every check; its plausible wrong attempt (``wrong.txt``) and a cheat (``cheat.txt``) fail exactly
the checks they name, each with a detail and a hint in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from poplab.exercises import Exercise
from poplab.exercises.result import ANSWER, CheckResult
from tests.exercises.helpers import EXERCISES, SEED, Starter, play, read_attempt, run_program

IDS = [exercise.name for exercise in EXERCISES]


def test_there_are_at_least_fourteen_exercises_numbered_in_order() -> None:
    assert len(EXERCISES) >= 14
    assert [exercise.id for exercise in EXERCISES] == [f"{n:02d}" for n in range(1, len(EXERCISES) + 1)]


def alternative(exercise: Exercise) -> Path:
    (path,) = [path for kind in ("py", "sh", "txt") if (path := exercise.folder / f"alternative.{kind}").is_file()]
    return path


def assert_passes(result: CheckResult) -> None:
    assert [(o.name, o.passed) for o in result.outcomes] == [(o.name, True) for o in result.outcomes], result.text()
    assert result.passed
    assert result.next_hint is None
    assert all(outcome.hint is None for outcome in result.outcomes)
    assert result.text("en").endswith("All checks pass — well done!")
    assert result.text("de").endswith("Alle Prüfungen bestanden – gut gemacht!")


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_reference_solution_passes_every_check(exercise: Exercise, run: Starter) -> None:
    running = run(exercise, SEED)
    answer = play(running, exercise.solution_path.read_text(encoding="utf-8"))
    assert (answer is not None) is (exercise.answer is not None), "an exercise that asks for an answer: @answer"
    assert_passes(running.check(answer))


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_an_alternative_valid_solution_passes_every_check(exercise: Exercise, run: Starter) -> None:
    running = run(exercise, SEED)
    path = alternative(exercise)
    if path.suffix == ".txt":
        answer = play(running, path.read_text(encoding="utf-8"))
    else:
        answer = run_program(running, path) or None
    assert (answer is not None) is (exercise.answer is not None), "an exercise that asks for an answer prints it"
    assert_passes(running.check(answer))


@pytest.mark.parametrize("kind", ["wrong", "cheat"])
@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_wrong_attempt_and_cheat_fail_with_helpful_messages(exercise: Exercise, kind: str, run: Starter) -> None:
    attempt = read_attempt(exercise.folder / f"{kind}.txt")
    assert attempt.fails, f"{kind}.txt names the checks it fails in '# fails: ...'"
    running = run(exercise, SEED)
    given = play(running, attempt.text)
    result = running.check(given if given is not None else attempt.answer)
    assert not result.passed
    assert tuple(outcome.name for outcome in result.failed) == attempt.fails, result.text()
    for outcome in result.failed:
        assert outcome.hint is not None
        english, german = outcome.detail.render("en"), outcome.detail.render("de")
        assert english and german and english != german
        assert outcome.hint.render("en") != outcome.hint.render("de")
    assert result.next_hint == result.failed[0].hint
    text = result.text("en")
    assert f"{len(result.outcomes) - len(result.failed)} of {len(result.outcomes)} checks pass." in text
    assert "✗" in text and "→" in text


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.answer is not None], ids=lambda e: e.name)
def test_an_exercise_that_asks_for_an_answer_says_so_when_none_is_given(exercise: Exercise, run: Starter) -> None:
    running = run(exercise, SEED)
    play(running, exercise.solution_path.read_text(encoding="utf-8"))
    result = running.check()
    assert [outcome.name for outcome in result.failed] == [ANSWER]
    assert exercise.answer is not None
    question = exercise.answer.question.render("en")
    assert result.failed[0].detail.render("en") == f"This exercise asks for an answer: {question}"
    assert result.failed[0].hint is not None
    assert result.failed[0].hint.render("en") == "Give your answer with --answer (or check(answer=...))."
