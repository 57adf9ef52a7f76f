"""The teachers' README documents every named check and lists every exercise; exercise files load strictly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from poplab.exercises import ExerciseError, exercises_dir, load_exercise, registered
from poplab.exercises.fixture import build_store, initial_uids
from tests.exercises.helpers import EXERCISES

README = (exercises_dir() / "README.md").read_text(encoding="utf-8")


def test_every_named_check_has_its_own_section_with_its_parameters() -> None:
    documented = re.findall(r"^### `(\w+)`$", README, re.MULTILINE)
    assert sorted(documented) == sorted(registered())
    for name, definition in registered().items():
        section = README.split(f"### `{name}`\n", 1)[1].split("\n### ", 1)[0]
        for parameter in definition.params:
            assert f"`{parameter}`" in section, (name, parameter)


def test_every_exercise_is_in_the_table() -> None:
    for exercise in EXERCISES:
        assert f"| {exercise.id} | [" in README
        assert f"({exercise.name}/exercise.toml)" in README


def test_every_check_of_every_exercise_is_a_named_check() -> None:
    used = {spec.name for exercise in EXERCISES for spec in exercise.checks}
    assert used <= set(registered())
    assert len(used) >= 15


def write(folder: Path, toml: str) -> Path:
    folder.mkdir()
    (folder / "exercise.toml").write_text(toml, encoding="utf-8")
    (folder / "solution.txt").write_text("QUIT\n", encoding="utf-8")
    return folder


MINIMAL = 'title = "T"\ntask = {en = "x"}\nhints = [{en = "h"}]\n[fixture]\naccount = "wiki@example.com"\n'


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('[[checks]]\nname = "retreived"\n', "[[checks]] #1: unknown check 'retreived' (known: clean_session,"),
        ('[[checks]]\nname = "retrieved"\nmessage = [1]\n', "unknown parameter 'message' (known: messages)"),
        ('[[checks]]\nname = "retrieved"\n', "[[checks]] #1 (retrieved): missing parameter 'messages'"),
        ('[[checks]]\nname = "mailbox_count"\ncount = "2"\n', "(mailbox_count): count must be of type int"),
        ('colour = 1\n[[checks]]\nname = "logged_in"\n', "[fixture]: unknown key 'colour' (known: account,"),
    ],
)
def test_a_teachers_mistake_is_a_one_line_error_naming_file_and_key(tmp_path: Path, extra: str, problem: str) -> None:
    folder = write(tmp_path / "16-new", MINIMAL + extra)
    top = write(tmp_path / "17-top", "points = 5\nkolour = 1\n" + MINIMAL + '[[checks]]\nname = "logged_in"\n')
    with pytest.raises(ExerciseError, match=r"exercise.toml: the top level: unknown key 'kolour'"):
        load_exercise(top)
    with pytest.raises(ExerciseError) as raised:
        load_exercise(folder)
    message = str(raised.value)
    assert message.startswith(f"{folder / 'exercise.toml'}: ")
    assert problem in message
    assert "\n" not in message


def test_eml_files_join_the_fixture_mailbox_after_the_demo_messages(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "16-new-mail",
        MINIMAL.replace('"wiki@example.com"', '"wiki@example.com"\nmessages = ["hello.eml"]')
        + '[[checks]]\nname = "retrieved"\nmessages = [2]\n',
    )
    (folder / "hello.eml").write_bytes(b"Subject: hello\n\nhi\n")
    exercise = load_exercise(folder)
    assert exercise.eml == (("2000000000.M1P0Q0.ex16-hello", b"Subject: hello\n\nhi\n"),)
    store = build_store(exercise)
    assert initial_uids(exercise) == ("1098065505.M1P0Q1.poplab-demo", "2000000000.M1P0Q0.ex16-hello")
    assert list(store.stored("wiki@example.com")) == list(initial_uids(exercise))
