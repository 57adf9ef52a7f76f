"""Small HTML building blocks for every notebook rendering: escaping, inline styles (no ``<style>`` blocks, no
external CSS or JS, so outputs look the same in JupyterLab, Notebook 7 and on GitHub) and JupyterLab's theme
variables with light fallbacks, so the dark theme stays readable."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from poplab.protocol.rfc import RfcRef
from poplab.protocol.states import State

FONT = "var(--jp-content-font-family, system-ui, sans-serif)"
MONO = "var(--jp-code-font-family, ui-monospace, Menlo, Consolas, monospace)"
TEXT = "var(--jp-content-font-color1, #1f2328)"
MUTED = "var(--jp-content-font-color2, #59636e)"
BORDER = "var(--jp-border-color2, #d0d7de)"
CLIENT = "#0550ae"
ERROR = "#b42318"
WARNING = "#9a6700"
OK = "#1a7f37"
STATE_COLOURS = {State.AUTHORIZATION: "#8250df", State.TRANSACTION: "#0969da", State.UPDATE: "#bf3989"}


def esc(text: object) -> str:
    """Escape any text for HTML (quotes too): a ``<script>`` in a subject shows as text."""
    return html.escape(str(text), quote=True)


def style(**properties: str) -> str:
    """``style(font_weight="bold")`` → ``style="font-weight:bold"``."""
    body = ";".join(f"{name.replace('_', '-')}:{value}" for name, value in properties.items())
    return f'style="{esc(body)}"'


def box(inner: str, kind: str) -> str:
    """The frame around one rendering; ``kind`` names it for tests and for users' own CSS."""
    frame = style(font_family=FONT, color=TEXT, border=f"1px solid {BORDER}", border_radius="6px", padding="6px 10px")
    return f'<div class="poplab-{esc(kind)}" {frame}>{inner}</div>'


def code(text: str, colour: str = TEXT, bold: bool = False) -> str:
    weight = "bold" if bold else "normal"
    look = style(font_family=MONO, color=colour, font_weight=weight, white_space="pre-wrap", word_break="break-all")
    return f"<code {look}>{esc(text)}</code>"


def muted(text: str) -> str:
    return f"<span {style(color=MUTED)}>{esc(text)}</span>"


def badge(state: State | str) -> str:
    """A coloured state label; the keyword itself is never translated."""
    colour = STATE_COLOURS.get(state, MUTED) if isinstance(state, State) else MUTED
    look = style(background=colour, color="#ffffff", border_radius="4px", padding="0 5px", font_size="85%")
    return f"<span {look}>{esc(state)}</span>"


def transition(before: State, after: State) -> str:
    return badge(before) if before is after else f"{badge(before)} → {badge(after)}"


def rfc_link(ref: RfcRef | None) -> str:
    """A link to the RFC section that says so (opens in a new tab)."""
    if ref is None:
        return ""
    title = esc(f"{ref} {ref.title}")
    return f'<a href="{esc(ref.url)}" target="_blank" rel="noopener">{title}</a>'


def paragraph(inner: str, colour: str = TEXT) -> str:
    return f"<div {style(margin='4px 0', color=colour)}>{inner}</div>"


def table(headings: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "", widths: Sequence[str] = ()) -> str:
    """A table of already-escaped cells under escaped headings; ``widths`` are minimum column widths."""
    cells = [_cell(widths[i] if i < len(widths) else "") for i in range(len(headings))]
    head = "".join(f"<th {cells[i]}>{esc(h)}</th>" for i, h in enumerate(headings))
    body = "".join("<tr>" + "".join(f"<td {cells[i]}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    title = f"<caption {style(text_align='left', font_weight='bold', padding='2px 0')}>{esc(caption)}</caption>"
    grid = style(border_collapse="collapse", font_size="90%")
    return f"<table {grid}>{title if caption else ''}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(min_width: str) -> str:
    look = {"text_align": "left", "vertical_align": "top", "padding": "2px 8px", "border_bottom": f"1px solid {BORDER}"}
    return style(**look, **({"min_width": min_width} if min_width else {}))
