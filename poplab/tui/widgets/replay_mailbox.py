"""The replay's Mailbox pane: the mailbox as the server had it at the replay's step — number, deletion mark,
octets, UID (``?`` where the transcript never said) — and, after QUIT, what the UPDATE state removed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from poplab.i18n import Translator, translator
from poplab.tui import replay_texts as rtexts
from poplab.tui import texts
from poplab.tui.mailbox_history import MailboxAt, Message

COLUMNS = (texts.COLUMN_NUMBER, texts.COLUMN_DELETED, texts.COLUMN_OCTETS, texts.COLUMN_UIDL)


class ReplayMailbox(Vertical):
    DEFAULT_CSS = """
    ReplayMailbox { height: 1fr; }
    ReplayMailbox > #replay-mailbox-title { height: auto; padding: 0 1; color: $text-muted; }
    ReplayMailbox > DataTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t: Translator = translator("en")
        self.mailbox = MailboxAt("before")

    def compose(self) -> ComposeResult:
        yield Static(id="replay-mailbox-title", markup=False)
        yield DataTable(id="replay-mailbox-rows", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(self.t(key), key=key)
        self.show(self.mailbox)

    def show(self, mailbox: MailboxAt) -> None:
        self.mailbox = mailbox
        self.query_one("#replay-mailbox-title", Static).update(self.title())
        table = self.query_one(DataTable)
        table.clear()
        if mailbox.phase == "before":
            return
        for message in mailbox.messages:
            table.add_row(*self._cells(message, self.t(texts.MARKED)))
        for message in mailbox.removed if mailbox.phase == "updated" else ():
            table.add_row(*self._cells(message, self.t(rtexts.REMOVED)))

    @staticmethod
    def _cells(message: Message, mark: str) -> tuple[Text, ...]:
        style = "strike" if message.deleted else ""
        return (
            Text(str(message.number), justify="right"),
            Text(f"✗ {mark}" if message.deleted else "", style="bold"),
            Text("?" if message.octets is None else str(message.octets), justify="right", style=style),
            Text(message.uid or "?", style=style),
        )

    def title(self) -> str:
        t, mailbox = self.t, self.mailbox
        account = mailbox.account or t(rtexts.UNKNOWN_ACCOUNT)
        if mailbox.phase == "before":
            return t(rtexts.MAILBOX_AT_BEFORE)
        if mailbox.phase == "updated":
            return t(rtexts.MAILBOX_AT_UPDATED, count=len(mailbox.removed))
        if mailbox.phase == "lost":
            return t(rtexts.MAILBOX_AT_LOST)
        if not mailbox.known and not mailbox.messages:
            return t(rtexts.MAILBOX_AT_UNKNOWN)
        return t(rtexts.MAILBOX_AT_OPEN, account=account)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as plain text, row by row (for tests and screen readers)."""
        table = self.query_one(DataTable)
        return [tuple(str(cell) for cell in table.get_row_at(index)) for index in range(table.row_count)]
