"""Annotations as readable text: one block per line (or per body) with its state, explanation and RFC
reference — for the terminal (optionally with ANSI colours), golden files and screen readers."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from poplab.annotate.model import Annotation, Finding, Kind, Severity
from poplab.i18n import N_, NP_, Translator, translator

WIDTH = 100
INDENT = " " * 5
_NBSP = "\u00a0"
_REFERENCE = re.compile(r"\[?RFC \d+ §[\d.]+\]?")

KIND_NAMES = {
    Kind.GREETING: N_("greeting"),
    Kind.COMMAND: N_("command"),
    Kind.SASL_RESPONSE: N_("SASL response"),
    Kind.STATUS: N_("status"),
    Kind.CONTINUATION: N_("continuation"),
    Kind.LISTING: N_("listing"),
    Kind.MESSAGE: N_("message data"),
    Kind.TERMINATOR: N_("terminator"),
    Kind.UNEXPECTED: N_("unexpected"),
    Kind.CLOSED: N_("connection closed"),
    Kind.END: N_("end of transcript"),
}
SEVERITY_NAMES = {Severity.INFO: N_("note"), Severity.WARNING: N_("warning"), Severity.ERROR: N_("error")}
"""What each kind of line and each severity is called: the text annotation's labels, the handouts' too."""

_RESET = "\x1b[0m"
_STYLES = {
    "client": "\x1b[1;36m",
    "ok": "\x1b[32m",
    "err": "\x1b[1;31m",
    "server": "",
    "meta": "\x1b[2m",
    Severity.INFO: "\x1b[34m",
    Severity.WARNING: "\x1b[33m",
    Severity.ERROR: "\x1b[31m",
    "hint": "\x1b[35m",
}


class _Painter:
    def __init__(self, t: Translator, color: bool) -> None:
        self.t = t
        self.color = color

    def paint(self, style: object, text: str) -> str:
        code = _STYLES.get(style, "") if self.color else ""
        return f"{code}{text}{_RESET}" if code else text

    def wrap(self, text: str, style: object = None, prefix: str = "") -> list[str]:
        """Wrapped and indented; an RFC reference ("RFC 1939 §11") is never split."""
        kept = _REFERENCE.sub(lambda match: match.group().replace(" ", _NBSP), prefix + text)
        lines = textwrap.wrap(
            kept, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT + "  ", break_on_hyphens=False
        )
        return [self.paint(style, line.replace(_NBSP, " ")) for line in lines]


def render_annotation(annotation: Annotation, lang: str | None = "en", long: bool = False, color: bool = False) -> str:
    """One annotation as a block of text lines (ending with a newline)."""
    return "\n".join(_block(annotation, _Painter(translator(lang), color), long)) + "\n"


def render(annotations: Iterable[Annotation], lang: str | None = "en", long: bool = False, color: bool = False) -> str:
    """Every annotation, blocks separated by a blank line."""
    painter = _Painter(translator(lang), color)
    return "\n".join("\n".join(_block(annotation, painter, long)) + "\n" for annotation in annotations)


def _block(annotation: Annotation, painter: _Painter, long: bool) -> list[str]:
    t = painter.t
    out = _wire_lines(annotation, painter)
    out.append(painter.paint("meta", INDENT + _meta(annotation, t)))
    out.extend(painter.wrap(annotation.summary))
    for finding in annotation.findings:
        out.extend(_finding(finding, painter))
    if annotation.why is not None:
        out.extend(painter.wrap(annotation.why.hint, "hint", t(N_("hint: "))))
    if long:
        out.extend(_long(annotation, painter))
    return out


def _wire_lines(annotation: Annotation, painter: _Painter) -> list[str]:
    number = f"{annotation.index + 1:>3}  "
    if not annotation.lines:
        return [number + painter.paint("meta", f"[{painter.t(KIND_NAMES[annotation.kind])}]")]
    style = _line_style(annotation)
    out = []
    for position, text in enumerate(annotation.lines):
        prefix = number if position == 0 else " " * len(number)
        wire = f"{annotation.direction}: {text}" if text else f"{annotation.direction}:"
        out.append(prefix + painter.paint(style, wire))
    hidden = annotation.line_count - len(annotation.lines)
    if hidden > 0:
        more = painter.t.plural(NP_("… {count} more line", "… {count} more lines"), hidden)
        out.append(" " * len(number) + painter.paint("meta", more))
    return out


def _line_style(annotation: Annotation) -> str:
    if annotation.direction == "C":
        return "client"
    if annotation.kind in (Kind.STATUS, Kind.GREETING):
        return "ok" if annotation.ok else "err"
    return "server"


def _meta(annotation: Annotation, t: Translator) -> str:
    before, after = annotation.state_before, annotation.state_after
    state = str(before) if before is after else f"{before} → {after}"
    parts = [t(KIND_NAMES[annotation.kind]), state]
    if annotation.ref is not None:
        parts.append(str(annotation.ref))
    if annotation.tls:
        parts.append("TLS")
    return " · ".join(parts)


def _finding(finding: Finding, painter: _Painter) -> list[str]:
    label = painter.t(SEVERITY_NAMES[finding.severity])
    ref = f" [{finding.ref}]" if finding.ref is not None else ""
    return painter.wrap(finding.text + ref, finding.severity, f"{label}: ")


def _long(annotation: Annotation, painter: _Painter) -> list[str]:
    t = painter.t
    out = painter.wrap(annotation.detail)
    if annotation.octets_note:
        octets = t.plural(NP_("{count} octet", "{count} octets"), annotation.octets)
        out.extend(painter.wrap(f"{octets}: {annotation.octets_note}", "meta"))
    if annotation.ref is not None:
        out.extend(painter.wrap(f"{annotation.ref} {annotation.ref.title}: {annotation.ref.url}", "meta"))
    return out
