"""The Markdown handout — readable on a Git forge — and its reader, so ``poplab annotate`` takes it back.

Each explained line is a small section: its wire lines in a ```` ```pop3 ```` block, then the explanation. The
blocks hold the session exactly as the text form does (``C: …`` / ``S: …``, ``--- TLS ---``, the closed marker
as a sentence); a line that does not end in CR LF is marked ␊ (bare LF) or ␄ (no line end). Reading collects
those blocks (or, in a plain Markdown transcript without them, the ``text`` blocks of ``C:``/``S:`` lines).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from poplab.annotate import Annotation, Finding
from poplab.handout import texts
from poplab.handout.entries import Entry, closed_sentence
from poplab.handout.raw_bytes import end_mark
from poplab.handout.sequence import sequence_text
from poplab.handout.state_chart import state_text
from poplab.i18n import LANGUAGES, NP_, Translator, translator
from poplab.protocol.rfc import RfcRef
from poplab.transcript import Direction, Transcript, TranscriptError, TranscriptLine, display

INFO = "pop3"
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)\s*$")


def document(entries: Sequence[Entry], lang: str | None = "en", title: str | None = None, redact: bool = True) -> str:
    t = translator(lang)
    annotations = [entry.annotation for entry in entries]
    notes = [t(texts.LINE_ENDS), *([t(texts.REDACTED_NOTE)] if redact else []), t(texts.MADE_WITH)]
    out = [f"# {escape(title or t(texts.TITLE))}", "", escape(" ".join(notes)), ""]
    out += [f"## {t(texts.SEQUENCE)}", "", *_fenced(sequence_text(annotations, 80, t.language), "text"), ""]
    out += [f"## {t(texts.STATES)}", "", *_fenced(state_text(annotations, t.language), "text"), ""]
    out += [f"## {t(texts.LINES)}", ""]
    tls = False
    for entry in entries:
        out += _entry(entry, t, tls)
        if entry.wire or entry.closed:
            tls = entry.annotation.tls and not entry.closed
    return "\n".join(out).rstrip("\n") + "\n"


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _fenced(text: str, info: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *text.rstrip("\n").split("\n"), fence]


def _entry(entry: Entry, t: Translator, tls: bool) -> list[str]:
    a = entry.annotation
    states = str(a.state_before) if a.state_before is a.state_after else f"{a.state_before} → {a.state_after}"
    head = f"### {a.index + 1} · {t(texts.KINDS[a.kind])} · {states}" + (" · TLS" if a.tls else "")
    out = [head, ""]
    block = _wire(entry, t, tls)
    if block:
        out += [*_fenced("\n".join(block), INFO), ""]
    out += [escape(a.summary) + _ref(a.ref), ""]
    for finding in a.findings:
        out += [_finding(finding, t), ""]
    if a.why is not None:
        out += [f"> **{escape(t(texts.WHY).strip())}** {escape(a.why.reason)}{_ref(a.why.ref)}  "]
        out += [f"> **{escape(t(texts.HINT).strip())}** {escape(a.why.hint)}", ""]
    out += _details(a, t)
    return out


def _wire(entry: Entry, t: Translator, tls: bool) -> list[str]:
    a = entry.annotation
    if entry.closed:
        return [closed_sentence(a, t)]
    rows = [texts.TLS_MARK] if a.tls and not tls and entry.wire else []
    for raw in entry.wire:
        text = display(raw)
        rows.append((f"{a.direction}: {text}" if text else f"{a.direction}:") + end_mark(raw))
    return rows


def _ref(ref: RfcRef | None) -> str:
    return f" ([{ref}]({ref.url}))" if ref is not None else ""


def _finding(finding: Finding, t: Translator) -> str:
    return f"> **{escape(t(texts.SEVERITIES[finding.severity]))}:** {escape(finding.text)}{_ref(finding.ref)}"


def _details(a: Annotation, t: Translator) -> list[str]:
    if not a.detail and not a.octets_note:
        return []
    inner = [escape(a.detail)]
    if a.octets_note:
        octets = t.plural(NP_("{count} octet", "{count} octets"), a.octets)
        inner.append(f"{escape(octets)}: {escape(a.octets_note)}")
    return [
        "<details><summary>" + escape(t(texts.MORE_SHORT)) + "</summary>",
        "",
        "  \n".join(inner),
        "",
        "</details>",
        "",
    ]


# ---- reading it back ----------------------------------------------------------------------------------------


def looks_like_markdown(text: str) -> bool:
    """A handout or a Markdown transcript: it has a fenced block."""
    return any(_FENCE.match(line) for line in text.splitlines())


def read(text: str) -> Transcript:
    """The transcript in a Markdown handout (its ```` ```pop3 ```` blocks), or in a plain Markdown transcript (its
    fenced blocks of ``C:``/``S:`` lines); raises :class:`TranscriptError` if there is none."""
    blocks = _blocks(text)
    chosen = [rows for info, rows in blocks if info == INFO] or [rows for info, rows in blocks if _is_wire(rows)]
    if not chosen:
        raise TranscriptError("no fenced block of 'C: ...' / 'S: ...' lines")
    transcript, tls, marks = Transcript(), False, _closed_marks()
    for rows in chosen:
        for number, row in rows:
            tls = _read_row(transcript, row, number, tls, marks)
    return transcript


def _blocks(text: str) -> list[tuple[str, list[tuple[int, str]]]]:
    blocks: list[tuple[str, list[tuple[int, str]]]] = []
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            blocks.append((match.group(2), []))
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is not None:
            blocks[-1][1].append((number, line))
    return blocks


def _closed_marks() -> dict[str, Direction]:
    marks: dict[str, Direction] = {"--- C closed ---": "C", "--- S closed ---": "S"}
    for language in LANGUAGES:
        t = translator(language)
        marks[t(texts.CLIENT_CLOSED)] = "C"
        marks[t(texts.SERVER_CLOSED)] = "S"
    return marks


def _is_wire(rows: list[tuple[int, str]]) -> bool:
    marks = _closed_marks()
    kept = [row.strip() for _, row in rows if row.strip()]
    return bool(kept) and all(row[:2] in ("C:", "S:") or row in marks or row == texts.TLS_MARK for row in kept)


def _read_row(transcript: Transcript, row: str, number: int, tls: bool, marks: dict[str, Direction]) -> bool:
    stripped = row.strip()
    if not stripped:
        return tls
    if stripped == texts.TLS_MARK:
        return True
    if stripped in marks:
        transcript.add(marks[stripped], b"", tls=tls)
        return False
    if row[:2] not in ("C:", "S:") or row[2:3] not in ("", " "):
        raise TranscriptError(f"line {number}: expected 'C: ...' or 'S: ...', got {row[:40]!r}")
    rest, end = row[2:], b"\r\n"
    if rest.endswith(" ␊"):
        rest, end = rest[:-2], b"\n"
    elif rest.endswith(" ␄"):
        rest, end = rest[:-2], b""
    content = rest[1:] if rest.startswith(" ") else rest
    direction: Direction = "C" if row[0] == "C" else "S"
    transcript.append(TranscriptLine(direction, content.encode("utf-8") + end, tls=tls))
    return tls
