"""The "try from here" pane beside a replay: a live session on a fresh bundled server (its transcript explained,
its state, the server-side mailbox with the deletion marks) and a command line to take another branch. It renders
what the branch's :class:`~poplab.tui.conductor.Conductor` reports (it is the conductor's view); passwords are
hidden in what it shows."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from poplab.annotate.model import Annotation
from poplab.i18n import Translator, translator
from poplab.tui import replay_texts as rtexts
from poplab.tui.entries import Item
from poplab.tui.mailbox import Mailbox
from poplab.tui.try_from_here import Branch
from poplab.tui.watch import hide_secret
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.status import badge_text
from poplab.tui.widgets.transcript import TranscriptView


class BranchPane(Vertical):
    DEFAULT_CSS = """
    BranchPane { width: 1fr; height: 1fr; border-left: vkey $accent 60%; }
    BranchPane > #branch-title { height: 1; background: $accent-muted; padding: 0 1; text-style: bold; }
    BranchPane > #branch-transcript { height: 1fr; }
    BranchPane > MailboxTable { height: 6; }
    BranchPane > #branch-input { height: 1; border: none; background: $boost; }
    BranchPane > #branch-input:focus { background: $primary 20%; }
    """

    def __init__(self, branch: Branch, t: Translator | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.branch = branch
        self.t = t or translator("en")
        branch.conductor.view = self

    def compose(self) -> ComposeResult:
        yield Static(id="branch-title", markup=False)
        yield TranscriptView(id="branch-transcript")
        yield MailboxTable(id="branch-mailbox")
        yield Input(id="branch-input", placeholder="STAT")

    def on_mount(self) -> None:
        self.relabel(self.t)
        self.start()

    @work(group="branch")
    async def start(self) -> None:
        await self.branch.start()
        self.query_one("#branch-input", Input).focus()

    def relabel(self, t: Translator) -> None:
        self.t = t
        self.query_one(TranscriptView).t = t
        table = self.query_one(MailboxTable)
        table.t = t
        table.relabel()
        self.status_changed()

    # ---- View: what the branch's conductor reports ---------------------------------------------------------

    def add_items(self, items: list[Item]) -> None:
        shown = [hide_secret(item) if isinstance(item, Annotation) else item for item in items]
        self.query_one(TranscriptView).add_items(shown)

    def status_changed(self) -> None:
        lab = self.branch.conductor.lab
        closed = lab.error is not None or (lab.session is not None and lab.session.closed)
        badge = badge_text(lab.state, closed, self.t)
        self.query_one("#branch-title", Static).update(f"{self.t(rtexts.BRANCH)} · {badge}")

    def mailbox_changed(self, mailbox: Mailbox | None) -> None:
        conductor = self.branch.conductor
        self.query_one(MailboxTable).show(mailbox, None, before_login=conductor.before_login())

    def lesson_changed(self) -> None:
        return None

    # ---- input ------------------------------------------------------------------------------------------

    @on(Input.Submitted, "#branch-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        event.input.value = ""
        if line.strip():
            self.send(line)

    @work(group="branch")
    async def send(self, line: str) -> None:
        await self.branch.conductor.send(line)

    def wire_lines(self) -> list[str]:
        """The branch's C and S lines as shown (for tests)."""
        out = []
        for item in self.query_one(TranscriptView).items:
            if isinstance(item, Annotation) and item.direction is not None and item.raw:
                out += [f"{item.direction}: {raw.decode('utf-8', 'replace')}".rstrip() for raw in item.raw.splitlines()]
        return out
