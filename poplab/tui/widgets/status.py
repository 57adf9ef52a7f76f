"""The status bar: the state badge (AUTHORIZATION / TRANSACTION / UPDATE / closed, each in its own colour),
where the learner is connected and how (plain or TLS), and whether a reply is still arriving. In watch mode:
where the proxy listens and relays to, and the newest proxied session's state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from poplab.i18n import Translator, translator
from poplab.protocol.states import State
from poplab.tui import texts

BADGE_CLASSES = ("-authorization", "-transaction", "-update", "-closed")


def badge_text(state: State | None, closed: bool, t: Translator) -> str:
    """``TRANSACTION``; after QUIT ``UPDATE · closed``; a connection that ended otherwise: ``closed``."""
    if closed:
        return f"UPDATE · {t(texts.STATE_CLOSED)}" if state is State.UPDATE else t(texts.STATE_CLOSED)
    if state is None:
        return t(texts.STATE_CONNECTING)
    return state.value


def badge_class(state: State | None, closed: bool) -> str:
    if closed and state is not State.UPDATE:
        return "-closed"
    return "" if state is None else f"-{state.value.lower()}"


class StateBadge(Static):
    DEFAULT_CSS = """
    StateBadge { width: auto; padding: 0 1; text-style: bold; background: $panel; color: $text; }
    StateBadge.-authorization { background: $warning-muted; }
    StateBadge.-transaction { background: $success-muted; }
    StateBadge.-update { background: $accent-muted; }
    StateBadge.-closed { background: $error-muted; }
    """

    text = ""

    def show(
        self, state: State | None, closed: bool, t: Translator, idle: bool = False, label: str | None = None
    ) -> None:
        """``idle``: nothing to show a state of yet (watch mode before the first client). ``label``: a protocol
        without POP3's states (SMTP), shown instead of the state."""
        if label is not None:
            self.text = f"{label} · {t(texts.STATE_CLOSED)}" if closed else label
        else:
            self.text = t(texts.WATCH_IDLE) if idle else badge_text(state, closed, t)
        self.update(self.text)
        kind = "" if idle or label is not None else badge_class(state, closed)
        for name in BADGE_CLASSES:
            self.set_class(name == kind, name)


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; }
    StatusBar > #where { width: 1fr; padding: 0 1; color: $text-muted; }
    StatusBar > #busy { width: auto; padding: 0 1; color: $text-warning; }
    StatusBar > #title { width: auto; padding: 0 1; text-style: bold; color: $text-accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t: Translator = translator("en")

    def compose(self) -> ComposeResult:
        yield StateBadge(id="badge", markup=False)
        yield Static(id="where", markup=False)
        yield Static(id="busy", markup=False)
        yield Static(id="title", markup=False)

    def show(
        self,
        state: State | None,
        closed: bool,
        where: str,
        tls: bool,
        busy: bool,
        *,
        idle: bool = False,
        title: str = "",
        label: str | None = None,
    ) -> None:
        t = self.t
        self.query_one(StateBadge).show(state, closed, t, idle, label)
        security = f"🔒 {t(texts.TLS_ON)}" if tls else t(texts.PLAIN)
        self.query_one("#where", Static).update(f"{where} · {security}")
        self.query_one("#busy", Static).update(t(texts.WAITING) if busy else "")
        self.query_one("#title", Static).update(f"poplab · {t(title or texts.TITLE)}")

    @property
    def badge(self) -> str:
        return self.query_one(StateBadge).text
