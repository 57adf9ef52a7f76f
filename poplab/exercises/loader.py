"""Loading exercises from the top-level ``exercises/`` folder: one ``NN-slug/exercise.toml`` each (the format is
described in ``exercises/README.md``). Every mistake in a file is an :class:`ExerciseError` naming the file and
the key, in one line — a teacher's typo never turns into a wrong check result.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import poplab
from poplab.exercises.model import Answer, CheckSpec, Exercise, ExtraAccount, Fixture, Param
from poplab.exercises.registry import convert, registered
from poplab.exercises.texts import Text
from poplab.store.demo import demo_accounts

ENV_VAR = "POPLAB_EXERCISES"
FOLDER = re.compile(r"(\d{2})-([a-z0-9][a-z0-9-]*)")
TOP_KEYS = {"title", "task", "points", "classroom", "fixture", "server", "checks", "hints", "answer"}


class ExerciseError(ValueError):
    """An exercise folder or file is invalid; the message names the file."""


def exercises_dir() -> Path:
    """``$POPLAB_EXERCISES`` if set, else the ``exercises/`` folder next to the ``poplab`` package."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(poplab.__file__).resolve().parent.parent / "exercises"


def load_exercises(folder: Path | None = None) -> tuple[Exercise, ...]:
    """Every exercise in ``folder`` (default :func:`exercises_dir`), in number order."""
    root = folder or exercises_dir()
    if not root.is_dir():
        raise ExerciseError(f"{root}: no exercises folder (set ${ENV_VAR} to the folder of NN-slug/ exercises)")
    found = [load_exercise(path) for path in sorted(root.iterdir()) if FOLDER.fullmatch(path.name) and path.is_dir()]
    ids = [exercise.id for exercise in found]
    for number in ids:
        if ids.count(number) > 1:
            raise ExerciseError(f"{root}: two exercises are numbered {number}")
    return tuple(found)


def find_exercise(key: str, exercises: tuple[Exercise, ...]) -> Exercise:
    """The exercise called ``5``, ``05``, ``05-delete-one`` or ``delete-one``; :class:`KeyError` if none."""
    wanted = key.strip().lower()
    if wanted.isdigit():
        wanted = f"{int(wanted):02d}"
    for exercise in exercises:
        if wanted in (exercise.id, exercise.name, exercise.slug):
            return exercise
    known = ", ".join(exercise.id for exercise in exercises)
    raise KeyError(f"no exercise {key!r} (there are {known})")


def load_exercise(folder: Path) -> Exercise:
    match = FOLDER.fullmatch(folder.name)
    if match is None:
        raise ExerciseError(f"{folder}: an exercise folder is named NN-slug (two digits, a dash, lower-case words)")
    path = folder / "exercise.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExerciseError(f"{path}: missing") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        raise ExerciseError(f"{path}: not valid TOML: {problem}") from None
    try:
        return _exercise(match.group(1), match.group(2), folder, data)
    except (ValueError, TypeError, KeyError) as problem:
        raise ExerciseError(f"{path}: {problem}") from None


def _exercise(number: str, slug: str, folder: Path, data: dict[str, Any]) -> Exercise:
    _known(data, TOP_KEYS, "the top level")
    fixture = _fixture(_table(data, "fixture"))
    server = _table(data, "server", {})
    _known(server, {"apop", "smtp"}, "[server]")
    if not data.get("hints"):
        raise ValueError("[[hints]] is missing: give at least one hint (en and de)")
    if not (folder / "solution.txt").is_file():
        raise ValueError("the reference solution solution.txt is missing next to it")
    return Exercise(
        id=number,
        slug=slug,
        folder=folder,
        title=_text(data.get("title"), "title"),
        task=_text(data.get("task"), "[task]"),
        fixture=fixture,
        checks=tuple(_check(item, index) for index, item in enumerate(_list(data, "checks"), 1)),
        hints=tuple(_text(item, f"[[hints]] #{index}") for index, item in enumerate(_list(data, "hints"), 1)),
        answer=_answer(data["answer"]) if "answer" in data else None,
        points=_typed(data.get("points", 10), int, "points"),
        apop=_typed(server.get("apop", False), bool, "[server] apop"),
        smtp=_typed(server.get("smtp", False), bool, "[server] smtp"),
        classroom=_typed(data.get("classroom", True), bool, "classroom"),
        eml=tuple(_eml(folder, number, name, index) for index, name in enumerate(fixture.messages, 1)),
    )


def _fixture(table: dict[str, Any]) -> Fixture:
    keys = {"account", "password", "apop_secret", "mailbox", "messages", "accounts", "store", "shuffle"}
    _known(table, keys, "[fixture]")
    account = _typed(table.get("account"), str, "[fixture] account")
    demo = {item.name: item for item in demo_accounts()}
    password = table.get("password", demo[account].password if account in demo else None)
    store = table.get("store", "memory")
    if store not in ("memory", "maildir"):
        raise ValueError('[fixture] store must be "memory" or "maildir"')
    return Fixture(
        account=account,
        password=_typed(password, str, "[fixture] password (needed for an account that is not a demo account)"),
        apop_secret=table.get("apop_secret"),
        mailbox=_demo_name(table.get("mailbox", account if account in demo else None), demo),
        messages=tuple(_typed(item, str, "[fixture] messages") for item in table.get("messages", [])),
        accounts=tuple(_extra(item, demo) for item in table.get("accounts", [])),
        store=store,
        shuffle=_typed(table.get("shuffle", False), bool, "[fixture] shuffle"),
    )


