"""The message catalogs' toolchain, stdlib only: extract the texts marked with ``N_``/``NP_``/``_`` from the
sources into ``poplab/locale/poplab.pot``, merge them into each language's ``.po`` (keeping the translations),
compile ``.po`` to ``.mo``, and check that every text is translated and every ``.mo`` is current.

Run ``python -m poplab.catalogs`` after changing texts (extract, update, compile), fill in the new German
texts in ``poplab/locale/de/LC_MESSAGES/poplab.po``, and run it again; ``--check`` only checks. Babel reads
the same files (``pybabel extract -k N_ -k NP_:1,2``, ``pybabel compile -D poplab -d poplab/locale``).
"""

from __future__ import annotations

import argparse
import ast
import re
import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
LOCALE = PACKAGE / "locale"
POT = LOCALE / "poplab.pot"
LANGUAGES = ("de",)
Key = tuple[str, str | None]
"""A message: its id and, for a singular/plural pair, the plural id."""

POT_HEADER = (
    "Project-Id-Version: poplab\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
)
PLURAL_FORMS = {"de": "nplurals=2; plural=(n != 1);"}


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    locations: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    """The translation; one string per plural form."""
    fuzzy: bool = False

    @property
    def key(self) -> Key:
        return (self.msgid, self.plural)


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "poplab.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


# ---- extraction -----------------------------------------------------------------------------------------------


def extract(root: Path = PACKAGE) -> list[Entry]:
    """Every marked text under ``root``, in order of first appearance, with the files it appears in."""
    found: dict[Key, Entry] = {}
    for path in sorted(root.rglob("*.py")):
        where = path.relative_to(root.parent).as_posix()
        for key in _marked(ast.parse(path.read_text(encoding="utf-8"))):
            entry = found.setdefault(key, Entry(*key))
            if where not in entry.locations:
                entry.locations.append(where)
    return list(found.values())


def _marked(tree: ast.AST) -> list[Key]:
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    keys: list[Key] = []
    for call in sorted(calls, key=lambda node: (node.lineno, node.col_offset)):
        name = call.func.id if isinstance(call.func, ast.Name) else ""
        texts = [arg.value for arg in call.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if name in ("N_", "_") and len(texts) == 1:
            keys.append((texts[0], None))
        elif name == "NP_" and len(texts) == 2:
            keys.append((texts[0], texts[1]))
    return keys


# ---- .po reading and writing ----------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPES = {value[1]: key for key, value in _ESCAPES.items()}


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(char, char) for char in text) + '"'


def _unquote(token: str, where: str) -> str:
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"'):
        raise ValueError(f"{where}: expected a quoted string")
    return re.sub(r"\\(.)", lambda match: _UNESCAPES.get(match.group(1), match.group(1)), token[1:-1])


def parse_po(text: str, name: str = "<po>") -> tuple[str, list[Entry]]:
    """The header and the entries of a ``.po`` file (obsolete ``#~`` entries are left out)."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    current, flags, last = Entry(""), "", ""

    def close() -> None:
        nonlocal current, fields, flags
        if "msgid" in fields:
            current.msgid, current.plural = fields["msgid"], fields.get("msgid_plural")
            forms = sorted((k for k in fields if k.startswith("msgstr")), key=lambda k: (len(k), k))
            current.strings, current.fuzzy = [fields[k] for k in forms], "fuzzy" in flags
            entries.append(current)
        current, fields, flags = Entry(""), {}, ""

    for number, line in enumerate(text.splitlines(), 1):
        where, stripped = f"{name}:{number}", line.strip()
        if not stripped or stripped.startswith("#~"):
            continue
        if stripped.startswith("#"):
            if "msgid" in fields:
                close()
            flags += stripped[2:] if stripped.startswith("#,") else ""
            continue
        if stripped.startswith('"'):
            fields[last] += _unquote(stripped, where)
            continue
        keyword, _, value = stripped.partition(" ")
        if keyword == "msgctxt":
            raise ValueError(f"{where}: msgctxt is not supported")
        if keyword == "msgid" and "msgid" in fields:
            close()
        fields[keyword], last = _unquote(value.strip(), where), keyword
    close()
    header = next((entry.strings[0] for entry in entries if entry.msgid == "" and entry.strings), "")
    return header, [entry for entry in entries if entry.msgid != ""]


def _entry_text(entry: Entry, with_strings: bool, plurals: int) -> str:
    lines = [f"#: {location}" for location in entry.locations]
    flags = (["fuzzy"] if entry.fuzzy else []) + (["python-brace-format"] if "{" in entry.msgid else [])
    if flags:
        lines.append("#, " + ", ".join(flags))
    lines.append(f"msgid {_quote(entry.msgid)}")
    strings = entry.strings if with_strings else []
    if entry.plural is None:
        lines.append(f"msgstr {_quote(strings[0] if strings else '')}")
    else:
        lines.append(f"msgid_plural {_quote(entry.plural)}")
        for form in range(plurals):
            lines.append(f"msgstr[{form}] {_quote(strings[form] if form < len(strings) else '')}")
    return "\n".join(lines) + "\n"


def _header_text(header: str) -> str:
    rows = "".join(f"{_quote(line)}\n" for line in header.splitlines(keepends=True))
    return f'msgid ""\nmsgstr ""\n{rows}'


def write_pot(entries: Sequence[Entry]) -> str:
    header = POT_HEADER + "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\n"
    return "\n".join([_header_text(header), *(_entry_text(entry, False, 2) for entry in entries)])


def merge(template: Sequence[Entry], po_text: str | None, language: str) -> str:
    """The ``.po`` text for ``language``: the template's entries, with the translations ``po_text`` had."""
    header, old = parse_po(po_text, language) if po_text else ("", [])
    if not header:
        header = POT_HEADER + f"Language: {language}\nPlural-Forms: {PLURAL_FORMS.get(language, '')}\n"
    known = {entry.key: entry for entry in old}
    merged = []
    for entry in template:
        previous = known.get(entry.key)
        strings = previous.strings if previous else []
        merged.append(Entry(entry.msgid, entry.plural, entry.locations, strings, previous.fuzzy if previous else False))
    return "\n".join([_header_text(header), *(_entry_text(entry, True, _plurals(header)) for entry in merged)])


