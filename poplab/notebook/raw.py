"""The bytes on the wire, made visible: every line end as ␍␊ (or a lone ␊ / ␍), control and non-UTF-8 bytes as
``\\xNN``, the stuffed dot of a byte-stuffed line highlighted, and the octets each side sent."""

from __future__ import annotations

from collections.abc import Sequence

from poplab.i18n import translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.transcript import TranscriptLine, display, line_end

HEAD_LINES = 40
TAIL_LINES = 3
STUFFED = "#d4a72c"


def visible(raw: bytes) -> tuple[str, str]:
    """A line's content as text (controls and non-UTF-8 bytes escaped) and its line end as ␍␊ symbols."""
    end = line_end(raw).decode("ascii").replace("\r", "␍").replace("\n", "␊")
    return display(raw), end


def is_stuffed(line: TranscriptLine) -> bool:
    """A server line that begins with two dots: the first is byte-stuffing (status lines begin with + or -)."""
    return line.direction == "S" and line.raw.startswith(b"..")


def _shortened(lines: Sequence[TranscriptLine]) -> tuple[list[TranscriptLine], int, list[TranscriptLine]]:
    if len(lines) <= HEAD_LINES + TAIL_LINES + 1:
        return list(lines), 0, []
    return list(lines[:HEAD_LINES]), len(lines) - HEAD_LINES - TAIL_LINES, list(lines[-TAIL_LINES:])


def _line_end(symbols: str) -> str:
    """The line end as a small label (CR LF, or a lone LF/CR), readable in any font."""
    if not symbols:
        return ""
    names = symbols.replace("␍", "CR ").replace("␊", "LF ").strip()
    look = r.style(color=r.MUTED, border=f"1px solid {r.BORDER}", border_radius="3px", font_size="75%", padding="0 2px")
    return f' <span {look} title="{r.esc(symbols)}">{r.esc(names)}</span>'


class RawView:
    """``session.raw`` / ``exchange.raw``: renders the exact bytes; ``bytes(view)`` gives them."""

    def __init__(self, lines: Sequence[TranscriptLine], lang: str) -> None:
        self.lines = tuple(line for line in lines if line.raw)
        self.lang = lang

    def __bytes__(self) -> bytes:
        return b"".join(line.raw for line in self.lines)

    def octets(self, direction: str) -> int:
        return sum(len(line.raw) for line in self.lines if line.direction == direction)

    def _total(self) -> str:
        return translator(self.lang)(texts.RAW_TOTAL, octets=self.octets("C"), received=self.octets("S"))

    def _html_line(self, line: TranscriptLine) -> str:
        text, end = visible(line.raw)
        colour = r.CLIENT if line.direction == "C" else r.TEXT
        prefix = r.muted(f"{line.direction} ")
        if is_stuffed(line):
            look = r.style(background=STUFFED, color="#000000", font_weight="bold")
            body = f"<span {look}>.</span>{r.esc(text[1:])}"
        else:
            body = r.esc(text)
        return f"{prefix}<span {r.style(color=colour)}>{body}</span>{_line_end(end)}"

    def _repr_html_(self) -> str:
        t = translator(self.lang)
        head, skipped, tail = _shortened(self.lines)
        rows = [self._html_line(line) for line in head]
        if skipped:
            rows.append(r.muted(t.plural(texts.MORE_LINES, skipped)))
        rows += [self._html_line(line) for line in tail]
        pre = r.style(font_family=r.MONO, white_space="pre-wrap", word_break="break-all", margin="4px 0")
        title = f"<b>{r.esc(t(texts.RAW_TITLE))}</b>"
        legend = r.paragraph(r.muted(t(texts.RAW_LEGEND)))
        block = f"<div {pre}>" + "<br>".join(rows) + "</div>"
        return r.box(title + legend + block + r.paragraph(r.esc(self._total())), "raw")

    def __repr__(self) -> str:
        t = translator(self.lang)
        head, skipped, tail = _shortened(self.lines)
        rows = [f"{line.direction} {''.join(visible(line.raw))}" for line in head]
        if skipped:
            rows.append(t.plural(texts.MORE_LINES, skipped))
        rows += [f"{line.direction} {''.join(visible(line.raw))}" for line in tail]
        return "\n".join([*rows, self._total()])
