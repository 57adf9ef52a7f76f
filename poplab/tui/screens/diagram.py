"""The session as diagrams (Ctrl+G, ``/diagram``): the sequence diagram — client and server lifelines, one arrow
per command and reply, the state bands, -ERR marked, the TLS switch — and the state diagram with the path this
session took, both as text from :mod:`poplab.handout`, drawn to the screen's width. Ctrl+G or Esc goes back to
the transcript."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from poplab import handout
from poplab.annotate.model import Annotation
from poplab.i18n import Translator
from poplab.tui import texts


class DiagramScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,ctrl+g", "dismiss", texts.CLOSE)]
    DEFAULT_CSS = """
    DiagramScreen { align: center middle; }
    DiagramScreen > VerticalScroll {
        width: 100%; height: 100%; border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, annotations: Sequence[Annotation], t: Translator) -> None:
        super().__init__()
        self.annotations = tuple(annotations)
        self.t = t

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="diagram-text", markup=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self.draw)  # once the layout knows the width left for the text

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:
        region = self.query_one(VerticalScroll).scrollable_content_region.width
        width = max(40, region or self.size.width - 4)
        lang = self.t.language
        rows = [
            Content.styled(self.t(texts.DIAGRAM_TITLE), "bold $text-accent"),
            Content(handout.sequence_text(self.annotations, width, lang)),
            Content(""),
            Content(handout.state_text(self.annotations, lang)),
        ]
        self.query_one("#diagram-text", Static).update(Content("\n").join(rows))
