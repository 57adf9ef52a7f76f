"""``session.transcript``: the whole session as one table (every line with its state and explanation) under its
sequence diagram, and its exports — JSON, Markdown, standalone HTML and text through
:class:`poplab.transcript.Transcript`, the annotated handouts (HTML, Markdown, JSON, pcap) through
:mod:`poplab.handout` — passwords redacted unless asked otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from poplab import handout
from poplab.annotate.model import Annotation, Severity
from poplab.i18n import translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.notebook.diagram import Diagram, folded_html
from poplab.notebook.exchange import LINE_WIDTHS, explanation_html, shown
from poplab.notebook.notes import covered
from poplab.transcript import Transcript

if TYPE_CHECKING:
    from poplab.notebook.session import LabSession

EXPORTS = {".json": "to_json", ".md": "to_markdown", ".html": "to_html", ".txt": "to_text"}
HANDOUTS = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".pcap": "pcap"}


class TranscriptView:
    """The first ``count`` lines of a session, frozen when the view was made."""

    def __init__(self, session: LabSession, count: int) -> None:
        self.session = session
        self.lines = tuple(session.transcript_lines[:count])

    @property
    def transcript(self) -> Transcript:
        return Transcript(self.lines)

    def annotations(self, lang: str | None = None) -> list[Annotation]:
        return self.session.notes.between(0, len(self.lines), lang or self.session.lang)

    # ---- exports --------------------------------------------------------------------------------------

    def to_json(self, redact: bool = True) -> str:
        return self.transcript.to_json(redact)

    def to_text(self, redact: bool = True) -> str:
        return self.transcript.to_text(redact)

    def to_markdown(self, redact: bool = True) -> str:
        return self.transcript.to_markdown(redact, title=self._title())

    def to_html(self, redact: bool = True) -> str:
        return self.transcript.to_html(redact, title=self._title())

    def save(self, path: str | Path, redact: bool = True) -> Path:
        """Write the export its suffix names (.json, .md, .html, .txt); passwords redacted by default."""
        target = Path(path)
        method = EXPORTS.get(target.suffix.lower())
        if method is None:
            raise ValueError(f"unknown export {target.suffix!r}: use one of {', '.join(EXPORTS)}")
        target.write_text(getattr(self, method)(redact), encoding="utf-8")
        return target

    def handout(self, path: str | Path, redact: bool = True) -> Path:
        """Write the annotated handout its suffix names, in the lab's language: .html (self-contained, with the
        diagrams), .md (``poplab annotate`` reads it back), .json (lossless) or .pcap (Wireshark)."""
        target = Path(path)
        kind = HANDOUTS.get(target.suffix.lower())
        if kind is None:
            raise ValueError(f"unknown handout {target.suffix!r}: use one of {', '.join(HANDOUTS)}")
        content = handout.export(self.transcript, kind, self.session.lang, redact, self._title())
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return target

    def diagram(self, states: bool = True) -> Diagram:
        """The sequence diagram of the session (and the state diagram with its path, unless ``states`` is False)."""
        return Diagram(self.annotations(), self.session.lang, states)

    def _title(self) -> str:
        return translator(self.session.lang)(texts.TRANSCRIPT_TITLE, server=self.session.place.server_name)

    # ---- renderings -------------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        t = translator(self.session.lang)
        if not self.lines:
            return r.box(r.muted(t(texts.SESSION_EMPTY)), "transcript")
        rows = []
        for a in self.annotations():
            lines, more = shown(covered(a, self.lines), t)
            code = "<br>".join(r.code(text, r.CLIENT if a.direction == "C" else r.TEXT) for text in lines)
            code += "<br>" + r.muted(more) if more else ""
            states = r.transition(a.state_before, a.state_after)
            rows.append((str(a.index + 1), code, states, explanation_html(a, t)))
        headings = ["#", t(texts.LINE), t(texts.STATE), t(texts.EXPLANATION)]
        grid = r.table(headings, rows, self._title(), widths=("", LINE_WIDTHS[0], "", LINE_WIDTHS[1]))
        return r.box(grid + folded_html(self.annotations(), self.session.lang), "transcript")

    def __repr__(self) -> str:
        t = translator(self.session.lang)
        if not self.lines:
            return t(texts.SESSION_EMPTY)
        out = [self._title()]
        for a in self.annotations():
            lines, more = shown(covered(a, self.lines), t)
            out += lines + ([f"   {more}"] if more else [])
            states = str(a.state_before) if a.state_before is a.state_after else f"{a.state_before} → {a.state_after}"
            out.append(f"   [{states}] {a.summary}")
            out += [f"   ! {f.text}" for f in a.findings if f.severity is not Severity.INFO]
        return "\n".join(out)
