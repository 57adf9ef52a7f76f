"""The sequence diagram of a session: client and server lifelines, one arrow per command and per reply (a
multi-line reply is one arrow with its line count), the state band beside them, -ERR in red, the TLS switch and
the connection's end marked. As SVG (HTML handouts, notebooks) and as text (the tutor, plain terminals)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from poplab.annotate import Annotation
from poplab.annotate.smtp_table import SmtpState
from poplab.handout import texts
from poplab.handout.entries import Step, closed_sentence, steps
from poplab.i18n import Translator, translator
from poplab.protocol.states import State

STATE_COLORS: dict[object, str] = {
    State.AUTHORIZATION: "#fff4ce",
    State.TRANSACTION: "#dff3e4",
    State.UPDATE: "#e8e0f7",
    SmtpState.START: "#fff4ce",
    SmtpState.READY: "#dff3e4",
    SmtpState.MAIL: "#ddf4ff",
    SmtpState.RCPT: "#ddf4ff",
    SmtpState.DATA: "#e8e0f7",
    SmtpState.END: "#eaeef2",
}
"""A band's colour per state: POP3's three (RFC 1939 §3), and the SMTP session's steps for a journey's first half."""
ROW = 24
TOP = 44
BAND = 118
LEFT, RIGHT = 190, 660
WIDTH = 720
LABEL_CHARS = 58


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(step: Step, t: Translator) -> str:
    if step.closed:
        return closed_sentence(step.first, t).strip("- ")
    more = f" ({t.plural(texts.LINE_COUNT, step.line_count)})" if step.line_count > 1 else ""
    return _short(step.label, LABEL_CHARS - len(more)) + more


def _rows(all_steps: Sequence[Step]) -> list[tuple[str, Step | None]]:
    """The diagram's rows: an arrow per step, a TLS row where TLS starts."""
    rows: list[tuple[str, Step | None]] = []
    tls = False
    for step in all_steps:
        if step.tls and not tls:
            rows.append(("tls", None))
        tls = step.tls and not step.closed
        rows.append(("step", step))
    return rows


def sequence_svg(annotations: Sequence[Annotation], lang: str | None = "en") -> str:
    """An ``<svg>`` element (no XML prolog, no scripts, no external resources) of the session."""
    t = translator(lang)
    rows = _rows(steps(annotations))
    height = TOP + ROW * len(rows) + 16
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="poplab-sequence" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(t(texts.SEQUENCE))}" '
        'font-family="ui-monospace,Menlo,Consolas,monospace" font-size="12">',
        '<defs><marker id="poplab-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>',
    ]
    out += _bands(rows)
    out += _heads(t, height)
    for number, (kind, step) in enumerate(rows):
        y = TOP + ROW * number + ROW // 2 + 4
        out += _tls_row(y, t) if step is None or kind == "tls" else _arrow(step, y, t)
    out.append("</svg>")
    return "\n".join(out)


def _heads(t: Translator, height: int) -> list[str]:
    out = []
    for x, name in ((LEFT, t(texts.CLIENT)), (RIGHT, t(texts.SERVER))):
        out.append(f'<rect x="{x - 45}" y="4" width="90" height="22" rx="4" fill="#f6f8fa" stroke="#57606a"/>')
        out.append(f'<text x="{x}" y="19" text-anchor="middle" font-weight="bold">{escape(name)}</text>')
        out.append(f'<line x1="{x}" y1="26" x2="{x}" y2="{height - 6}" stroke="#8c959f" stroke-dasharray="4 3"/>')
    return out


def _bands(rows: list[tuple[str, Step | None]]) -> list[str]:
    """One coloured band per run of rows in the same state, labelled once."""
    out: list[str] = []
    runs: list[tuple[object, int, int]] = []
    for number, (_, step) in enumerate(rows):
        state = step.state if step is not None else (runs[-1][0] if runs else State.AUTHORIZATION)
        if runs and runs[-1][0] is state:
            runs[-1] = (state, runs[-1][1], number)
        else:
            runs.append((state, number, number))
    for state, start, end in runs:
        y, h = TOP + ROW * start, ROW * (end - start + 1)
        fill = STATE_COLORS.get(state, "#eaeef2")
        out.append(f'<rect class="band" x="2" y="{y}" width="{BAND}" height="{h}" fill="{fill}"/>')
        out.append(f'<text x="8" y="{y + 16}" font-size="10" font-weight="bold" fill="#57606a">{state}</text>')
    return out


def _tls_row(y: int, t: Translator) -> list[str]:
    return [
        f'<line x1="{BAND + 6}" y1="{y - 4}" x2="{WIDTH - 6}" y2="{y - 4}" stroke="#8250df" stroke-width="2" '
        'stroke-dasharray="8 4"/>',
        f'<text class="tls" x="{(LEFT + RIGHT) // 2}" y="{y - 8}" text-anchor="middle" fill="#8250df" '
        f'font-weight="bold">{escape(t(texts.TLS_SWITCH))}</text>',
    ]


def _arrow(step: Step, y: int, t: Translator) -> list[str]:
    color = "#cf222e" if step.error else "#0550ae" if step.direction == "C" else "#1f2328"
    label = escape(_label(step, t))
    middle = (LEFT + RIGHT) // 2
    if step.closed:
        x = LEFT if step.direction == "C" else RIGHT
        return [
            f'<text class="closed" x="{x}" y="{y + 4}" text-anchor="middle" font-size="16" fill="#57606a">✕</text>',
            f'<text x="{middle}" y="{y}" text-anchor="middle" font-style="italic" fill="#57606a">{label}</text>',
        ]
    start, end = (LEFT, RIGHT) if step.direction == "C" else (RIGHT, LEFT)
    css = "arrow err" if step.error else "arrow"
    return [
        f'<line class="{css}" x1="{start}" y1="{y + 4}" x2="{end}" y2="{y + 4}" stroke="{color}" stroke-width="1.5" '
        'marker-end="url(#poplab-arrow)"/>',
        f'<text x="{middle}" y="{y}" text-anchor="middle" fill="{color}" xml:space="preserve">{label}</text>',
    ]


def sequence_text(annotations: Sequence[Annotation], width: int = 80, lang: str | None = "en") -> str:
    """The diagram as text lines of at most ``width`` characters: the state where it changes, then an arrow per
    command or reply (``C ──▶ S`` / ``C ◀── S``), -ERR marked with ✗, the TLS switch and the end as rules."""
    t = translator(lang)
    width = max(width, 40)
    out = [_text_head(t, width)]
    state: object = None
    for kind, step in _rows(steps(annotations)):
        if step is None or kind == "tls":
            out.append(_rule(f" {t(texts.TLS_SWITCH)} ", width))
            continue
        if step.state is not state:
            state = step.state
            out.append(f"[{state}]")
        out.append(_text_arrow(step, width, t))
    return "\n".join(out) + "\n"


def _text_head(t: Translator, width: int) -> str:
    client, server = t(texts.CLIENT), t(texts.SERVER)
    return client + " " * max(1, width - len(client) - len(server)) + server


def _rule(text: str, width: int) -> str:
    side = max(2, (width - len(text)) // 2)
    return ("┄" * side + text + "┄" * side)[:width]


def _text_arrow(step: Step, width: int, t: Translator) -> str:
    if step.closed:
        return _rule(f" ✕ {_label(step, t)} ", width)
    mark = "✗ " if step.error else ""
    label = _short(mark + _label(step, t), width - 7)
    shaft = "─" * max(2, width - 5 - len(label))
    if step.direction == "C":
        return f"│ {label} {shaft}▶│"
    return f"│◀{shaft} {label} │"
