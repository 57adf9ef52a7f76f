"""The raw bytes of a line as a learner should see them: CR and LF as ␍␊ (a bare LF as ␊), other control bytes
and bytes that are not UTF-8 as ``\\xNN``, and the dot that byte-stuffing added marked."""

from __future__ import annotations

from dataclasses import dataclass

from poplab.transcript import display, line_end


@dataclass(frozen=True)
class RawLine:
    """One line, split for display: a stuffing dot (or the terminator), the text, and the line end's symbols."""

    stuffing: str
    text: str
    end: str


def raw_line(raw: bytes, in_body: bool = False) -> RawLine:
    """``in_body``: the line is part of a multi-line body, where a leading dot is stuffing or the terminator."""
    ending = line_end(raw)
    end = "␍␊" if ending == b"\r\n" else "␊" if ending else ""
    text = display(raw)
    if in_body and raw.startswith(b"..") and len(raw) > 1:
        return RawLine(".", text[1:], end)
    if in_body and raw.rstrip(b"\r\n") == b".":
        return RawLine(".", "", end)
    return RawLine("", text, end)


def end_mark(raw: bytes) -> str:
    """The mark the Markdown handout puts after a line that does not end in CR LF: ␊ (bare LF), ␄ (no line end)."""
    ending = line_end(raw)
    return "" if ending == b"\r\n" else " ␊" if ending else " ␄"
