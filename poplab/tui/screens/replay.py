"""The replay screen (``poplab replay FILE``): a recorded session step by step — the transcript up to the step,
its annotation in the Detail tab, the session state in the status bar, the mailbox as the server had it then, and
the sequence diagram around the step. Keys and the control bar's buttons step a line or a command, jump to a line,
play at a chosen speed; a click on a transcript line goes back to it. "Try from here" (T) opens a live branch
beside it. It renders what the :class:`~poplab.tui.replay.Replay` model says; read-only, like the watch screen."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, OptionList, Static, TabbedContent, TabPane

from poplab.transcript import Transcript
from poplab.tui import replay_texts as rtexts
from poplab.tui import texts
from poplab.tui.conductor import write_transcript
from poplab.tui.replay import SPEEDS, Replay, diagram
from poplab.tui.screens.read_only import ReadOnlyScreen
from poplab.tui.try_from_here import Branch
from poplab.tui.widgets.branch_pane import BranchPane
from poplab.tui.widgets.detail import DetailPane
from poplab.tui.widgets.replay_mailbox import ReplayMailbox
from poplab.tui.widgets.status import StatusBar
from poplab.tui.widgets.transcript import TranscriptView

TABS = (("tab-mailbox", texts.TAB_MAILBOX), ("tab-detail", texts.TAB_DETAIL))
CONTROLS = (("first", "⏮"), ("command-back", "◀◀"), ("back", "◀"), ("play", "▶‖"), ("forward", "▶"),
            ("command-forward", "▶▶"), ("last", "⏭"), ("try", "⑂"))  # fmt: skip


class ReplayScreen(ReadOnlyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", texts.HELP),
        Binding("f2", "app.switch_language", texts.LANGUAGE),
        Binding("right", "forward", rtexts.FORWARD),
        Binding("left", "back", rtexts.BACK),
        Binding("n", "command_forward", rtexts.COMMAND_FORWARD),
        Binding("p", "command_back", rtexts.COMMAND_BACK),
        Binding("space", "play", rtexts.PLAY),
        Binding("plus", "faster", rtexts.FASTER, show=False),
        Binding("minus", "slower", rtexts.SLOWER, show=False),
        Binding("g", "jump", rtexts.JUMP),
        Binding("t", "try", rtexts.TRY),
        Binding("home", "first", show=False, priority=True),  # before the transcript's own Home/End
        Binding("end", "last", show=False, priority=True),
        Binding("f4", "app.export", texts.EXPORT, show=False),
        Binding("escape", "close", texts.CLOSE, show=False),
    ]
    DEFAULT_CSS = """
    ReplayScreen #replay-area { height: 1fr; }
    ReplayScreen #replay-main { width: 1fr; height: 1fr; }
    ReplayScreen #replay-body { height: 1fr; layout: vertical; }
    ReplayScreen #replay-transcript { height: 1fr; }
    ReplayScreen #side { height: 10; }
    ReplayScreen.-wide #replay-body { layout: horizontal; }
    ReplayScreen.-wide #replay-transcript { width: 3fr; }
    ReplayScreen.-wide #side { width: 2fr; height: 1fr; }
    ReplayScreen #diagram { height: auto; max-height: 5; color: $text-muted; padding: 0 1; }
    ReplayScreen #step-bar { height: 1; background: $boost; padding: 0 1; }
    ReplayScreen #controls { height: 1; }
    ReplayScreen #controls Button { min-width: 5; width: auto; height: 1; margin: 0 1 0 0; }
    ReplayScreen #jump { height: 1; border: none; display: none; }
    ReplayScreen #jump.-shown { display: block; }
    ReplayScreen.-branch #diagram { display: none; }
    """

    def __init__(self, replay: Replay) -> None:
        super().__init__()
        self.replay = replay
        self.speed = 1.0
        self.timer: Timer | None = None
        self.branch: Branch | None = None
        self._shown = 0
        self._temporary: tempfile.TemporaryDirectory[str] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="replay-area"), Vertical(id="replay-main"):
            with Container(id="replay-body"):
                yield TranscriptView(id="replay-transcript")
                with TabbedContent(id="side", initial="tab-mailbox"):
                    with TabPane(self.tutor.t(texts.TAB_MAILBOX), id="tab-mailbox"):
                        yield ReplayMailbox(id="replay-mailbox")
                    with TabPane(self.tutor.t(texts.TAB_DETAIL), id="tab-detail"):
                        yield DetailPane(id="detail")
            yield Static(id="diagram", markup=False)
        yield Input(id="jump", type="integer")
        with Horizontal(id="controls"):
            for name, label in CONTROLS:
                yield Button(label, id=f"control-{name}", compact=True)
            yield Static(id="step-bar", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.relabel()
        self.set_focus(self.query_one(TranscriptView))

    async def on_unmount(self) -> None:
        await self.close_branch()
        if self._temporary is not None:
            self._temporary.cleanup()

    # ---- showing the step ---------------------------------------------------------------------------------

    def show_step(self) -> None:
        replay, view = self.replay, self.query_one(TranscriptView)
        upto = replay.position + 1 if replay.items else 0
        if upto >= self._shown and self._shown == len(view.items):
            view.add_items(replay.items[self._shown : upto])
        else:
            view.set_items(replay.items[:upto])
        self._shown = upto
        view.follow()
        step = replay.step()
        self.query_one(DetailPane).show(step.item)
        self.query_one(ReplayMailbox).show(step.mailbox)
        self.query_one("#diagram", Static).update("\n".join(diagram(replay)))
        self.status_changed()

    def status_changed(self) -> None:
        t, step = self.tutor.t, self.replay.step()
        bar = self.query_one(StatusBar)
        bar.show(step.state, step.closed, self.replay.recording.name, step.tls, False, title=rtexts.REPLAY_TITLE)
        playing = t(rtexts.PLAYING, speed=f"{self.speed:g}") if self.timer is not None else t(rtexts.PAUSED)
        where = t(rtexts.STEP, index=step.index + 1, count=step.count, line=step.line)
        self.query_one("#step-bar", Static).update(f"{where} · {playing}")

    # ---- the home screen's duties (language, export, raw, projector) ---------------------------------------

    def relabel(self) -> None:
        t = self.tutor.t
        for widget in (StatusBar, TranscriptView, DetailPane, ReplayMailbox):
            self.query_one(widget).t = t  # type: ignore[attr-defined]
        tabs = self.query_one(TabbedContent)
        for pane_id, label in TABS:
            tabs.get_tab(pane_id).label = t(label)
        self.query_one("#jump", Input).placeholder = t(rtexts.JUMP_PROMPT, count=self._line_count())
        self.replay.relanguage(t.language)
        self._shown = 0
        self.query_one(TranscriptView).set_items([])
        self.query_one(ReplayMailbox).relabel()
        for pane in self.query(BranchPane):
            pane.relabel(t)
        self.show_step()

    def set_items(self, items: object) -> None:
        self.show_step()

    def _line_count(self) -> int:
        return len(self.replay.recording.lines)

    def export(self, path: Path, kind: str, redact: bool) -> None:
        t = self.tutor.t
        lines = [line for n, line in enumerate(self.replay.recording.lines) if n not in self.replay.recording.standins]
        try:
            written = write_transcript(Transcript(lines), path, kind, True)
        except OSError as problem:
            self.notify(t(texts.EXPORT_FAILED, reason=problem.strerror or str(problem)), severity="error", markup=False)
            return
        self.notify(t(texts.EXPORTED, path=str(written)), markup=False)

    def set_projector(self, on: bool) -> None:
        self.query_one(TranscriptView).set_projector(on)

    def action_raw(self) -> None:
        self.query_one(TranscriptView).toggle_raw()

    # ---- moving -----------------------------------------------------------------------------------------

    def action_forward(self) -> None:
        self.replay.move(1)
        self.show_step()

    def action_back(self) -> None:
        self.replay.move(-1)
        self.show_step()

    def action_command_forward(self) -> None:
        self.replay.move_command(True)
        self.show_step()

    def action_command_back(self) -> None:
        self.replay.move_command(False)
        self.show_step()

    def action_first(self) -> None:
        if isinstance(self.focused, Input):
            self.focused.action_home()  # in a command line Home and End move the cursor
            return
        self.replay.home()
        self.show_step()

    def action_last(self) -> None:
        if isinstance(self.focused, Input):
            self.focused.action_end()
            return
        self.replay.end()
        self.show_step()

    def action_play(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        else:
            if self.replay.at_end:
                self.replay.home()
            self.timer = self.set_interval(1 / self.speed, self._tick)
        self.show_step()

    def _tick(self) -> None:
        if self.replay.at_end and self.timer is not None:
            self.action_play()
            return
        self.action_forward()

    def action_faster(self) -> None:
        self._speed(1)

    def action_slower(self) -> None:
        self._speed(-1)

    def _speed(self, change: int) -> None:
        index = SPEEDS.index(self.speed) if self.speed in SPEEDS else 2
        self.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, index + change))]
        if self.timer is not None:
            self.timer.stop()
            self.timer = self.set_interval(1 / self.speed, self._tick)
        self.status_changed()

    def action_jump(self) -> None:
        jump = self.query_one("#jump", Input)
        jump.add_class("-shown")
        jump.value = ""
        jump.focus()

    @on(Input.Submitted, "#jump")
    def jumped(self, event: Input.Submitted) -> None:
        event.input.remove_class("-shown")
        if event.value.strip().isdigit():
            self.replay.jump_to_line(int(event.value))
        self.set_focus(self.query_one(TranscriptView))
        self.show_step()

    @on(OptionList.OptionSelected, "#replay-transcript")
    def selected(self, event: OptionList.OptionSelected) -> None:
        """A click (or Enter) on a transcript line goes back to that step; a body opens or closes."""
        view = self.query_one(TranscriptView)
        view.toggle(event.option_index)
        if event.option_index != self.replay.position:
            self.replay.position = event.option_index
            self.show_step()

    @on(OptionList.OptionHighlighted, "#replay-transcript")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(DetailPane).show(self.query_one(TranscriptView).highlighted_item())

    @on(Button.Pressed, "#controls Button")
    def pressed(self, event: Button.Pressed) -> None:
        name = (event.button.id or "").removeprefix("control-").replace("-", "_")
        getattr(self, f"action_{name}")()

    # ---- try from here ------------------------------------------------------------------------------------

    def action_try(self) -> None:
        self.run_worker(self.open_branch(), group="branch", exclusive=True)

    async def open_branch(self) -> None:
        t = self.tutor.t
        if not self.replay.recording.poplab:
            self.notify(t(rtexts.TRY_UNAVAILABLE), severity="warning", markup=False)
            return
        await self.close_branch()
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="poplab-branch-")
        lines = self.replay.client_lines()
        self.branch = Branch(self.replay.recording, lines, t.language, Path(self._temporary.name) / "tls")
        await self.query_one("#replay-area").mount(BranchPane(self.branch, t, id="branch"))
        self.add_class("-branch")
        self.notify(t(rtexts.TRY_STARTED, index=self.replay.position + 1, count=len(lines)), markup=False)

    async def close_branch(self) -> None:
        branch, self.branch = self.branch, None
        for pane in self.query(BranchPane):
            await pane.remove()
        self.remove_class("-branch")
        if branch is not None:
            await branch.stop()

    def action_close(self) -> None:
        jump = self.query_one("#jump", Input)
        if jump.has_class("-shown"):
            jump.remove_class("-shown")
            self.set_focus(self.query_one(TranscriptView))
        elif self.branch is not None:
            self.run_worker(self.close_branch(), group="branch", exclusive=True)
        elif self is not self.app.screen_stack[0]:
            self.dismiss()  # opened from the class dashboard: back to it
