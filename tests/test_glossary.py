"""One term per concept (issue 11): every learner-facing text — the German catalog, the notebook lessons, the
exercise files — is checked against ``poplab/locale/glossary.toml``: no German word the glossary rules out, a
capital after a colon where a full sentence follows, and where the English names a concept, the German uses the
glossary's term for it (and the English avoids the English words it rules out)."""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.messages.pofile import read_po

import poplab

PACKAGE = Path(poplab.__file__).resolve().parent
ROOT = PACKAGE.parent
GLOSSARY = PACKAGE / "locale" / "glossary.toml"
CATALOG = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "poplab.po"
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"


@dataclass(frozen=True)
class Pair:
    """A learner-facing text in both languages (``en`` may be empty) and where it stands."""

    where: str
    en: str
    de: str


@dataclass(frozen=True)
class Term:
    concept: str
    en: str
    en_also: tuple[str, ...]
    en_avoid: tuple[str, ...]
    de: str
    de_forms: tuple[str, ...]
    de_avoid: tuple[str, ...]
    de_allowed: tuple[str, ...]
    paired: bool


@cache
def glossary() -> dict[str, Any]:
    return tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))


@cache
def terms() -> tuple[Term, ...]:
    return tuple(
        Term(
            concept=t["concept"],
            en=t["en"],
            en_also=tuple(t.get("en_also", ())),
            en_avoid=tuple(t.get("en_avoid", ())),
            de=t["de"],
            de_forms=tuple(t.get("de_forms", (t["de"],))),
            de_avoid=tuple(t.get("de_avoid", ())),
            de_allowed=tuple(t.get("de_allowed", ())),
            paired=t.get("paired", True),
        )
        for t in glossary()["term"]
    )


# --- the texts ---------------------------------------------------------------------------------------------------


def catalog_pairs() -> Iterator[Pair]:
    with CATALOG.open("rb") as stream:
        catalog = read_po(stream, locale="de")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for number, german in enumerate(strings):
            english = ids[min(number, len(ids) - 1)]
            if german:
                yield Pair(f"poplab.po: {ids[0][:60]!r}", english, german)


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("poplab_glossary_build", NOTEBOOKS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _comments(code: str) -> str:
    """The comments of a code cell: its words for people (the code itself is not checked)."""
    return "\n".join(line.split("# ", 1)[1] for line in code.splitlines() if "# " in line)


def notebook_pairs() -> Iterator[Pair]:
    build = _load_build()
    for lesson in build.LESSONS:
        for number, cell in enumerate(lesson.cells, 1):
            where = f"notebooks/lessons {lesson.name} cell {number}"
            if isinstance(cell, build.Md | build.Task):
                yield Pair(where, cell.en, cell.de)
            if isinstance(cell, build.Task):
                yield Pair(where + " (code)", _comments(cell.code.en), _comments(cell.code.text("de")))
            if isinstance(cell, build.Code):
                yield Pair(where + " (code)", _comments(cell.en), _comments(cell.text("de")))
            if isinstance(cell, build.Check):
                yield Pair(where, cell.ok_en, cell.ok_de)
                for step in cell.steps:
                    if isinstance(step, tuple):
                        yield Pair(where, step[1], step[2])


def _walk(data: object, where: str) -> Iterator[Pair]:
    if isinstance(data, dict):
        if isinstance(data.get("de"), str):
            yield Pair(where, data.get("en", ""), data["de"])
        for key, value in data.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(data, list):
        for number, value in enumerate(data):
            yield from _walk(value, f"{where}[{number}]")


def exercise_pairs() -> Iterator[Pair]:
    for path in sorted(EXERCISES.glob("*/exercise.toml")):
        yield from _walk(tomllib.loads(path.read_text(encoding="utf-8")), path.parent.name)


@cache
def pairs() -> tuple[Pair, ...]:
    return (*catalog_pairs(), *notebook_pairs(), *exercise_pairs())


CODE = re.compile(r"```.*?```|`[^`\n]*`|^ {4}.*$", re.DOTALL | re.MULTILINE)


def prose(text: str) -> str:
    """The text without code: fenced blocks, `inline code` and lines indented by four spaces (wire and commands)."""
    return CODE.sub(" ", text)


# --- the rules ---------------------------------------------------------------------------------------------------


def word(term: str) -> re.Pattern[str]:
    """A word or phrase at the start of a word, in any case and with any ending."""
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(part) for part in term.split()), re.IGNORECASE)


def whole_word(term: str) -> re.Pattern[str]:
    """An English word or phrase as a whole word (``lab`` is not ``label``), plural -s or -es allowed."""
    body = r"\s+".join(re.escape(part) for part in term.split())
    return re.compile(rf"(?<![\w-]){body}(?:e?s)?(?![\w-])", re.IGNORECASE)


def avoided_german(text: str) -> list[str]:
    found = []
    for term in terms():
        checked = prose(text)
        for phrase in term.de_allowed:
            checked = checked.replace(phrase, " ")
        for avoid in term.de_avoid:
            for match in word(avoid).finditer(checked):
                found.append(f"{match.group(0)!r} (say {term.de!r}: {term.concept})")
    return found


def avoided_english(text: str) -> list[str]:
    return [
        f"{match.group(0)!r} (say {term.en!r}: {term.concept})"
        for term in terms()
        for avoid in term.en_avoid
        for match in whole_word(avoid).finditer(prose(text))
    ]


