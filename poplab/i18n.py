"""Languages for every learner-facing text, shared by all faces (annotator, CLI, TUI, notebooks).

Texts are written in English in the code and marked with :func:`N_` (or :func:`NP_` for a singular/plural
pair); German lives in the gettext catalog ``poplab/locale/de/LC_MESSAGES/poplab.po`` (compiled to ``.mo`` and
shipped). The language is chosen by an explicit argument, else ``$POPLAB_LANG``, else the locale, and falls
back to English. POP3 keywords (USER, +OK, TRANSACTION ...) are never translated.
"""

from __future__ import annotations

import gettext
import locale
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from os import environ as _environ
from pathlib import Path

DOMAIN = "poplab"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "de")
ENV_VAR = "POPLAB_LANG"
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""The environment variables gettext itself consults, in its order."""


def N_(message: str) -> str:
    """Mark a text for translation; it is translated where it is shown (through a :class:`Translator`)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for translation; the count picks the form (``{count}`` in the text)."""
    return (singular, plural)


def normalize(tag: str | None) -> str | None:
    """``de_DE.UTF-8``, ``de-AT``, ``DE`` → ``de``; an unsupported or empty tag → None."""
    if not tag:
        return None
    base = tag.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def resolve_language(lang: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: ``lang`` if given (unsupported → English), else ``$POPLAB_LANG``, else the locale.

    ``environ`` replaces the process environment (for tests); the system locale is only asked without it.
    """
    if lang:
        return normalize(lang) or DEFAULT_LANGUAGE
    env = _environ if environ is None else environ
    candidates = [env.get(ENV_VAR, "")]
    for name in LOCALE_VARS:
        candidates.extend(env.get(name, "").split(":"))
    if environ is None:
        candidates.append(_system_locale())
    for candidate in candidates:
        if candidate and candidate.upper() not in ("C", "POSIX"):
            return normalize(candidate) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _system_locale() -> str:
    try:
        return locale.getlocale()[0] or ""
    except ValueError:
        return ""


class _Keep(dict[str, object]):
    """Leaves an unknown ``{name}`` in place instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, fallback: str, values: Mapping[str, object]) -> str:
    """Fill ``{names}``; a broken translation falls back to the English text, never to an exception."""
    if not values:
        return text
    for candidate in (text, fallback):
        try:
            return candidate.format_map(_Keep(values))
        except (ValueError, IndexError, KeyError, AttributeError, TypeError):
            continue
    return text


@dataclass(frozen=True)
class Translator:
    """Texts in one language. ``t("Message {n} ...", n=3)`` translates, then fills the ``{names}``."""

    language: str
    catalog: gettext.NullTranslations

    def __call__(self, message: str, /, **values: object) -> str:
        return _fill(self.catalog.gettext(message), message, values)

    def plural(self, forms: tuple[str, str], count: int, /, **values: object) -> str:
        """The form for ``count`` (given to the text as ``{count}``)."""
        text = self.catalog.ngettext(forms[0], forms[1], count)
        english = forms[0] if count == 1 else forms[1]
        return _fill(text, english, {"count": count, **values})


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translator(lang: str | None = None) -> Translator:
    """A :class:`Translator` for ``lang`` (or the language :func:`resolve_language` picks)."""
    language = resolve_language(lang)
    return Translator(language, _catalog(language))