def _extra(table: dict[str, Any], demo: dict[str, Any]) -> ExtraAccount:
    _known(table, {"name", "password", "pop_enabled", "mailbox"}, "[[fixture.accounts]]")
    return ExtraAccount(
        name=_typed(table.get("name"), str, "[[fixture.accounts]] name"),
        password=_typed(table.get("password"), str, "[[fixture.accounts]] password"),
        pop_enabled=_typed(table.get("pop_enabled", True), bool, "[[fixture.accounts]] pop_enabled"),
        mailbox=_demo_name(table.get("mailbox"), demo),
    )


def _demo_name(name: object, demo: dict[str, Any]) -> str | None:
    if name is None:
        return None
    if name not in demo:
        raise ValueError(f"mailbox {name!r} is not a demo account (known: {', '.join(demo)})")
    return str(name)


def _check(table: object, index: int) -> CheckSpec:
    where = f"[[checks]] #{index}"
    if not isinstance(table, dict) or not isinstance(table.get("name"), str):
        raise ValueError(f'{where}: needs name = "..." (one of the named checks)')
    name = table["name"]
    definition = registered().get(name)
    if definition is None:
        raise ValueError(f"{where}: unknown check {name!r} (known: {', '.join(sorted(registered()))})")
    params: list[tuple[str, Param]] = []
    for key, value in table.items():
        if key in ("name", "hint"):
            continue
        kind = definition.params.get(key)
        if kind is None:
            known = ", ".join(sorted(definition.params)) or "none"
            raise ValueError(f"{where} ({name}): unknown parameter {key!r} (known: {known})")
        converted = convert(kind, value)
        if converted is None:
            raise ValueError(f"{where} ({name}): {key} must be of type {kind}")
        params.append((key, converted))
    missing = definition.required - {key for key, _ in params}
    if missing:
        raise ValueError(f"{where} ({name}): missing parameter {sorted(missing)[0]!r}")
    hint = _text(table["hint"], f"{where} hint") if "hint" in table else None
    return CheckSpec(name, tuple(params), hint)


def _answer(table: object) -> Answer:
    if not isinstance(table, dict):
        raise ValueError("[answer] must be a table")
    _known(
        table, {"value", "accept", "kind", "ignore_case", "question", "hint", "from", "message", "after"}, "[answer]"
    )
    source = table.get("from", "value")
    if source not in ("value", "stat", "count", "number", "line_after"):
        raise ValueError('[answer] from must be "value", "stat", "count", "number" or "line_after"')
    values = table.get("accept", [table["value"]] if "value" in table else [])
    if not values and source == "value":
        raise ValueError("[answer] needs value = ..., accept = [...] or from = ...")
    if source in ("number", "line_after") and not isinstance(table.get("message"), int):
        raise ValueError(f'[answer] from = "{source}" needs message = N (its number in the fixture)')
    if source == "line_after" and not isinstance(table.get("after"), str):
        raise ValueError('[answer] from = "line_after" needs after = "the line before"')
    kind = table.get("kind", "text")
    if kind not in ("text", "number", "words"):
        raise ValueError('[answer] kind must be "text", "number" or "words"')
    return Answer(
        accept=tuple(str(value) for value in values),
        question=_text(table.get("question"), "[answer] question"),
        kind=kind,
        ignore_case=_typed(table.get("ignore_case", False), bool, "[answer] ignore_case"),
        hint=_text(table["hint"], "[answer] hint") if "hint" in table else None,
        source=source,
        message=table.get("message", 0),
        after=table.get("after", ""),
    )


def _eml(folder: Path, number: str, name: str, index: int) -> tuple[str, bytes]:
    path = folder / name
    if not path.is_file():
        raise ValueError(f"[fixture] messages: {name} not found in {folder}")
    stem = re.sub(r"[^A-Za-z0-9-]", "-", path.stem)[:40]
    return f"2000000000.M{index}P0Q0.ex{number}-{stem}", path.read_bytes()


def _text(value: object, where: str) -> Text:
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, dict) and isinstance(value.get("en"), str):
        _known(value, {"en", "de"}, where)
        return Text(value["en"], str(value.get("de", "")))
    raise ValueError(f'{where} must be a text: {{ en = "...", de = "..." }}')


def _table(data: dict[str, Any], key: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
    value = data.get(key, default)
    if not isinstance(value, dict):
        raise ValueError(f"[{key}] is missing or not a table")
    return value


def _list(data: dict[str, Any], key: str, default: list[Any] | None = None) -> list[Any]:
    value = data.get(key, default)
    if not isinstance(value, list):
        raise ValueError(f"[[{key}]] is missing")
    return value


def _typed(value: object, kind: type[Any], where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{where} is missing or not a {kind.__name__}")
    return value


def _known(table: dict[str, Any], keys: set[str], where: str) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(keys))})")
