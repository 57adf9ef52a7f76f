"""Stepping through a recorded session, without Textual: the annotated items of a :class:`Recording` (one per
line, one per multi-line body, the replay's notes among them), the mailbox after each, and a position that moves a
line or a command at a time, jumps to a transcript line, or plays on. The replay screen renders it.

Position ``p`` means items ``0 … p`` have happened: the transcript shows them, the mailbox and state are as after
item ``p``. A command step ends where an exchange ends: the command, its reply and any body.
"""

from __future__ import annotations

from dataclasses import dataclass

from poplab.annotate.annotator import Annotator
from poplab.annotate.model import Annotation, Kind
from poplab.protocol.states import State
from poplab.tui.entries import Item, Note, position
from poplab.tui.mailbox_history import MailboxAt, MailboxHistory
from poplab.tui.replay_files import Recording
from poplab.tui.replay_texts import KEPT_OUT
from poplab.tui.watch import hide_secret

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
"""Steps per second when playing."""


@dataclass(frozen=True)
class Step:
    """Where the replay is: the item, its number among all items, and the mailbox after it."""

    index: int
    count: int
    item: Item | None
    mailbox: MailboxAt
    state: State | None
    closed: bool
    tls: bool
    line: int
    """The transcript line (1-based) the step reached."""


class Replay:
    def __init__(self, recording: Recording, lang: str = "en") -> None:
        self.recording = recording
        self.items: list[Item] = []
        self.mailboxes: list[MailboxAt] = []
        self.position = 0
        self.relanguage(lang)

    # ---- building ---------------------------------------------------------------------------------------

    def relanguage(self, lang: str) -> list[Item]:
        """Annotate the recording (again) in ``lang``; the position stays."""
        recording = self.recording
        annotator = Annotator(lang)
        annotations = [a for line in recording.lines for a in annotator.feed(line)]
        annotations += annotator.finish()
        kept = [hide_secret(a) for a in annotations if a.index not in recording.standins]
        notes = [Note(index + 1, KEPT_OUT, (("octets", str(octets)),)) for index, octets in recording.kept_out]
        items: list[Item] = sorted([*kept, *notes], key=position)
        history = MailboxHistory(recording.log)
        mailboxes = []
        for item in items:
            mailboxes.append(history.add(item) if isinstance(item, Annotation) else history.now)
        self.items, self.mailboxes = items, mailboxes
        self.position = min(self.position, max(0, len(items) - 1))
        return items

    # ---- where ------------------------------------------------------------------------------------------

    def step(self) -> Step:
        index = self.position
        item = self.items[index] if self.items else None
        annotations = [i for i in self.items[: index + 1] if isinstance(i, Annotation)]
        last = annotations[-1] if annotations else None
        closed = any(a.kind in (Kind.CLOSED, Kind.END) for a in annotations)
        mailbox = self.mailboxes[index] if self.mailboxes else MailboxAt("before")
        return Step(
            index,
            len(self.items),
            item,
            mailbox,
            last.state_after if last is not None else None,
            closed,
            last.tls if last is not None else self.recording.implicit_tls,
            self.line_of(index) + 1,
        )

    def line_of(self, index: int) -> int:
        """The last transcript line (0-based) item ``index`` covers."""
        if not self.items:
            return 0
        item = self.items[index]
        if isinstance(item, Note):
            return max(0, item.at - 1)
        return item.index + max(0, item.line_count - 1)

    @property
    def at_end(self) -> bool:
        return self.position >= len(self.items) - 1

    # ---- moving -----------------------------------------------------------------------------------------

    def move(self, lines: int) -> int:
        """One item (a line, or a whole body) forward or back per ``lines``; the new position."""
        self.position = max(0, min(len(self.items) - 1, self.position + lines))
        return self.position

    def move_command(self, forward: bool) -> int:
        """To the end of the next (or the previous) exchange: a command with its reply and body."""
        ends = self._exchange_ends()
        if forward:
            self.position = next((end for end in ends if end > self.position), len(self.items) - 1)
        else:
            self.position = next((end for end in reversed(ends) if end < self.position), 0)
        self.position = max(0, self.position)
        return self.position

    def _exchange_ends(self) -> list[int]:
        starts = [n for n, item in enumerate(self.items) if _is_command(item)]
        return [start - 1 for start in [*starts, len(self.items)] if start > 0]

    def jump_to_line(self, line: int) -> int:
        """To the item of transcript line ``line`` (1-based): the last item that begins at or before it."""
        wanted = line - 1
        found = 0
        for n, item in enumerate(self.items):
            if position(item)[0] <= wanted:
                found = n
        self.position = found
        return found

    def home(self) -> int:
        self.position = 0
        return 0

    def end(self) -> int:
        self.position = max(0, len(self.items) - 1)
        return self.position

    # ---- for a branch ---------------------------------------------------------------------------------------

    def client_lines(self) -> list[bytes]:
        """The client's lines (redacted) up to the position, each as sent: what a branch replays."""
        upto = self.line_of(self.position)
        lines = self.recording.lines[: upto + 1]
        return [line.raw for line in lines if line.direction == "C" and line.raw]


def _is_command(item: Item) -> bool:
    return isinstance(item, Annotation) and item.direction == "C" and item.kind in (Kind.COMMAND, Kind.SASL_RESPONSE)


def arrow(item: Item, width: int = 44) -> str:
    """One row of a sequence diagram: ``Client ── USER wiki ──▶ Server`` or ``◀── +OK ──``."""
    if isinstance(item, Note):
        return " " * 2 + "…"
    text = item.lines[0] if item.lines else ""
    if item.line_count > 1:
        text = f"{text} (+{item.line_count - 1})"
    inner = width - 8
    if len(text) > inner:
        text = text[: inner - 1] + "…"
    if item.kind in (Kind.CLOSED, Kind.END):
        text = item.summary[: inner - 1]
        return "│" + f" {text} ".center(width - 2, "╌") + "│"
    if item.direction == "C":
        return "│─ " + text + " " + "─" * (inner - len(text)) + "──▶│"
    return "│◀──" + "─" * (inner - len(text)) + " " + text + " ─│"


def diagram(replay: Replay, rows: int = 5, width: int = 44) -> list[str]:
    """The sequence diagram around the position: up to ``rows`` arrows, the current one marked with ``▶``."""
    start = max(0, min(replay.position - rows // 2, len(replay.items) - rows))
    shown = replay.items[start : start + rows]
    return [("▶" if start + n == replay.position else " ") + arrow(item, width) for n, item in enumerate(shown)]