def missing_german_terms(pair: Pair) -> list[str]:
    """Concepts the English names whose German term the German leaves out."""
    english, german = prose(pair.en), prose(pair.de)
    return [
        f"{term.en!r} -> {term.de!r}"
        for term in terms()
        if term.paired
        and any(whole_word(name).search(english) for name in (term.en, *term.en_also))
        and not any(word(form).search(german) for form in term.de_forms)
    ]


TOKEN = re.compile(r"[^\s,;.()!?:]+|[,;.()!?:]")
CLAUSE_END = set(",;.()!?:")


def _noun_like(token: str) -> bool:
    """A noun, a name, a number, a placeholder or a command (anything but a lowercase word)."""
    return not token[0].islower()


def sentence_after_colon(after: str) -> bool:
    """Whether the words after ": " start a full sentence, by the glossary's simple rules."""
    rules = glossary()["colon"]
    tokens = TOKEN.findall(after.replace("*", ""))
    if not tokens or tokens[0] not in rules["sentence_starters"] + rules["article_starters"]:
        return False
    if tokens[0] in rules["sentence_starters"]:
        return True
    rest = tokens[1:]
    while rest and rest[0] not in CLAUSE_END and not _noun_like(rest[0]):
        rest = rest[1:]  # adjectives before the noun
    if not rest or rest[0] in CLAUSE_END:
        return False
    while rest and rest[0] not in CLAUSE_END and _noun_like(rest[0]):
        rest = rest[1:]  # the noun (and names, numbers, placeholders after it)
    return bool(rest) and rest[0] not in CLAUSE_END and rest[0] not in rules["not_verbs"]


COLON = re.compile(r":\s+(?=[a-zäöü])")


def lowercase_sentences_after_colons(text: str) -> list[str]:
    checked = prose(text)
    for phrase in glossary()["colon"].get("allowed", ()):
        checked = checked.replace(phrase, " ")
    return [
        checked[max(0, match.start() - 30) : match.end() + 40]
        for match in COLON.finditer(checked)
        if sentence_after_colon(checked[match.end() : match.end() + 200])
    ]


# --- the tests ---------------------------------------------------------------------------------------------------


def test_the_texts_are_found() -> None:
    wheres = [pair.where for pair in pairs()]
    assert sum(w.startswith("poplab.po") for w in wheres) > 500
    assert sum(w.startswith("notebooks/") for w in wheres) > 100
    assert sum("." in w and not w.startswith(("poplab.po", "notebooks/")) for w in wheres) > 40


def test_the_glossary_is_well_formed() -> None:
    assert len(terms()) >= 8
    for term in terms():
        assert term.de and term.en and term.concept
        assert not avoided_german(term.de), f"{term.de!r} is ruled out by the glossary itself"
        assert any(word(form).search(term.de) for form in term.de_forms), term


def test_the_rules_catch_what_they_should() -> None:
    assert avoided_german("Der Maildrop ist gesperrt.") and avoided_german("zwei Maildrops")
    assert avoided_german("Sein Gruß beginnt mit +OK.") and not avoided_german("Seine Begrüßung beginnt mit +OK.")
    assert avoided_german("dem POP3-Labor") and not avoided_german("dem POP3-Lab")
    assert avoided_german("dem Protokoll fehlt eine Zeile") and not avoided_german("dasselbe Protokoll wie")
    assert not avoided_german("`maildrop` im Code")
    assert lowercase_sentences_after_colons("Achtung: der Server hat nichts gelöscht.")
    assert lowercase_sentences_after_colons("Lies jedes -ERR: es sagt, was falsch war.")
    assert lowercase_sentences_after_colons("Beende mit QUIT: nur QUIT bringt eine Sitzung nach UPDATE.")
    assert not lowercase_sentences_after_colons("Achtung: Der Server hat nichts gelöscht.")
    assert not lowercase_sentences_after_colons("Jede Zeile: die Nachrichtennummer, ein Leerzeichen, die Größe.")
    assert not lowercase_sentences_after_colons("Die Liste folgt: eine Zeile pro Nachricht.")
    assert not lowercase_sentences_after_colons("[SYS/TEMP]: ein vorübergehendes Problem auf dem Server.")
    assert avoided_english("the laboratory") and not avoided_english("the lab, label")
    assert missing_german_terms(Pair("", "the maildrop", "der Briefkasten"))
    assert not missing_german_terms(Pair("", "fresh mailboxes", "frische Postfächer"))


@pytest.mark.parametrize("source", ["catalog", "notebooks", "exercises"])
def test_no_german_word_the_glossary_rules_out(source: str) -> None:
    chosen = {"catalog": catalog_pairs, "notebooks": notebook_pairs, "exercises": exercise_pairs}[source]()
    found = [f"{pair.where}: {problem}" for pair in chosen for problem in avoided_german(pair.de)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("source", ["catalog", "notebooks", "exercises"])
def test_a_full_sentence_after_a_colon_starts_with_a_capital(source: str) -> None:
    chosen = {"catalog": catalog_pairs, "notebooks": notebook_pairs, "exercises": exercise_pairs}[source]()
    found = [f"{pair.where}: …{near!r}…" for pair in chosen for near in lowercase_sentences_after_colons(pair.de)]
    assert not found, "\n".join(found)


def test_the_german_uses_the_term_for_the_concept_the_english_names() -> None:
    found = [f"{pair.where}: {problem}" for pair in pairs() if pair.en for problem in missing_german_terms(pair)]
    assert not found, "\n".join(found)


def test_no_english_word_the_glossary_rules_out() -> None:
    found = [f"{pair.where}: {problem}" for pair in pairs() for problem in avoided_english(pair.en)]
    assert not found, "\n".join(found)
