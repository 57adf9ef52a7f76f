"""The Mailbox pane: the server-side mailbox of the account in use — number, deletion mark, octets, subject,
UIDL — redrawn whenever the bundled server reports a change; for another server, a note that it is unavailable."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from poplab.i18n import Translator, translator
from poplab.tui import texts
from poplab.tui.mailbox import Mailbox

COLUMNS = (texts.COLUMN_NUMBER, texts.COLUMN_DELETED, texts.COLUMN_OCTETS, texts.COLUMN_SUBJECT, texts.COLUMN_UIDL)


class MailboxTable(Vertical):
    DEFAULT_CSS = """
    MailboxTable { height: 1fr; }
    MailboxTable > #mailbox-title { height: auto; padding: 0 1; color: $text-muted; }
    MailboxTable > DataTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t: Translator = translator("en")
        self.mailbox: Mailbox | None = None
        self.unavailable: str | None = None
        self.before_login = False

    def compose(self) -> ComposeResult:
        yield Static(id="mailbox-title", markup=False)
        yield DataTable(id="mailbox-rows", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._columns()

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(self.t(key), key=key)

    def show(self, mailbox: Mailbox | None, unavailable: str | None = None, before_login: bool = False) -> None:
        """Show ``mailbox``; ``unavailable`` names another server whose mailboxes cannot be seen. ``before_login``:
        the session has not logged in, so no rows — only which account the pane will follow."""
        self.mailbox, self.unavailable, self.before_login = mailbox, unavailable, before_login
        self.query_one("#mailbox-title", Static).update(self._title())
        table = self.query_one(DataTable)
        table.clear()
        if mailbox is None or (before_login and not mailbox.live):
            return
        marked = self.t(texts.MARKED)
        for row in mailbox.rows:
            style = "strike" if row.deleted else ""
            table.add_row(
                Text(str(row.number), justify="right"),
                Text(f"✗ {marked}" if row.deleted else "", style="bold"),
                Text(str(row.octets), justify="right"),
                Text(row.subject, style=style),
                Text(row.uid, style=style),
                key=str(row.number),
            )

    def relabel(self) -> None:
        self._columns()
        self.show(self.mailbox, self.unavailable, self.before_login)

    def _title(self) -> str:
        t, mailbox = self.t, self.mailbox
        if self.unavailable is not None:
            return t(texts.MAILBOX_UNAVAILABLE, where=self.unavailable)
        if mailbox is None:
            return ""
        if self.before_login and not mailbox.live:
            return t(texts.MAILBOX_BEFORE_LOGIN, account=mailbox.account)
        if not mailbox.exists:
            return t(texts.MAILBOX_NONE, account=mailbox.account)
        how = t(texts.MAILBOX_LIVE) if mailbox.live else t(texts.MAILBOX_STORED)
        return f"{t(texts.MAILBOX_TITLE, account=mailbox.account)}, {how}"

    def rows(self) -> list[tuple[str, ...]]:
        """The table as plain text, row by row (for tests and screen readers)."""
        table = self.query_one(DataTable)
        return [tuple(str(cell) for cell in table.get_row_at(index)) for index in range(table.row_count)]
