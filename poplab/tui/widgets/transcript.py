"""The transcript pane: one entry per annotated line (C and S told apart by prefix and colour), its one-sentence
explanation below it, multi-line bodies as one entry (long ones collapsed to a summary line that opens with
Enter or a click), and the tutor's notes. Follows the newest entry unless the learner moved up."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static

from poplab.annotate.model import Annotation, Kind, Severity
from poplab.i18n import Translator, translator
from poplab.transcript import display
from poplab.tui import texts
from poplab.tui.entries import (
    EXPANDED_LIMIT,
    SHORT_BODY,
    Item,
    Note,
    Segment,
    body_counts,
    is_body,
    iter_lines,
    starts_open,
    visible,
)
from poplab.tui.widgets.visuals import Row, Rows

PREFIX_STYLE = {"C": "bold $accent", "S": "bold $success", "ERR": "bold $error"}
SEGMENT_STYLE = {"text": "", "eol": "$text-muted", "dot": "reverse $warning", "control": "$error"}
SEVERITY_MARK = {
    Severity.INFO: ("", "$text-muted"),
    Severity.WARNING: ("⚠ ", "$text-warning"),
    Severity.ERROR: ("✗ ", "$text-error"),
}
NOTE_STYLE = {"info": "italic $text-secondary", "warning": "italic $warning", "error": "italic $error"}
NOTE_LEAD = Content.styled("»  ", "$text-secondary")
CLOSED_LEAD = Content.styled("── ", "$text-muted")


def segments(parts: list[Segment]) -> Content:
    return Content.assemble(*((text, SEGMENT_STYLE[kind]) for text, kind in parts))


def prefix(annotation: Annotation) -> Content:
    side = annotation.direction or "S"
    style = PREFIX_STYLE["ERR"] if side == "S" and annotation.ok is False else PREFIX_STYLE[side]
    return Content.styled(f"{side}: ", style)


def note_text(note: Note, t: Translator) -> str:
    """A note in ``t``'s language; values that are texts of the tutor (``the bundled server``) are translated."""
    return t(note.text, **{key: t(value) for key, value in note.values})


