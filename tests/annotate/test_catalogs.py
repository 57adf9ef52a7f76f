"""Languages: every text marked in the code has a German translation, the committed .pot/.mo match the sources,
placeholders and POP3 keywords survive translation, and the language is picked as documented."""

from __future__ import annotations

import gettext
import re

import pytest

from poplab import catalogs
from poplab.i18n import N_, NP_, Translator, normalize, resolve_language, translator
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS

TEMPLATE = catalogs.extract()
HEADER, ENTRIES = catalogs.parse_po(catalogs.po_path("de").read_text(encoding="utf-8"))
GERMAN = {entry.key: entry for entry in ENTRIES}
OWN = ("poplab/annotate/", "poplab/i18n.py", "poplab/transcript.py", "poplab/commands/annotate.py")
KEYWORDS = (
    *COMMANDS,
    *(state.value for state in State),
    *("+OK", "-ERR", "[IN-USE]", "[AUTH]", "[LOGIN-DELAY]", "[SYS/TEMP]", "[SYS/PERM]"),
    *("CRLF", "LF", "NUL", "TLS", "SASL", "PLAIN", "CRAM-MD5", "MD5", "PIPELINING", "UTF-8", "RFC 1939", "RFC 2449"),
)


def keywords(text: str) -> set[str]:
    return {word for word in KEYWORDS if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)}


def missing(entries: list[catalogs.Entry]) -> list[str]:
    out = []
    for entry in entries:
        german = GERMAN.get(entry.key)
        if german is None or german.fuzzy or not german.strings or not all(german.strings):
            out.append(entry.msgid)
    return out


def test_annotator_and_cli_texts_have_german() -> None:
    own = [entry for entry in TEMPLATE if any(place.startswith(OWN) for place in entry.locations)]
    assert len(own) > 200
    assert missing(own) == []


def test_every_msgid_has_a_german_translation() -> None:
    assert missing(TEMPLATE) == []


def test_template_is_up_to_date() -> None:
    assert catalogs.POT.read_text(encoding="utf-8") == catalogs.write_pot(TEMPLATE), "run python -m poplab.catalogs"


def test_committed_mo_matches_the_po() -> None:
    assert catalogs.mo_path("de").read_bytes() == catalogs.compile_mo(HEADER, ENTRIES)
    with catalogs.mo_path("de").open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    for entry in ENTRIES:
        if not all(entry.strings) or not entry.strings:
            continue
        if entry.plural is None:
            assert compiled.gettext(entry.msgid) == entry.strings[0]
        else:
            assert compiled.ngettext(entry.msgid, entry.plural, 1) == entry.strings[0]
            assert compiled.ngettext(entry.msgid, entry.plural, 5) == entry.strings[1]


@pytest.mark.parametrize("entry", [e for e in ENTRIES if all(e.strings) and e.strings], ids=lambda e: e.msgid[:40])
def test_placeholders_and_pop3_keywords_survive_translation(entry: catalogs.Entry) -> None:
    english = entry.msgid + " " + (entry.plural or "")
    allowed = set(re.findall(r"\{(\w*)\}", english))
    for text in entry.strings:
        used = set(re.findall(r"\{(\w*)\}", text))
        assert used <= allowed
        if entry.plural is None:
            assert used == allowed
        assert keywords(entry.msgid) <= keywords(text), text


def test_the_po_round_trips_through_the_tool() -> None:
    text = catalogs.po_path("de").read_text(encoding="utf-8")
    assert catalogs.merge(TEMPLATE, text, "de") == text


# ---- choosing the language -------------------------------------------------------------------------------------


def test_language_precedence() -> None:
    env = {"POPLAB_LANG": "de", "LANG": "en_US.UTF-8"}
    assert resolve_language("en", env) == "en"
    assert resolve_language(None, env) == "de"
    assert resolve_language(None, {"LANG": "de_DE.UTF-8"}) == "de"
    assert resolve_language(None, {"LANGUAGE": "fr:de", "LANG": "en_US.UTF-8"}) == "en"
    assert resolve_language(None, {"LC_ALL": "C", "LANG": "de_AT"}) == "de"
    assert resolve_language(None, {}) == "en"
    assert resolve_language("fr", {"POPLAB_LANG": "de"}) == "en"
    assert [normalize(tag) for tag in ("de_DE.UTF-8", "de-AT", "DE", "fr", "", None)] == [
        "de",
        "de",
        "de",
        None,
        None,
        None,
    ]


def test_translator_translates_and_fills() -> None:
    german, english = translator("de"), translator("en")
    assert german.language == "de" and german("greeting") == "Begrüßung" and english("greeting") == "greeting"
    forms = NP_("{count} line", "{count} lines")
    assert [german.plural(forms, n) for n in (1, 2)] == ["1 Zeile", "2 Zeilen"]
    assert english(N_("{verb} is not a POP3 command."), verb="{x}") == "{x} is not a POP3 command."
    assert english("not in the catalog {here}") == "not in the catalog {here}"


def test_a_broken_translation_falls_back_instead_of_raising() -> None:
    class Broken(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "{unclosed"

    assert Translator("xx", Broken())("Message {msg}.", msg=3) == "Message 3."
    assert Translator("xx", Broken())("Message {missing} {msg}.", msg=3) == "Message {missing} 3."
