"""Languages: every text marked in the code has a German translation, the committed .pot/.mo match the sources,
placeholders and POP3 keywords survive translation, and the language is picked as documented."""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.catalog import Message

from poplab import catalogs
from poplab.i18n import N_, NP_, Translator, normalize, resolve_language, translator
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS

TEMPLATE = catalogs.extract()
GERMAN_CATALOG = catalogs.read(catalogs.po_path("de"), "de")
GERMAN = {message.id: message for message in GERMAN_CATALOG if message.id}
OWN = (
    "poplab/annotate/",
    "poplab/i18n.py",
    "poplab/transcript.py",
    "poplab/commands/annotate.py",
    "poplab/commands/talk.py",
)
KEYWORDS = (
    *COMMANDS,
    *(state.value for state in State),
    *("+OK", "-ERR", "[IN-USE]", "[AUTH]", "[LOGIN-DELAY]", "[SYS/TEMP]", "[SYS/PERM]"),
    *("CRLF", "LF", "NUL", "TLS", "SASL", "PLAIN", "CRAM-MD5", "MD5", "PIPELINING", "UTF-8", "RFC 1939", "RFC 2449"),
)


def keywords(text: str) -> set[str]:
    return {word for word in KEYWORDS if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)}


def strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


def missing(messages: list[Message]) -> list[str]:
    out = []
    for message in messages:
        german = GERMAN.get(message.id)
        if german is None or german.fuzzy or not all(strings(german)):
            out.append(catalogs.message_id(message))
    return out


def test_annotator_and_cli_texts_have_german() -> None:
    own = [m for m in TEMPLATE if m.id and any(path.startswith(OWN) for path, _ in m.locations)]
    assert len(own) > 200
    assert missing(own) == []


def test_every_msgid_has_a_german_translation() -> None:
    assert missing([m for m in TEMPLATE if m.id]) == []


def test_template_and_catalogs_are_up_to_date() -> None:
    assert catalogs.outdated() == [], "run python -m poplab.catalogs"


def test_committed_mo_gives_the_po_translations() -> None:
    with catalogs.mo_path("de").open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    for message in GERMAN.values():
        texts = strings(message)
        if isinstance(message.id, str):
            assert compiled.gettext(message.id) == texts[0]
        else:
            assert compiled.ngettext(message.id[0], message.id[1], 1) == texts[0]
            assert compiled.ngettext(message.id[0], message.id[1], 5) == texts[1]


@pytest.mark.parametrize("message", list(GERMAN.values()), ids=lambda m: catalogs.message_id(m)[:40])
def test_placeholders_and_pop3_keywords_survive_translation(message: Message) -> None:
    ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
    english = " ".join(ids)
    allowed = set(re.findall(r"\{(\w*)\}", english))
    for text in strings(message):
        used = set(re.findall(r"\{(\w*)\}", text))
        assert used <= allowed
        if isinstance(message.id, str):
            assert used == allowed
        assert keywords(ids[0]) <= keywords(text), text


def test_the_po_is_what_the_tool_writes() -> None:
    path = catalogs.po_path("de")
    assert catalogs.render_po(catalogs.updated("de", TEMPLATE)) == path.read_bytes()


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