def _plurals(header: str) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(found.group(1)) if found else 2


# ---- .mo ------------------------------------------------------------------------------------------------------


def compile_mo(header: str, entries: Sequence[Entry]) -> bytes:
    """GNU ``.mo`` bytes (as ``msgfmt`` writes them; fuzzy and untranslated entries are left out)."""
    pairs = {b"": header.encode("utf-8")}
    for entry in entries:
        if entry.fuzzy or not entry.strings or not all(entry.strings):
            continue
        msgid = entry.msgid if entry.plural is None else f"{entry.msgid}\0{entry.plural}"
        pairs[msgid.encode("utf-8")] = "\0".join(entry.strings).encode("utf-8")
    keys = sorted(pairs)
    ids = strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(pairs[key])))
        ids += key + b"\0"
        strs += pairs[key] + b"\0"
    start = 7 * 4 + 16 * len(keys)
    table_ids: list[int] = []
    table_strs: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        table_ids += [id_length, start + id_offset]
        table_strs += [str_length, start + len(ids) + str_offset]
    head = struct.pack("<Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    tables = struct.pack(f"<{len(table_ids) + len(table_strs)}i", *table_ids, *table_strs)
    return head + tables + ids + strs


# ---- checks and the command line ------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def problems(language: str) -> list[str]:
    """What is wrong with one language's catalog: stale template, missing or broken translations, stale .mo."""
    template = extract()
    out = []
    if not POT.exists() or POT.read_text(encoding="utf-8") != write_pot(template):
        out.append(f"{POT.name} is out of date: run python -m poplab.catalogs")
    path = po_path(language)
    header, entries = parse_po(path.read_text(encoding="utf-8"), str(path)) if path.exists() else ("", [])
    translated = {entry.key: entry for entry in entries}
    for entry in template:
        out.extend(_entry_problems(entry, translated.get(entry.key), language))
    mo = mo_path(language)
    if not mo.exists() or mo.read_bytes() != compile_mo(header, entries):
        out.append(f"{language}: {mo.name} does not match {path.name}: run python -m poplab.catalogs")
    return out


def _entry_problems(entry: Entry, translation: Entry | None, language: str) -> list[str]:
    label = f"{language}: {entry.msgid[:60]!r}"
    if translation is None or translation.fuzzy or not translation.strings or not all(translation.strings):
        return [f"{label} has no {language} translation"]
    allowed = set(_PLACEHOLDER.findall(entry.msgid)) | set(_PLACEHOLDER.findall(entry.plural or ""))
    out = []
    for text in translation.strings:
        used = set(_PLACEHOLDER.findall(text))
        if not used <= allowed or (entry.plural is None and used != allowed):
            out.append(f"{label}: placeholders {sorted(used)} do not match {sorted(allowed)}")
    return out


def write_all() -> None:
    template = extract()
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_text(write_pot(template), encoding="utf-8")
    for language in LANGUAGES:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(merge(template, path.read_text(encoding="utf-8") if path.exists() else None, language), "utf-8")
        header, entries = parse_po(path.read_text(encoding="utf-8"), str(path))
        mo_path(language).write_bytes(compile_mo(header, entries))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m poplab.catalogs", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if anything is out of date")
    args = parser.parse_args(argv)
    if not args.check:
        write_all()
    found = [problem for language in LANGUAGES for problem in problems(language)]
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
