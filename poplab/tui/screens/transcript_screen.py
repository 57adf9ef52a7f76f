"""What the tutor's screens share around the annotated transcript: the transcript and its Detail pane, raw bytes,
relabelling the common widgets and tabs in the app's language. The main screen and the watch screen build on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.screen import Screen
from textual.widgets import OptionList, TabbedContent

from poplab.tui.entries import Item
from poplab.tui.widgets.detail import DetailPane
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.status import StatusBar
from poplab.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from poplab.tui.app import TutorApp


class TranscriptScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (typed by Screen)
    TABS: tuple[tuple[str, str], ...] = ()
    """(pane id, English label) of the side tabs."""

    @property
    def tutor(self) -> TutorApp:
        return cast("TutorApp", self.app)

    def relabel_common(self) -> None:
        """The shared widgets and the tab labels in the app's language; the Detail pane shown anew."""
        t = self.tutor.t
        for widget in (StatusBar, TranscriptView, DetailPane, MailboxTable):
            self.query_one(widget).t = t  # type: ignore[attr-defined]
        tabs = self.query_one(TabbedContent)
        for pane_id, label in self.TABS:
            tabs.get_tab(pane_id).label = t(label)
        self.query_one(MailboxTable).relabel()
        self.query_one(DetailPane).show(self.query_one(DetailPane).item)

    def add_items(self, items: list[Item]) -> None:
        self.query_one(TranscriptView).add_items(items)

    def set_items(self, items: list[Item]) -> None:
        view = self.query_one(TranscriptView)
        view.set_items(items, keep_open=True)
        self.query_one(DetailPane).show(view.highlighted_item())

    @on(OptionList.OptionHighlighted, "#transcript")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(DetailPane).show(self.query_one(TranscriptView).highlighted_item())

    @on(OptionList.OptionSelected, "#transcript")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(TranscriptView).toggle(event.option_index)
        self.query_one(TabbedContent).active = "tab-detail"

    def on_screen_resume(self) -> None:
        self.tutor.projector_at_start()

    def set_projector(self, on: bool) -> None:
        self.query_one(TranscriptView).set_projector(on)

    def action_raw(self) -> None:
        self.query_one(TranscriptView).toggle_raw()
