"""What the transcript pane lists, without Textual: the annotator's annotations (one per line, one per multi-line
body) and the tutor's own notes (connected, TLS certificate, errors), in order, plus the helpers that show raw
bytes the way a learner should see them — line ends as ␍␊ and stuffing dots marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from poplab.annotate.model import Annotation, Kind
from poplab.transcript import split_lines

BODY_KINDS = frozenset({Kind.LISTING, Kind.MESSAGE, Kind.TERMINATOR})
SHORT_BODY = 20
"""Bodies of at most this many lines are shown open; longer ones collapse to a summary line."""
EXPANDED_LIMIT = 400
"""An opened body shows at most this many lines in the transcript; the rest is counted."""
RAW_LIMIT = 200
"""The Detail pane shows at most this many raw lines of a body."""

Segment = tuple[str, Literal["text", "eol", "dot", "control"]]


@dataclass(frozen=True)
class Note:
    """A line of the tutor's own (not on the wire). ``at``: the number of transcript lines before it;
    ``text`` is an English msgid filled with ``values``; ``detail`` an optional longer text (not translated)."""

    at: int
    text: str
    values: tuple[tuple[str, str], ...] = ()
    severity: Literal["info", "warning", "error"] = "info"
    detail: str = ""


Item = Annotation | Note


def is_body(item: Item) -> bool:
    return isinstance(item, Annotation) and item.kind in BODY_KINDS


def starts_open(item: Item) -> bool:
    return is_body(item) and isinstance(item, Annotation) and item.line_count <= SHORT_BODY


def position(item: Item) -> tuple[int, int]:
    """Sort key: notes go before the annotations of the lines that came after them."""
    return (item.at, 0) if isinstance(item, Note) else (item.index, 1)


def merge(annotations: Iterable[Annotation], notes: Iterable[Note]) -> list[Item]:
    items: list[Item] = [*annotations, *notes]
    return sorted(items, key=position)


def body_lines(annotation: Annotation, limit: int) -> tuple[list[bytes], int]:
    """The first ``limit`` raw lines of a body (terminator included when shown) and how many were left out."""
    lines = split_lines(annotation.raw)
    return lines[:limit], max(0, len(lines) - limit)


def body_counts(raw: bytes) -> tuple[int, int]:
    """The counts the annotator's summary gives for a received body, so the tutor states one number everywhere:
    its content lines (the final dot line left out) and its size as LIST counts it (RFC 1939 §11: stuffing dots
    left out, every line end as CRLF). Computed on the whole body at C speed (a 3 MB body in milliseconds)."""
    complete = raw == b".\r\n" or raw.endswith(b"\n.\r\n")
    content = raw[:-3] if complete else raw
    if not content:
        return 0, 0
    dots = content.count(b"\n..") + content.startswith(b"..")
    line_feeds = content.count(b"\n")
    unfinished = not content.endswith(b"\n")
    bare = line_feeds - content.count(b"\r\n")
    return line_feeds + unfinished, len(content) - dots + bare + 2 * unfinished


def iter_lines(raw: bytes, limit: int) -> Iterator[bytes]:
    """Up to ``limit`` lines of ``raw``, without splitting the whole of a multi-megabyte body."""
    start = 0
    for _ in range(limit):
        if start >= len(raw):
            return
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end + 1
        yield raw[start:end]
        start = end


def visible(raw: bytes, body: bool = False) -> list[Segment]:
    """One raw line as segments: text, the line end (``␍␊``, a bare ``␊``), a stuffing dot (body lines that
    begin with ``..``), control bytes as ``\\xNN``."""
    content = raw.rstrip(b"\r\n")
    ending = raw[len(content) :]
    out: list[Segment] = []
    if body and content.startswith(b".."):
        out.append((".", "dot"))
        content = content[1:]
    text = content.decode("utf-8", "backslashreplace")
    run: list[str] = []
    for char in text:
        if ord(char) < 0x20 or ord(char) == 0x7F:
            if run:
                out.append(("".join(run), "text"))
                run = []
            out.append((f"\\x{ord(char):02x}", "control"))
        else:
            run.append(char)
    if run:
        out.append(("".join(run), "text"))
    if ending:
        out.append((ending.decode("ascii").replace("\r", "␍").replace("\n", "␊"), "eol"))
    return out


def plain(segments: Iterable[Segment]) -> str:
    return "".join(text for text, _ in segments)
