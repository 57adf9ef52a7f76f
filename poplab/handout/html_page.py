"""The HTML handout: one self-contained page (no scripts, no fonts or images from the network) with the sequence
and state diagrams as inline SVG and every line explained — its state, the RFC link, warnings, why an -ERR came
and what to try — and a collapsible detail with the longer explanation and the raw bytes. Printable: light
colours, no entry split across pages, the details left out on paper."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from poplab.annotate import Annotation, Finding, Kind
from poplab.handout import texts
from poplab.handout.entries import BODIES, Entry, closed_sentence
from poplab.handout.raw_bytes import raw_line
from poplab.handout.sequence import sequence_svg
from poplab.handout.state_chart import state_svg
from poplab.i18n import NP_, Translator, translator
from poplab.protocol.rfc import RfcRef
from poplab.protocol.states import State
from poplab.transcript import display

SHOWN_LINES = 24
"""A body shows at most this many lines; its raw bytes at most RAW_LINES."""
RAW_LINES = 200

STYLE = """
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff;max-width:60em;
margin:1.5em auto;padding:0 1em}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .4em;break-after:avoid}
.note{color:#57606a;margin:.2em 0}
svg{max-width:100%;height:auto;display:block}
.entry{border-left:4px solid #d0d7de;padding:.2em .8em;margin:.5em 0;break-inside:avoid}
.entry.dir-c{border-color:#0550ae}.entry.sev-warning{border-color:#bf8700}.entry.sev-error{border-color:#cf222e}
.wire{font:13px/1.35 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all;margin:0}
.wire .no{color:#8c959f;display:inline-block;min-width:2.2em}
.wire .c{color:#0550ae;font-weight:bold}.wire .err{color:#cf222e;font-weight:bold}
.wire .more,.wire .mark{color:#57606a;font-style:italic}
.meta{color:#57606a;font-size:.9em;margin:.1em 0}
.summary{margin:.1em 0}
.finding,.why,.hint{margin:.1em 0}
.finding.warning strong{color:#9a6700}.finding.error strong,.why strong{color:#cf222e}.hint strong{color:#8250df}
details{margin:.2em 0}summary{cursor:pointer;color:#0969da;font-size:.9em}
.raw{font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;background:#f6f8fa;border:1px solid #d0d7de;padding:.4em;
white-space:pre-wrap;word-break:break-all}
.raw .eol{color:#8250df}.raw .stuff{background:#ffebe9;color:#cf222e;font-weight:bold}
a{color:#0969da}
@media print{
@page{margin:12mm}
body{font-size:10.5px;max-width:none;margin:0;padding:0}
.wire{font-size:10px}details{display:none}a{color:inherit;text-decoration:none}
.entry{margin:.25em 0;padding:.05em .6em}h2{margin:.6em 0 .2em}
}
"""


def _pop3_states(annotations: Sequence[Annotation], t: Translator) -> list[str]:
    """POP3's state diagram, for a session with POP3 in it (an SMTP session alone has its steps in the bands)."""
    if not any(isinstance(annotation.state_after, State) for annotation in annotations):
        return []
    return [f"<h2>{escape(t(texts.STATES))}</h2>", state_svg(annotations, t.language)]


def page(entries: Sequence[Entry], lang: str | None = "en", title: str | None = None, redact: bool = True) -> str:
    """The whole HTML document."""
    t = translator(lang)
    heading = escape(title or t(texts.TITLE))
    annotations = [entry.annotation for entry in entries]
    notes = [t(texts.REDACTED_NOTE)] if redact else []
    notes.append(t(texts.MADE_WITH))
    body = [
        f'<header><h1>{heading}</h1><p class="note">{escape(" ".join(notes))}</p></header>',
        f'<section class="diagrams"><h2>{escape(t(texts.SEQUENCE))}</h2>',
        sequence_svg(annotations, t.language),
        *_pop3_states(annotations, t),
        "</section>",
        f'<section class="lines"><h2>{escape(t(texts.LINES))}</h2>',
        *(_entry(entry, t) for entry in entries),
        "</section>",
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{t.language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _entry(entry: Entry, t: Translator) -> str:
    a = entry.annotation
    css = f"entry dir-{(a.direction or 'x').lower()} sev-{a.severity.value} kind-{a.kind.value}"
    parts = [
        f'<article class="{css}" id="line-{a.index + 1}">',
        f'<pre class="wire">{_wire(entry, t)}</pre>',
        f'<p class="meta">{_meta(a, t)}</p>',
        f'<p class="summary">{escape(a.summary)}</p>',
        *(_finding(finding, t) for finding in a.findings),
    ]
    if a.why is not None:
        parts.append(
            f'<p class="why"><strong>{escape(t(texts.WHY))}</strong>{escape(a.why.reason)}{_ref(a.why.ref)}</p>'
        )
        parts.append(f'<p class="hint"><strong>{escape(t(texts.HINT))}</strong>{escape(a.why.hint)}</p>')
    parts.append(_details(entry, t))
    parts.append("</article>")
    return "\n".join(parts)


def _wire(entry: Entry, t: Translator) -> str:
    a = entry.annotation
    number = f'<span class="no">{a.index + 1}</span>'
    if a.kind is Kind.CLOSED:
        return f'{number}<span class="mark">{escape(closed_sentence(a, t))}</span>'
    if not entry.wire:
        return f'{number}<span class="mark">[{escape(t(texts.KINDS[a.kind]))}]</span>'
    css = "c" if a.direction == "C" else "err" if a.ok is False else "s"
    rows = []
    for position, raw in enumerate(entry.wire[:SHOWN_LINES]):
        text = display(raw)
        prefix = number if position == 0 else '<span class="no"></span>'
        rows.append(f'{prefix}<span class="{css}">{escape(f"{a.direction}: {text}".rstrip())}</span>')
    hidden = len(entry.wire) - SHOWN_LINES
    if hidden > 0:
        more = t.plural(NP_("… {count} more line", "… {count} more lines"), hidden)
        rows.append(f'<span class="no"></span><span class="more">{escape(more)}</span>')
    return "\n".join(rows)


def _meta(a: Annotation, t: Translator) -> str:
    states = str(a.state_before) if a.state_before is a.state_after else f"{a.state_before} → {a.state_after}"
    parts = [escape(t(texts.KINDS[a.kind])), states]
    if a.ref is not None:
        parts.append(f'<a href="{escape(a.ref.url)}">{escape(str(a.ref))}</a>')
    if a.tls:
        parts.append("TLS")
    return " · ".join(parts)


def _ref(ref: RfcRef | None) -> str:
    return f' <a href="{escape(ref.url)}">[{escape(str(ref))}]</a>' if ref is not None else ""


def _finding(finding: Finding, t: Translator) -> str:
    label = escape(t(texts.SEVERITIES[finding.severity]))
    css = f"finding {finding.severity.value}"
    text = f"{escape(finding.text)}{_ref(finding.ref)}"
    return f'<p class="{css}" data-code="{escape(finding.code)}"><strong>{label}:</strong> {text}</p>'


def _details(entry: Entry, t: Translator) -> str:
    a = entry.annotation
    inner = [f"<summary>{escape(t(texts.MORE))}</summary>", f'<p class="detail">{escape(a.detail)}</p>']
    if a.octets_note:
        octets = t.plural(NP_("{count} octet", "{count} octets"), a.octets)
        inner.append(f'<p class="octets">{escape(octets)}: {escape(a.octets_note)}</p>')
    if a.ref is not None:
        inner.append(f'<p class="rfc"><a href="{escape(a.ref.url)}">{escape(str(a.ref))} {escape(a.ref.title)}</a></p>')
    if entry.wire:
        inner.append(f'<p class="note">{escape(t(texts.RAW))} — {escape(t(texts.RAW_LEGEND))}</p>')
        inner.append(f'<pre class="raw">{_raw(entry)}</pre>')
    return "<details>" + "\n".join(inner) + "</details>"


def _raw(entry: Entry) -> str:
    in_body = entry.annotation.kind in BODIES
    rows = []
    for raw in entry.wire[:RAW_LINES]:
        line = raw_line(raw, in_body)
        stuffing = f'<span class="stuff">{escape(line.stuffing)}</span>' if line.stuffing else ""
        rows.append(f'{stuffing}{escape(line.text)}<span class="eol">{line.end}</span>')
    if len(entry.wire) > RAW_LINES:
        rows.append("…")
    return "\n".join(rows)
