"""Issue 11: per-learner variants, valid solutions the checks used to reject, cheats they used to let pass, and
``show`` without the answers."""

from __future__ import annotations

import pytest

from poplab.exercises import find_exercise
from poplab.exercises.variant import expected_answers, make_variant, octets
from tests.exercises.helpers import EXERCISES, SEED, Starter, play, read_attempt, run_program


def exercise(key: str):  # type: ignore[no-untyped-def]
    return find_exercise(key, EXERCISES)


def test_two_learners_get_different_answers_and_one_learner_always_the_same() -> None:
    for key in ("02", "03", "09"):
        answer = exercise(key).answer
        assert answer is not None
        anna = expected_answers(answer, make_variant(exercise(key), "class/anna-01/pw1"))
        bo = expected_answers(answer, make_variant(exercise(key), "class/bo-01/pw2"))
        assert anna != bo, key
        assert anna == expected_answers(answer, make_variant(exercise(key), "class/anna-01/pw1"))
    assert expected_answers(exercise("02").answer, make_variant(exercise("02"))) == ("6 8231",)  # type: ignore[arg-type]


def test_a_variant_changes_uids_sizes_and_order_but_not_the_text() -> None:
    base, mine = make_variant(exercise("05")), make_variant(exercise("05"), SEED)
    assert not set(base.uids) & set(mine.uids)
    assert mine.order != base.order == (1, 2, 3, 4, 5, 6)
    assert sorted(mine.order) == list(base.order)
    assert [octets(data) for data in mine.data] != [octets(data) for data in base.data]
    assert all(data.endswith(original) for data, original in zip(mine.data, base.data, strict=True))
    assert mine.initial == tuple(mine.uids[number - 1] for number in mine.order)


def test_the_answer_is_computed_from_the_mailbox_served(run: Starter) -> None:
    running = run(exercise("02"), SEED)
    expected = f"6 {sum(octets(data) for data in running.variant.data)}"
    assert running.check(expected).outcomes[-1].passed
    wrong = running.check("6 8231").outcomes[-1]
    assert (wrong.passed, wrong.detail.render("en")) == (False, "Your answer '6 8231' is not right.")


@pytest.mark.parametrize(
    ("key", "program"),
    [
        ("02", "alternative.py"),  # the count and size read from LIST's status line, not STAT
        ("08", "alternative.py"),  # the first session closed instead of QUIT
        ("12", "alternative.sh"),  # curl's AUTH PLAIN, no STAT (the task does not ask for one)
    ],
)
def test_valid_solutions_that_were_rejected_pass(key: str, program: str, run: Starter) -> None:
    running = run(exercise(key), SEED)
    answer = run_program(running, exercise(key).folder / program) or None
    result = running.check(answer)
    assert [(outcome.name, outcome.passed) for outcome in result.outcomes] == [
        (outcome.name, True) for outcome in result.outcomes
    ], result.text()


@pytest.mark.parametrize(
    ("key", "failed", "detail"),
    [
        ("03", ("read_message", "answer"), "The message the task asks about has not been read yet (RETR or TOP)."),
        (
            "09",
            ("read_message", "answer"),
            "The whole message has not been read yet: TOP n 0 sends only its headers, RETR all of it.",
        ),
        (
            "06",
            ("marked_and_reset",),
            "No session has marked message 1, 2 with DELE and then taken the marks back with RSET yet.",
        ),
    ],
)
def test_cheats_that_passed_fail(key: str, failed: tuple[str, ...], detail: str, run: Starter) -> None:
    cheat = read_attempt(exercise(key).folder / "cheat.txt")
    running = run(exercise(key), SEED)
    play(running, cheat.text)
    result = running.check(cheat.answer)
    assert tuple(outcome.name for outcome in result.failed) == failed
    assert result.failed[0].detail.render("en") == detail
    assert cheat.answer in ("5", "..", None)


def test_the_old_cheat_of_exercise_03_fails_on_the_repository_mailbox_too(run: Starter) -> None:
    running = run(exercise("03"))
    play(running, "USER {account}\nPASS {password}\nTOP 1 0\nQUIT\n")
    result = running.check("5")
    assert [outcome.name for outcome in result.failed] == ["read_message"]
    assert result.failed[0].detail.render("en") == "Message 5 has not been read yet (RETR or TOP)."
