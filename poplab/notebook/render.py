"""Small HTML building blocks for every notebook rendering: escaping, inline styles (no ``<style>`` blocks, no
external CSS or JS, so outputs look the same in JupyterLab, Notebook 7 and on GitHub) and JupyterLab's theme
variables with light fallbacks, so the light and the dark theme both reach WCAG AA contrast (4.5:1).

How the colours stay readable in both themes:

- every frame (:func:`box`) paints its own background, ``--jp-layout-color0`` (white without JupyterLab), and
  table rows and ``<code>`` stay transparent, so JupyterLab's zebra stripes, row hover and the ``<code>`` grey
  (``--jp-layout-color2``, where the dark theme measured 1.32:1) never sit behind our text;
- text uses ``--jp-content-font-color1``/``2``; the accent colours take a theme colour (``--jp-brand-color1``,
  ``--jp-error-color1``, ``--jp-warn-color0``, ``--jp-success-color1``) and mix a fifth of the theme's strongest
  text colour into it (``color-mix``): darker on a light background, lighter on a dark one.

``tests/notebook/test_render.py`` resolves these values against JupyterLab's light and dark theme variables and
asserts 4.5:1; ``tests/notebook/test_browser.py`` measures them in a real browser."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from poplab.protocol.rfc import RfcRef
from poplab.protocol.states import State

FONT = "var(--jp-content-font-family, system-ui, sans-serif)"
MONO = "var(--jp-code-font-family, ui-monospace, Menlo, Consolas, monospace)"
BACKGROUND = "var(--jp-layout-color0, #ffffff)"
TEXT = "var(--jp-content-font-color1, #1f2328)"
MUTED = "var(--jp-content-font-color2, #59636e)"
BORDER = "var(--jp-border-color2, #d0d7de)"
STRONGEST = "var(--jp-content-font-color0, #000000)"
"""Black in light themes, white in dark ones: mixed into an accent colour, it moves it away from the background."""
ACCENT_SHARE = 80
"""Percent of the theme colour in an accent colour; the rest is :data:`STRONGEST`."""


def accent(variable: str, fallback: str) -> str:
    """A JupyterLab theme colour pushed towards the theme's text colour, so it reads on the theme's background."""
    return f"color-mix(in srgb, var({variable}, {fallback}) {ACCENT_SHARE}%, {STRONGEST})"


CLIENT = accent("--jp-brand-color1", "#1976d2")
ERROR = accent("--jp-error-color1", "#d32f2f")
WARNING = accent("--jp-warn-color0", "#e65100")
OK = accent("--jp-success-color1", "#388e3c")
BADGE_TEXT = "#ffffff"
STATE_COLOURS = {State.AUTHORIZATION: "#8250df", State.TRANSACTION: "#0969da", State.UPDATE: "#bf3989"}
"""Badge backgrounds under white text (5:1 or more in any theme: the badge brings its own background)."""
OTHER_BADGE = "#59636e"


def esc(text: object) -> str:
    """Escape any text for HTML (quotes too): a ``<script>`` in a subject shows as text."""
    return html.escape(str(text), quote=True)


def style(**properties: str) -> str:
    """``style(font_weight="bold")`` → ``style="font-weight:bold"``."""
    body = ";".join(f"{name.replace('_', '-')}:{value}" for name, value in properties.items())
    return f'style="{esc(body)}"'


def box(inner: str, kind: str) -> str:
    """The frame around one rendering; ``kind`` names it for tests and for users' own CSS."""
    frame = style(
        font_family=FONT,
        color=TEXT,
        background=BACKGROUND,
        border=f"1px solid {BORDER}",
        border_radius="6px",
        padding="6px 10px",
    )
    return f'<div class="poplab-{esc(kind)}" {frame}>{inner}</div>'


def code(text: str, colour: str = TEXT, bold: bool = False) -> str:
    """Monospaced text on the frame's background (JupyterLab's grey behind ``<code>`` is switched off)."""
    weight = "bold" if bold else "normal"
    look = style(
        font_family=MONO,
        color=colour,
        background="transparent",
        padding="0",
        font_weight=weight,
        white_space="pre-wrap",
        overflow_wrap="anywhere",
    )
    return f"<code {look}>{esc(text)}</code>"


def muted(text: str) -> str:
    return f"<span {style(color=MUTED)}>{esc(text)}</span>"


def badge(state: State | str) -> str:
    """A coloured state label; the keyword itself is never translated."""
    colour = STATE_COLOURS.get(state, OTHER_BADGE) if isinstance(state, State) else OTHER_BADGE
    look = style(background=colour, color=BADGE_TEXT, border_radius="4px", padding="0 5px", font_size="85%")
    return f"<span {look}>{esc(state)}</span>"


def line_end(ending: str) -> str:
    """A line end (``"\\r\\n"``, a lone ``"\\n"`` or ``"\\r"``) as a small framed label in words, ``CR LF``:
    every font has these letters, unlike the control pictures ␍␊ (boxes in DejaVu and Liberation); the tooltip
    gives the octets."""
    if not ending:
        return ""
    words = " ".join("CR" if char == "\r" else "LF" for char in ending)
    octets = " ".join(str(ord(char)) for char in ending)
    look = style(color=MUTED, border=f"1px solid {BORDER}", border_radius="3px", font_size="75%", padding="0 2px")
    return f'<span class="poplab-eol" {look} title="{esc(octets)}">{esc(words)}</span>'


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
    line = f"<tr {style(background='transparent')}>"
    body = "".join(line + "".join(f"<td {cells[i]}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    title = f"<caption {style(text_align='left', font_weight='bold', padding='2px 0')}>{esc(caption)}</caption>"
    grid = style(border_collapse="collapse", font_size="90%")
    return f"<table {grid}>{title if caption else ''}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(min_width: str) -> str:
    look = {"text_align": "left", "vertical_align": "top", "padding": "2px 8px", "border_bottom": f"1px solid {BORDER}"}
    return style(**look, **({"min_width": min_width} if min_width else {}))
