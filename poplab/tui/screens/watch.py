"""The watch screen (``poplab proxy --tui``): the main screen's status bar, transcript and Detail tab, showing what
a real mail client and a POP3 server say through the annotating proxy, session by session. There is no command
line — a note says where to point the mail client instead — and the Mailbox tab says the server-side view is
unavailable. It renders what the :class:`~poplab.tui.watch.Watcher` reports."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import Footer, Static, TabbedContent, TabPane

from poplab.tui import texts
from poplab.tui.screens.transcript_screen import TranscriptScreen
from poplab.tui.watch import Watcher
from poplab.tui.widgets.detail import DetailPane
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.status import StatusBar
from poplab.tui.widgets.transcript import TranscriptColumn, TranscriptView

TABS = (("tab-detail", texts.TAB_DETAIL), ("tab-mailbox", texts.TAB_MAILBOX))


class WatchScreen(TranscriptScreen):
    TABS = TABS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", texts.HELP),
        Binding("f2", "app.switch_language", texts.LANGUAGE),
        Binding("f3", "raw", texts.RAW),
        Binding("f4", "app.export", texts.EXPORT),
        Binding("escape", "follow", texts.FOLLOW, show=False),
    ]
    DEFAULT_CSS = """
    WatchScreen #watch-note { height: auto; max-height: 3; padding: 0 1; background: $boost; color: $text-accent; }
    """

    def __init__(self, watcher: Watcher) -> None:
        super().__init__()
        self.watcher = watcher
        watcher.view = self

    def compose(self) -> ComposeResult:
        t = self.tutor.t
        yield StatusBar(id="status")
        with Container(id="body"):
            yield TranscriptColumn(id="transcript-column")
            with TabbedContent(id="side", initial="tab-detail"):
                with TabPane(t(texts.TAB_DETAIL), id="tab-detail"):
                    yield DetailPane(id="detail")
                with TabPane(t(texts.TAB_MAILBOX), id="tab-mailbox"):
                    yield MailboxTable(id="mailbox")
        yield Static(id="watch-note", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.relabel()
        self.set_focus(self.query_one(TranscriptView))
        self.start()

    @work(exclusive=True, group="start")
    async def start(self) -> None:
        """Start the proxy; when it cannot listen, the app ends and the command says why."""
        if not await self.watcher.start():
            self.app.exit()

    # ---- WatchView: what the watcher reports --------------------------------------------------------------

    def status_changed(self) -> None:
        source, log, t = self.watcher.source, self.watcher.log, self.tutor.t
        state, closed, tls = log.status()
        bar = self.query_one(StatusBar)  # where the mail client connects, and how (the note below says the rest)
        bar.show(state, closed, source.listen, tls, False, idle=log.current is None, title=texts.WATCH_TITLE)
        self.query_one("#watch-note", Static).update(t(texts.WATCHING, listen=source.listen, upstream=source.upstream))

    # ---- language -----------------------------------------------------------------------------------------

    def relabel(self) -> None:
        """Every text again in the app's language (the transcript is annotated anew by the caller)."""
        self.relabel_common()
        self.query_one(MailboxTable).show(None, self.watcher.source.upstream)
        self.status_changed()

    def export(self, path: Path, kind: str, redact: bool) -> None:
        """Save the session of the selected line (or the newest session)."""
        t = self.tutor.t
        try:
            written = self.watcher.export(path, kind, redact, self.query_one(TranscriptView).highlighted)
        except OSError as problem:
            self.notify(t(texts.EXPORT_FAILED, reason=problem.strerror or str(problem)), severity="error", markup=False)
            return
        if written is None:
            self.notify(t(texts.WATCH_NOTHING), severity="warning", markup=False)
            return
        self.notify(t(texts.EXPORTED, path=str(written)), markup=False)

    def action_follow(self) -> None:
        self.query_one(TranscriptView).follow()
