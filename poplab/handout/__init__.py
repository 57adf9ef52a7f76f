"""Handouts: a session to hand out, print and open elsewhere — HTML (self-contained, printable, with the sequence
and state diagrams), Markdown (readable on a Git forge, read back by ``poplab annotate``), JSON (lossless) and
pcap (for Wireshark) — and the two diagrams on their own, as SVG and as text.

For the tutor and the notebooks::

    export(transcript, "html", lang="de", redact=True) -> str      # "html", "md", "json" → str; "pcap" → bytes
    sequence_svg(annotations, lang) / sequence_text(annotations, width, lang)
    state_svg(annotations, lang) / state_text(annotations, lang)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from poplab.capture import transcript_pcap
from poplab.handout import html_page, markdown
from poplab.handout.entries import Entry, entries
from poplab.handout.markdown import read as read_markdown
from poplab.handout.sequence import sequence_svg, sequence_text
from poplab.handout.state_chart import state_svg, state_text
from poplab.transcript import Transcript, TranscriptLine

Kind = Literal["html", "md", "json", "pcap"]
KINDS: tuple[Kind, ...] = ("html", "md", "json", "pcap")
SUFFIXES = {"html": ".html", "md": ".md", "json": ".json", "pcap": ".pcap"}

__all__ = [
    "KINDS",
    "Entry",
    "entries",
    "export",
    "html",
    "markdown_text",
    "read_markdown",
    "sequence_svg",
    "sequence_text",
    "state_svg",
    "state_text",
]


def html(
    lines: Iterable[TranscriptLine], lang: str | None = "en", redact: bool = True, title: str | None = None
) -> str:
    """The HTML handout of a session (a whole, self-contained page)."""
    return html_page.page(entries(lines, lang, redact), lang, title, redact)


def markdown_text(
    lines: Iterable[TranscriptLine], lang: str | None = "en", redact: bool = True, title: str | None = None
) -> str:
    """The Markdown handout of a session; :func:`read_markdown` (and ``poplab annotate``) read it back."""
    return markdown.document(entries(lines, lang, redact), lang, title, redact)


def export(
    transcript: Iterable[TranscriptLine],
    kind: str,
    lang: str | None = "en",
    redact: bool = True,
    title: str | None = None,
) -> str | bytes:
    """The session as ``kind``: "html", "md" or "json" (text), or "pcap" (bytes); passwords redacted unless
    ``redact`` is False. Pure: it writes no file (the caller does, with :data:`SUFFIXES` for the name)."""
    lines = list(transcript)
    if kind == "html":
        return html(lines, lang, redact, title)
    if kind == "md":
        return markdown_text(lines, lang, redact, title)
    if kind == "json":
        return Transcript(lines).to_json(redact)
    if kind == "pcap":
        return transcript_pcap(Transcript(lines).redacted() if redact else Transcript(lines))
    raise ValueError(f"unknown export {kind!r}: use one of {', '.join(KINDS)}")
