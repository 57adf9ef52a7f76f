"""The transcript pane: one entry per annotated line (C and S told apart by prefix and colour), its one-sentence
explanation below it, multi-line bodies as one entry (long ones collapsed to a summary line that opens with
Enter or a click), and the tutor's notes. Follows the newest entry unless the learner moved up."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList

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


def grouped(number: int) -> str:
    """``3 058 556``: digits in groups of three, read the same in English and German."""
    return f"{number:,}".replace(",", " ")


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
        self.show_raw = False
        self.t: Translator = translator("en")

    # ---- content ------------------------------------------------------------------------------------------

    def set_items(self, items: list[Item], keep_open: bool = False) -> None:
        highlighted = self.highlighted
        same = keep_open and len(items) == len(self.items)
        self.items = list(items)
        if not same:
            self.opened = {n for n, item in enumerate(self.items) if starts_open(item)}
        self.set_options(self._prompt(n) for n in range(len(self.items)))
        if self.items:
            self.highlighted = min(highlighted, len(self.items) - 1) if highlighted is not None else len(self.items) - 1

    def add_items(self, items: list[Item]) -> None:
        if not items:
            return
        follow = self.highlighted is None or self.highlighted >= len(self.items) - 1
        start = len(self.items)
        self.items.extend(items)
        self.opened.update(n for n in range(start, len(self.items)) if starts_open(self.items[n]))
        self.add_options(self._prompt(n) for n in range(start, len(self.items)))
        if follow:
            self.highlighted = len(self.items) - 1
            self.scroll_end(animate=False, immediate=False)

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
            return Rows([Row(Content.styled(item.summary, "italic $text-muted"), CLOSED_LEAD)])
        rows = self._body(item, index) if is_body(item) else [self._line(item)]
        return Rows([*rows, *self._explanation(item)])

    def _line(self, annotation: Annotation) -> Row:
        shown = segments(visible(annotation.raw)) if self.show_raw else Content(display(annotation.raw))
        return Row(shown, prefix(annotation))

    def _body(self, annotation: Annotation, index: int) -> list[Row]:
        t = self.t
        size = t(texts.BODY_SUMMARY, lines=grouped(annotation.line_count), octets=grouped(annotation.octets))
        if index not in self.opened:
            hint = Content.styled(f" — {t(texts.BODY_OPEN)}", "$text-muted")
            return [Row(Content.styled(f"▸ {size}", "bold") + hint, prefix(annotation))]
        rows = [self._body_row(annotation, raw) for raw in iter_lines(annotation.raw, EXPANDED_LIMIT)]
        rest = annotation.line_count - EXPANDED_LIMIT
        if rest > 0:
            rows.append(Row(Content.styled(t(texts.BODY_MORE, count=grouped(rest)), "italic $text-muted"), indent=3))
        if annotation.line_count > SHORT_BODY:
            close = Content.styled(f"▾ {size} — {t(texts.BODY_CLOSE)}", "$text-muted")
            rows.insert(0, Row(close, prefix(annotation)))
        return rows

    def _body_row(self, annotation: Annotation, raw: bytes) -> Row:
        shown = segments(visible(raw, body=True)) if self.show_raw else Content(display(raw))
        return Row(shown, prefix(annotation))

    def _explanation(self, annotation: Annotation) -> list[Row]:
        """The one-sentence explanation, then every warning or error (a -ERR's reason included)."""
        style = "$text-error" if annotation.why is not None else "$text-muted"
        rows = [Row(Content.styled(annotation.summary, style), indent=3)]
        for finding in annotation.findings:
            if finding.severity is not Severity.INFO:
                mark, style = SEVERITY_MARK[finding.severity]
                rows.append(Row(Content.styled(finding.text, style), Content.styled(f"   {mark}", style)))
        return rows