class TranscriptView(OptionList):
    """``set_items`` / ``add_items``; the item under the highlight is :meth:`highlighted_item`."""

    DEFAULT_CSS = """
    TranscriptView { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Item] = []
        self.opened: set[int] = set()
        self._body_counts: dict[int, tuple[int, int]] = {}
        self.show_raw = False
        self.t: Translator = translator("en")
        self.projector = False
        """Projector mode: one-line explanations only, a blank line between entries."""
        self.following = True
        """Whether new lines are scrolled to; False while the learner looks at a line further up."""
        self.unseen = 0
        """Entries that arrived below while not following."""

    @dataclass
    class Unseen(Message):
        """How many entries arrived below the learner's selected line (0: none, or following again)."""

        count: int

    # ---- content ------------------------------------------------------------------------------------------

    def set_items(self, items: list[Item], keep_open: bool = False) -> None:
        highlighted = self.highlighted
        same = keep_open and len(items) == len(self.items)
        self.items = list(items)
        if not same:
            self.opened = {n for n, item in enumerate(self.items) if starts_open(item)}
            self._body_counts = {}
        self.set_options(self._prompt(n) for n in range(len(self.items)))
        if self.following or highlighted is None:
            self._to_end()
        elif self.items:
            self.highlighted = min(highlighted, len(self.items) - 1)

    def add_items(self, items: list[Item]) -> None:
        if not items:
            return
        start = len(self.items)
        self.items.extend(items)
        self.opened.update(n for n in range(start, len(self.items)) if starts_open(self.items[n]))
        self.add_options(self._prompt(n) for n in range(start, len(self.items)))
        if self.following:
            self._to_end()
        else:
            self.unseen += len(items)
            self.post_message(self.Unseen(self.unseen))

    def follow(self) -> None:
        """Show the newest line and keep showing new ones as they arrive."""
        self.following = True
        if self.unseen:
            self.unseen = 0
            self.post_message(self.Unseen(0))
        self._to_end()

    def on_resize(self) -> None:
        """Entries wrap anew at the new width: when following, the newest must still be in view."""
        if self.following:
            self.call_after_refresh(self.scroll_end, animate=False)

    def _to_end(self) -> None:
        if self.items:
            self.highlighted = len(self.items) - 1
            self.scroll_end(animate=False, immediate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The learner picked a line: stay there (new lines are counted, not scrolled to) unless it is the last."""
        if self.has_focus:
            self.following = event.option_index >= len(self.items) - 1
            if self.following:
                self.follow()

    def set_projector(self, on: bool) -> None:
        """Projector mode on or off: larger spacing, one-line explanations."""
        self.projector = on
        self.refresh_prompts()

    def toggle_raw(self) -> None:
        """Show the raw bytes (CR LF, control bytes) or the plain lines."""
        self.show_raw = not self.show_raw
        self.refresh_prompts()

    def refresh_prompts(self) -> None:
        """Render every entry again (after a change of language or of the raw view)."""
        self.set_items(self.items, keep_open=True)

    def highlighted_item(self) -> Item | None:
        index = self.highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    def toggle(self, index: int) -> None:
        """Open or close a body entry."""
        if not is_body(self.items[index]):
            return
        self.opened ^= {index}
        self.replace_option_prompt_at_index(index, self._prompt(index))

    # ---- rendering ----------------------------------------------------------------------------------------

    def _prompt(self, index: int) -> Rows:
        item = self.items[index]
        if isinstance(item, Note):
            text = note_text(item, self.t)
            return Rows([Row(Content.styled(text, NOTE_STYLE[item.severity]), NOTE_LEAD)])
        if item.kind in (Kind.CLOSED, Kind.END):
            closed = Row(Content.styled(item.summary, "italic $text-muted"), CLOSED_LEAD)
            return Rows([closed, *self._findings(item)])  # e.g. the deletions a drop without QUIT lost
        rows = [*(self._body(item, index) if is_body(item) else self._wire_rows(item)), *self._explanation(item)]
        return Rows([*rows, Row(Content(""))] if self.projector else rows)

    def _wire_rows(self, annotation: Annotation) -> list[Row]:
        """A line, or each line of a reply that has several (SMTP's ``250-`` lines after EHLO) on its own row."""
        pieces = [annotation.raw] if annotation.line_count <= 1 else iter_lines(annotation.raw, EXPANDED_LIMIT)
        return [self._line(annotation, raw) for raw in pieces]

    def _line(self, annotation: Annotation, raw: bytes) -> Row:
        shown = segments(visible(raw)) if self.show_raw else Content(display(raw))
        return Row(shown, prefix(annotation))

    def _body(self, annotation: Annotation, index: int) -> list[Row]:
        t = self.t
        lines, octets = self._counts(index)
        summary = texts.BODY_SUMMARY if annotation.kind is Kind.MESSAGE else texts.BODY_SUMMARY_LISTING
        size = t(summary, lines=lines, octets=octets)
        if index not in self.opened:
            hint = Content.styled(f" — {t(texts.BODY_OPEN)}", "$text-muted")
            return [Row(Content.styled(f"▸ {size}", "bold") + hint, prefix(annotation))]
        rows = [self._body_row(annotation, raw) for raw in iter_lines(annotation.raw, EXPANDED_LIMIT)]
        rest = annotation.line_count - EXPANDED_LIMIT
        if rest > 0:
            rows.append(Row(Content.styled(t(texts.BODY_MORE, count=rest), "italic $text-muted"), indent=3))
        if annotation.line_count > SHORT_BODY:
            close = Content.styled(f"▾ {size} — {t(texts.BODY_CLOSE)}", "$text-muted")
            rows.insert(0, Row(close, prefix(annotation)))
        return rows

    def _counts(self, index: int) -> tuple[int, int]:
        counts = self._body_counts.get(index)
        if counts is None:
            counts = self._body_counts[index] = body_counts(self.items[index].raw)  # type: ignore[union-attr]
        return counts

    def _body_row(self, annotation: Annotation, raw: bytes) -> Row:
        shown = segments(visible(raw, body=True)) if self.show_raw else Content(display(raw))
        return Row(shown, prefix(annotation))

    def _explanation(self, annotation: Annotation) -> list[Row]:
        """The one-sentence explanation, then every warning or error (a -ERR's reason included)."""
        why = annotation.why
        style = "$text-error" if why is not None else "$text-muted"
        rows = [Row(Content.styled(annotation.summary, style), indent=3)]
        if why is not None and not self.projector:
            t = self.t
            if why.reason != annotation.summary:
                reason = Content.styled(f"{t(texts.DETAIL_WHY)} ", "bold $text-error") + Content(why.reason)
                rows.append(Row(reason, indent=3))
            hint = Content.styled(f"{t(texts.DETAIL_HINT)}: ", "bold $text-accent") + Content(why.hint)
            rows.append(Row(hint, indent=3))
        return rows if self.projector else [*rows, *self._findings(annotation)]

    def _findings(self, annotation: Annotation) -> list[Row]:
        rows = []
        for finding in annotation.findings:
            if finding.severity is not Severity.INFO:
                mark, style = SEVERITY_MARK[finding.severity]
                rows.append(Row(Content.styled(finding.text, style), Content.styled(f"   {mark}", style)))
        return rows


class TranscriptColumn(Vertical):
    """The transcript with a marker line under it that counts the lines arriving below a selected line."""

    DEFAULT_CSS = """
    TranscriptColumn { height: 1fr; }
    TranscriptColumn > #below { height: 1; display: none; background: $warning 30%; color: $text; padding: 0 1; }
    TranscriptColumn.-unseen > #below { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield TranscriptView(id="transcript")
        yield Static(id="below", markup=False)

    def on_transcript_view_unseen(self, event: TranscriptView.Unseen) -> None:
        view = self.query_one(TranscriptView)
        self.set_class(event.count > 0, "-unseen")
        self.query_one("#below", Static).update(view.t(texts.NEW_BELOW, count=event.count) if event.count else "")
