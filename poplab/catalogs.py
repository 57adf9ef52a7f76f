"""The message catalogs' toolchain, on Babel: extract the texts marked with ``N_``/``NP_``/``_`` from the
sources into ``poplab/locale/poplab.pot``, update each language's ``.po`` from it (keeping the translations),
compile ``.po`` to ``.mo``, and list what is untranslated or out of date.

Run ``python -m poplab.catalogs`` after changing texts, fill in the new German texts in
``poplab/locale/de/LC_MESSAGES/poplab.po``, and run it again; ``--check`` only checks. Babel is a development
dependency (the ``test`` extra): the installed lab reads the compiled ``.mo`` files with the stdlib ``gettext``.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent
LOCALE = PACKAGE / "locale"
POT = LOCALE / "poplab.pot"
LANGUAGES = ("de",)
KEYWORDS = {"N_": None, "NP_": (1, 2), "_": None}
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
"""Catalog dates are fixed, so regenerating unchanged texts changes no file."""


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "poplab.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extract(root: Path = PACKAGE) -> Catalog:
    """Every marked text in the package, with the files it stands in (no line numbers: they churn)."""
    template = Catalog(project="poplab", creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    found = extract_from_dir(str(root), method_map=[("**.py", "python")], keywords=KEYWORDS)
    for filename, lineno, message, comments, context in found:
        location = f"{root.name}/{Path(filename).as_posix()}"
        template.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    return template


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=language)


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, include_lineno=False, ignore_obsolete=True, sort_by_file=True)
    return buffer.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def updated(language: str, template: Catalog) -> Catalog:
    """The language's catalog brought up to the template: new texts added empty, removed ones dropped."""
    catalog = read(po_path(language), language)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    """Message ids with no (complete) translation, or marked fuzzy."""
    return [message_id(m) for m in catalog if m.id and (m.fuzzy or not _complete(m))]


def message_id(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _complete(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return bool(strings) and all(strings)


def content(catalog: Catalog, strings: bool = True) -> dict[object, tuple[object, tuple[str, ...]]]:
    """What a catalog says, without its header (which names the Babel version that wrote it)."""
    return {
        m.id: ((m.string or None) if strings else None, tuple(sorted({path for path, _ in m.locations})))
        for m in catalog
        if m.id
    }


def outdated() -> list[str]:
    """What regenerating would change, and what is untranslated."""
    template = extract()
    same = content(read(POT), strings=False) == content(template, strings=False)
    problems = [] if same else [f"{POT} is not what the sources give"]
    for language in LANGUAGES:
        committed = read(po_path(language), language)
        if content(committed) != content(updated(language, template)):
            problems.append(f"{po_path(language)} lacks texts of the template or has texts it no longer has")
        if mo_path(language).read_bytes() != render_mo(committed):
            problems.append(f"{mo_path(language)} is not compiled from the .po")
        problems += [f"{language}: untranslated: {text}" for text in untranslated(committed)]
    return problems


def write_all() -> None:
    template = extract()
    POT.write_bytes(render_po(template))
    for language in LANGUAGES:
        catalog = updated(language, template)
        po_path(language).write_bytes(render_po(catalog))
        mo_path(language).write_bytes(render_mo(catalog))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m poplab.catalogs", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if anything is out of date")
    args = parser.parse_args(argv)
    if not args.check:
        write_all()
    problems = outdated()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
