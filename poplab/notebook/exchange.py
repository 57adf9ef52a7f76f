"""One exchange of a notebook session: the line(s) the learner sent and the server's reply, rendered as the
annotated exchange — C and S lines, the state before and after, an explanation per line with its RFC link, and
for every -ERR the reason and a hint. Also what self-check cells assert on: ``ok``, ``text``, ``body``, states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from poplab.annotate.model import Annotation, Severity
from poplab.i18n import Translator, translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.notebook.diagram import Diagram
from poplab.notebook.notes import covered
from poplab.notebook.raw import RawView
from poplab.protocol.client import ServerReply
from poplab.protocol.states import State
from poplab.transcript import TranscriptLine

if TYPE_CHECKING:
    from poplab.notebook.session import LabSession

SHOWN_LINES = 12
"""Lines of a multi-line body shown before the rest is summarised."""
LINE_WIDTHS = ("28em", "18em")
SEVERITY_COLOURS = {Severity.INFO: r.TEXT, Severity.WARNING: r.WARNING, Severity.ERROR: r.ERROR}


@dataclass(frozen=True)
class Exchange:
    """Lines ``start`` to ``end`` of ``session``'s transcript, with the replies to what was sent.

    ``problem`` says why a reply is missing (the connection broke after the line was sent).
    """

    session: LabSession
    start: int
    end: int
    replies: tuple[ServerReply, ...]
    problem: str = ""

    # ---- what self-checks use ---------------------------------------------------------------------------

    @property
    def reply(self) -> ServerReply | None:
        """The (last) reply, or None when none came."""
        return self.replies[-1] if self.replies else None

    @property
    def ok(self) -> bool | None:
        """True for +OK, False for -ERR (or no reply), None for a SASL challenge."""
        return self.reply.ok if self.reply is not None else False

    @property
    def text(self) -> str:
        """The status line's text after +OK / -ERR."""
        return self.reply.text if self.reply is not None else ""

    @property
    def status(self) -> str:
        """The whole status line, without its line end."""
        return self.reply.status_line.rstrip(b"\r\n").decode("utf-8", "replace") if self.reply else ""

    @property
    def body(self) -> bytes | None:
        """A multi-line reply's body, stuffing undone, terminator left off (CRLF line ends)."""
        return self.reply.body if self.reply is not None else None

    @property
    def body_text(self) -> str:
        return (self.body or b"").decode("utf-8", "replace")

    @property
    def state_before(self) -> State:
        return self.replies[0].state_before if self.replies else self.session.state

    @property
    def state_after(self) -> State:
        return self.reply.state_after if self.reply is not None else self.session.state

    @property
    def lines(self) -> tuple[TranscriptLine, ...]:
        return tuple(self.session.transcript_lines[self.start : self.end])

    @property
    def raw(self) -> RawView:
        """The bytes of this exchange, with ␍␊ and stuffed dots made visible."""
        return RawView(self.lines, self.session.lang)

    def annotations(self, lang: str | None = None) -> list[Annotation]:
        return self.session.notes.between(self.start, self.end, lang or self.session.lang)

    def diagram(self) -> Diagram:
        """This exchange as a sequence diagram: its arrows, the state band it ran in, -ERR in red."""
        return Diagram(self.annotations(), self.session.lang, states=False)

    # ---- renderings -------------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        t = translator(self.session.lang)
        rows = [_html_row(a, self.session.transcript_lines, t) for a in self.annotations()]
        if self.problem:
            rows.append((r.muted(t(texts.NO_REPLY, reason=self.problem)), ""))
        state = f"{r.esc(t(texts.STATE))}: {r.transition(self.state_before, self.state_after)}"
        grid = r.table([t(texts.LINE), t(texts.EXPLANATION)], rows, widths=LINE_WIDTHS)
        return r.box(grid + r.paragraph(state), "exchange")

    def __repr__(self) -> str:
        t = translator(self.session.lang)
        out = [_text_rows(a, self.session.transcript_lines, t) for a in self.annotations()]
        if self.problem:
            out.append(t(texts.NO_REPLY, reason=self.problem))
        out.append(f"{t(texts.STATE)}: {_states(self.state_before, self.state_after)}")
        return "\n".join(out)


def _states(before: State, after: State) -> str:
    return str(before) if before is after else f"{before} → {after}"


def shown(lines: Sequence[TranscriptLine], t: Translator) -> tuple[list[str], str]:
    """The texts of the first lines of a body, and a note on how many more there are ('' if none)."""
    texts_shown = [f"{line.direction}: {line.text}" if line.raw else "" for line in lines[:SHOWN_LINES]]
    rest = len(lines) - SHOWN_LINES
    return [text for text in texts_shown if text], t.plural(texts.MORE_LINES, rest) if rest > 0 else ""


def explanation_html(a: Annotation, t: Translator) -> str:
    """The summary (the long text folded under it), findings, the -ERR reason and hint, and the RFC link."""
    parts = [f"<details><summary>{r.esc(a.summary)}</summary>{r.paragraph(r.esc(a.detail))}</details>"]
    if not a.detail:
        parts = [r.esc(a.summary)]
    parts += [r.paragraph(r.esc(f.text), SEVERITY_COLOURS[f.severity]) for f in a.findings]
    if a.why is not None and a.why.reason.strip() != a.summary.strip():
        parts.append(r.paragraph(f"<b>{r.esc(t(texts.WHY_ERR))}</b> {r.esc(a.why.reason)}", r.ERROR))
    if a.why is not None:
        parts.append(r.paragraph(f"<b>{r.esc(t(texts.HINT))}:</b> {r.esc(a.why.hint)}"))
    if a.ref is not None:
        parts.append(r.paragraph(r.rfc_link(a.ref)))
    return "".join(parts)


def _html_row(a: Annotation, lines: Sequence[TranscriptLine], t: Translator) -> tuple[str, str]:
    texts_shown, more = shown(covered(a, lines), t)
    colour = r.CLIENT if a.direction == "C" else r.ERROR if a.ok is False else r.TEXT
    code = "<br>".join(r.code(text, colour, bold=a.direction == "C") for text in texts_shown)
    if more:
        code += "<br>" + r.muted(more)
    return (code or r.muted("—"), explanation_html(a, t))


def _text_rows(a: Annotation, lines: Sequence[TranscriptLine], t: Translator) -> str:
    texts_shown, more = shown(covered(a, lines), t)
    out = texts_shown + ([f"   {more}"] if more else [])
    out.append(f"   · {a.summary}" + (f" [{a.ref}]" if a.ref else ""))
    out += [f"   ! {f.text}" for f in a.findings if f.severity is not Severity.INFO]
    if a.why is not None:
        reason = f"{t(texts.WHY_ERR)} {a.why.reason} " if a.why.reason.strip() != a.summary.strip() else ""
        out.append(f"   {reason}{t(texts.HINT)}: {a.why.hint}")
    return "\n".join(out)
