"""The server side of the bundled lab: a mailbox as the server sees it (message numbers, octets, UIDL, subject,
marked for deletion — the marks live in the session that holds the lock) and the list of accounts."""

from __future__ import annotations

from dataclasses import dataclass
from email.errors import MessageError
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from poplab.i18n import translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.protocol.octets import wire_size
from poplab.server.runner import ServerThread
from poplab.store.api import ManagedStore

HEADER_LIMIT = 65536


@dataclass(frozen=True)
class MailboxRow:
    number: int
    octets: int
    uid: str
    subject: str
    marked: bool


@dataclass(frozen=True)
class AccountRow:
    name: str
    pop_enabled: bool
    messages: int
    octets: int
    locked: bool


def subject_of(message: bytes) -> str:
    """The decoded Subject header (encoded words decoded), or '' without one."""
    head = message[:HEADER_LIMIT]
    end = min((i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0), default=len(head))
    try:
        value = BytesHeaderParser(policy=default_policy).parsebytes(head[:end] + b"\n\n")["subject"]
    except (MessageError, ValueError, TypeError, IndexError, LookupError):
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _open_view(server: ServerThread, account: str) -> tuple[int, list[tuple[int, str, int, bool]]] | None:
    """In the server's thread: the numbers, UIDs, sizes and marks of the session holding ``account``."""

    def look() -> tuple[int, list[tuple[int, str, int, bool]]] | None:
        for session in server.server.sessions:
            conn = session.conn
            if conn is not None and conn.user == account and conn.view is not None:
                view = conn.view
                rows = [(n, m.uid, m.size, n in view.deleted) for n, m in enumerate(view.messages, 1)]
                return session.info.id, rows
        return None

    return server.call(look)


class MailboxView:
    """``lab.mailbox("alice@example.com")``: what the server holds for one account right now."""

    def __init__(self, account: str, rows: list[MailboxRow], session: int | None, lang: str) -> None:
        self.account = account
        self.rows = tuple(rows)
        self.session = session
        self.lang = lang

    @classmethod
    def read(cls, server: ServerThread, store: ManagedStore, account: str, lang: str) -> MailboxView:
        stored = store.stored(account)
        opened = _open_view(server, account)
        if opened is None:
            rows = [(n, uid, wire_size(data), False) for n, (uid, data) in enumerate(stored.items(), 1)]
            session = None
        else:
            session, rows = opened
        made = [MailboxRow(n, size, uid, subject_of(stored.get(uid, b"")), marked) for n, uid, size, marked in rows]
        return cls(account, made, session, lang)

    @property
    def numbers(self) -> list[int]:
        return [row.number for row in self.rows]

    @property
    def marked(self) -> list[int]:
        """The numbers marked for deletion in the open session (removed only at QUIT)."""
        return [row.number for row in self.rows if row.marked]

    @property
    def octets(self) -> int:
        return sum(row.octets for row in self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _lines(self) -> tuple[str, str]:
        t = translator(self.lang)
        where = t(texts.MAILBOX_CLOSED) if self.session is None else t(texts.MAILBOX_OPEN, session=self.session)
        total = t.plural(texts.MAILBOX_TOTAL, len(self.rows), octets=self.octets, marked=len(self.marked))
        return where, total if self.rows else t(texts.MAILBOX_EMPTY)

    def _repr_html_(self) -> str:
        t = translator(self.lang)
        rows = [
            (str(m.number), str(m.octets), r.code(m.uid), r.esc(m.subject), r.esc(t(texts.YES)) if m.marked else "")
            for m in self.rows
        ]
        headings = [t(texts.NUMBER), t(texts.OCTETS), "UIDL", t(texts.SUBJECT), t(texts.MARKED)]
        grid = r.table(headings, rows, t(texts.MAILBOX_TITLE, account=self.account))
        where, total = self._lines()
        return r.box(grid + r.paragraph(r.muted(where)) + r.paragraph(r.esc(total)), "mailbox")

    def __repr__(self) -> str:
        t = translator(self.lang)
        out = [t(texts.MAILBOX_TITLE, account=self.account)]
        for m in self.rows:
            mark = f"  [{t(texts.MARKED)}]" if m.marked else ""
            out.append(f"{m.number:>3}  {m.octets:>8}  {m.uid}  {m.subject}{mark}")
        return "\n".join([*out, *self._lines()])


class AccountsView:
    """``lab.accounts()``: every account with its POP access (like Exchange's ``PopEnabled``) and its mailbox."""

    def __init__(self, rows: list[AccountRow], lang: str) -> None:
        self.rows = tuple(rows)
        self.lang = lang

    @classmethod
    def read(cls, store: ManagedStore, lang: str) -> AccountsView:
        rows = []
        for account in store.accounts():
            count, octets = store.mailbox_stats(account.name)
            rows.append(AccountRow(account.name, account.pop_enabled, count, octets, store.is_locked(account.name)))
        return cls(rows, lang)

    def names(self, pop_enabled: bool | None = None) -> list[str]:
        """The account names, all or only those whose POP access is on (True) or off (False)."""
        return [row.name for row in self.rows if pop_enabled is None or row.pop_enabled is pop_enabled]

    def _yes(self, value: bool) -> str:
        return translator(self.lang)(texts.YES if value else texts.NO)

    def _repr_html_(self) -> str:
        t = translator(self.lang)
        headings = [t(texts.ACCOUNT), t(texts.POP_ENABLED), t(texts.MESSAGES), t(texts.OCTETS), t(texts.LOCKED)]
        rows = [
            (
                r.code(a.name),
                r.esc(self._yes(a.pop_enabled)),
                str(a.messages),
                str(a.octets),
                r.esc(self._yes(a.locked)),
            )
            for a in self.rows
        ]
        return r.box(r.table(headings, rows, t(texts.ACCOUNTS_TITLE)), "accounts")

    def __repr__(self) -> str:
        t = translator(self.lang)
        out = [t(texts.ACCOUNTS_TITLE)]
        for a in self.rows:
            values = (
                (texts.POP_ENABLED, self._yes(a.pop_enabled)),
                (texts.MESSAGES, a.messages),
                (texts.OCTETS, a.octets),
                (texts.LOCKED, self._yes(a.locked)),
            )
            out.append(f"{a.name:<24} " + ", ".join(f"{t(label)}: {value}" for label, value in values))
        return "\n".join(out)
