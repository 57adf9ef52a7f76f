"""The Detail pane: everything about the selected transcript entry — the one-sentence and the long explanation,
the state before and after, the RFC section as a link, findings and "Why -ERR?", the octets and what they
cover, and the raw bytes with line ends (␍␊) and stuffing dots shown."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from poplab.annotate.model import Annotation
from poplab.i18n import Translator, translator
from poplab.tui import texts
from poplab.tui.entries import RAW_LIMIT, Item, Note, is_body, iter_lines, visible
from poplab.tui.widgets.transcript import SEVERITY_MARK, note_text, segments

LABEL = "bold $text-accent"


def heading(text: str) -> Content:
    return Content.styled(text, LABEL)


def annotation_content(annotation: Annotation, t: Translator) -> Content:
    parts: list[Content] = [Content.styled(annotation.summary, "bold")]
    if annotation.detail:
        parts.append(Content(annotation.detail))
    state = f"{annotation.state_before} → {annotation.state_after}"
    parts.append(heading(t(texts.DETAIL_STATE) + ": ") + Content(state))
    if annotation.ref is not None:
        ref = annotation.ref
        link = Content.styled(ref.url, f"underline link={ref.url}")
        parts.append(Content(f"{ref} {ref.title}: ") + link)
    for finding in annotation.findings:
        mark, style = SEVERITY_MARK[finding.severity]
        parts.append(Content.styled(f"{mark}{finding.text}", style))
    if annotation.why is not None:
        parts.append(heading(t(texts.DETAIL_WHY) + " ") + Content(annotation.why.reason))
        parts.append(heading(t(texts.DETAIL_HINT) + ": ") + Content(annotation.why.hint))
    if annotation.octets_note:
        octets = f"{annotation.octets} ({annotation.octets_note})"
        parts.append(heading(t(texts.DETAIL_OCTETS) + ": ") + Content(octets))
    if annotation.raw:
        parts.append(heading(t(texts.DETAIL_RAW)))
        parts.append(raw_content(annotation, t))
    return Content("\n").join(parts)


def raw_content(annotation: Annotation, t: Translator) -> Content:
    body = is_body(annotation)
    rows = [segments(visible(raw, body=body)) for raw in iter_lines(annotation.raw, RAW_LIMIT)]
    rest = annotation.line_count - RAW_LIMIT
    if body and rest > 0:
        rows.append(Content.styled(t(texts.RAW_MORE, count=rest), "italic $text-muted"))
    return Content("\n").join(rows)


def note_content(note: Note, t: Translator) -> Content:
    text = Content.styled(note_text(note, t), "bold")
    return Content("\n").join([text, Content(note.detail)]) if note.detail else text


class DetailPane(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    DetailPane { height: 1fr; padding: 0 1; }
    DetailPane > Static { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: Item | None = None
        self.t: Translator = translator("en")

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-text", markup=False)

    def show(self, item: Item | None) -> None:
        self.item = item
        self.query_one("#detail-text", Static).update(self._content())
        self.scroll_home(animate=False)

    def _content(self) -> Content:
        item, t = self.item, self.t
        if item is None:
            return Content.styled(t(texts.DETAIL_EMPTY), "italic $text-muted")
        if isinstance(item, Note):
            return note_content(item, t)
        return annotation_content(item, t)
