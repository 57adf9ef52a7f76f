"""The main screen: status bar, transcript, the Detail / Mailbox / Lesson tabs, the lesson bar and the command
line. It renders what the :class:`~poplab.tui.conductor.Conductor` reports and turns keys into its actions."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.widgets import Footer, OptionList, Static, TabbedContent, TabPane

from poplab.exercises import Exercise
from poplab.tui import texts
from poplab.tui.conductor import Conductor
from poplab.tui.mailbox import Mailbox
from poplab.tui.practice import available_exercises
from poplab.tui.screens import slash
from poplab.tui.screens.diagram import DiagramScreen
from poplab.tui.screens.transcript_screen import TranscriptScreen
from poplab.tui.widgets.command_input import CommandInput
from poplab.tui.widgets.detail import DetailPane
from poplab.tui.widgets.lesson_pane import LessonBar, LessonList, LessonPane
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.status import StatusBar
from poplab.tui.widgets.transcript import TranscriptColumn, TranscriptView

TABS = (("tab-detail", texts.TAB_DETAIL), ("tab-mailbox", texts.TAB_MAILBOX), ("tab-lesson", texts.TAB_LESSON))


class MainScreen(TranscriptScreen):
    TABS = TABS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", texts.HELP, priority=True),
        Binding("f2", "app.switch_language", texts.LANGUAGE, priority=True),
        Binding("f6", "lessons", texts.LESSONS, priority=True),
        Binding("f7", "check", texts.CHECK, priority=True, group=texts.GROUP_EXERCISE),
        Binding("f8", "hint", texts.HINT, priority=True, group=texts.GROUP_EXERCISE),
        Binding("f3", "raw", texts.RAW, priority=True, group=texts.GROUP_VIEW),
        Binding("f4", "app.export", texts.EXPORT, priority=True, group=texts.GROUP_VIEW),
        Binding("f5", "reset", texts.RESET, priority=True, group=texts.GROUP_VIEW),
        Binding("ctrl+r", "reconnect", texts.RECONNECT, priority=True, group=texts.GROUP_CONNECTION),
        Binding("ctrl+t", "toggle_tls", texts.TLS, priority=True, group=texts.GROUP_CONNECTION),
        Binding("ctrl+d", "drop", texts.DROP, priority=True, group=texts.GROUP_CONNECTION),
        Binding("ctrl+g", "diagram", texts.DIAGRAM, show=False, priority=True),
        Binding("ctrl+o", "protocol", texts.PROTOCOL, show=False, priority=True),
        Binding("f9", "app.projector", texts.PROJECTOR, show=False, priority=True),  # F1 and the palette list it
        Binding("escape", "focus_input", texts.FOCUS_INPUT, show=False, priority=True),
    ]
    """Priority bindings act as the key arrives (before the keys typed after it are handled), so F6 then Enter
    typed at once starts a lesson, and the footer shows them in this order. F7/F8 show while an exercise runs, F5
    with the bundled server."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("check", "hint"):
            return self.conductor.coach.practice is not None
        if action == "reset":
            return self.conductor.lab.bundled is not None and self.conductor.lab.target is None
        return True

    def __init__(self, conductor: Conductor) -> None:
        super().__init__()
        self.conductor = conductor
        self._entered: deque[CommandInput.Line] = deque()
        self._handling = False
        conductor.view = self

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Container(id="body"):
            yield TranscriptColumn(id="transcript-column")
            with TabbedContent(id="side", initial="tab-mailbox"):
                with TabPane(self.tutor.t(texts.TAB_DETAIL), id="tab-detail"):
                    yield DetailPane(id="detail")
                with TabPane(self.tutor.t(texts.TAB_MAILBOX), id="tab-mailbox"):
                    yield MailboxTable(id="mailbox")
                with TabPane(self.tutor.t(texts.TAB_LESSON), id="tab-lesson"):
                    yield LessonPane(id="lesson")
        yield LessonBar(id="lesson-bar", markup=False)
        with Horizontal(id="prompt"):
            yield Static("C:", id="prompt-label", markup=False)
            yield CommandInput(id="command")
        yield Footer(compact=True, show_command_palette=False)  # Ctrl+P still opens it; F1 says so

    def on_mount(self) -> None:
        self.relabel()
        self.focus_command_line()
        self.status_changed()
        self.start()
        self.load_exercises()

    @work(exclusive=True, group="start")
    async def start(self) -> None:
        await self.conductor.start()

    # ---- View: what the conductor reports -----------------------------------------------------------------

    def status_changed(self) -> None:
        lab, conductor = self.conductor.lab, self.conductor
        closed = lab.error is not None or (lab.session is not None and lab.session.closed)
        label = "SMTP" if lab.smtp else None
        self.query_one(StatusBar).show(lab.state, closed, conductor.where(), lab.tls, conductor.busy, label=label)
        self.query_one(CommandInput).placeholder = self.placeholder()

    def placeholder(self) -> str:
        """What to type now: a command that works in this state, or how to reconnect."""
        t, example = self.tutor.t, self.conductor.next_command()
        if example is None:
            return t(texts.PLACEHOLDER_CLOSED)
        return t(texts.PLACEHOLDER_SMTP if self.conductor.lab.smtp else texts.PLACEHOLDER, example=example)

    def mailbox_changed(self, mailbox: Mailbox | None) -> None:
        where = None if mailbox is not None else self.conductor.where()
        self.query_one(MailboxTable).show(mailbox, where, before_login=self.conductor.before_login())

    def lesson_changed(self) -> None:
        self.refresh_bindings()  # F7/F8 show while an exercise runs
        coach = self.conductor.coach
        self.query_one(LessonBar).show(coach, self.tutor.t)
        self.query_one(LessonPane).show(coach)

    # ---- language -----------------------------------------------------------------------------------------

    def relabel(self) -> None:
        """Every text again in the app's language (the transcript is annotated anew by the caller)."""
        self.relabel_common()
        self.query_one(LessonPane).t = self.tutor.t
        self.lesson_changed()
        self.status_changed()

    # ---- input --------------------------------------------------------------------------------------------

    @on(CommandInput.Line)
    def entered(self, event: CommandInput.Line) -> None:
        """Lines are handled one after another, in the order they were entered, each once."""
        self._entered.append(event)
        if not self._handling:
            self._handling = True
            self.handle_entered()

    @work(group="lab")
    async def handle_entered(self) -> None:
        try:
            while self._entered:
                await self.enter(self._entered.popleft())
        finally:
            self._handling = False

    async def enter(self, entered: CommandInput.Line) -> None:
        conductor, line = self.conductor, entered.line
        if entered.paste:
            await conductor.note(texts.PASTED, count=entered.paste)
        if conductor.lab.in_data:
            await conductor.send(line)  # a line of the mail: sent as it is, an empty one too
        elif not line.strip() and entered.pasted:
            return
        elif not line.strip():
            example = conductor.next_command()
            text = texts.EMPTY_LINE if example is not None else texts.EMPTY_LINE_CLOSED
            await conductor.note(text, example=example or "")
        elif line.startswith("/"):
            await slash.run(self, line)
        else:
            await conductor.send(line)

    # ---- transcript and lessons ---------------------------------------------------------------------------

    @on(TabbedContent.TabActivated, "#side")
    def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """On a narrow screen the Lesson tab gets more room: it holds a list to choose from and a task."""
        self.query_one("#side").set_class(event.pane.id == "tab-lesson", "-tall")

    @on(OptionList.OptionSelected, "LessonList")
    def lesson_chosen(self, event: OptionList.OptionSelected) -> None:
        kind, key = self.query_one(LessonList).choices[event.option_id or ""]
        if kind == "lesson":
            self.start_lesson(key)
        else:
            self.start_exercise(key)

    def start_lesson(self, key: str) -> None:
        self.focus_command_line()
        self.query_one(TabbedContent).active = "tab-mailbox"
        self.run_worker(self.conductor.coach.start_lesson(key), group="lab")

    def start_exercise(self, number: str) -> None:
        exercises = {exercise.id: exercise for exercise in self.query_one(LessonPane).exercises}
        self.focus_command_line()
        self.query_one(TabbedContent).active = "tab-lesson"
        self.run_worker(self.conductor.coach.start_exercise(exercises[number]), group="lab")

    @work(thread=True, group="exercises")
    def load_exercises(self) -> None:
        exercises = available_exercises()
        self.app.call_from_thread(self._exercises_loaded, exercises)

    def _exercises_loaded(self, exercises: tuple[Exercise, ...]) -> None:
        self.query_one(LessonPane).exercises = exercises
        self.lesson_changed()

    # ---- actions ------------------------------------------------------------------------------------------

    def action_check(self) -> None:
        self.query_one(TabbedContent).active = "tab-lesson"
        self.run_worker(self.conductor.coach.check(), group="lab")

    def action_hint(self) -> None:
        self.query_one(TabbedContent).active = "tab-lesson"
        self.run_worker(self.conductor.coach.hint(), group="lab")

    def action_lessons(self) -> None:
        self.query_one(TabbedContent).active = "tab-lesson"
        self.set_focus(self.query_one(LessonList))

    def action_reconnect(self) -> None:
        self.run_worker(self.conductor.reconnect(), group="lab")

    def action_toggle_tls(self) -> None:
        self.run_worker(self.conductor.toggle_tls(), group="lab")

    def action_drop(self) -> None:
        self.run_worker(self.conductor.drop(), group="lab")

    def action_reset(self) -> None:
        self.run_worker(self.conductor.reset(), group="lab")

    def action_protocol(self) -> None:
        self.run_worker(self.conductor.toggle_protocol(), group="lab")

    def action_diagram(self) -> None:
        if not isinstance(self.app.screen, DiagramScreen):
            self.app.push_screen(DiagramScreen(self.conductor.feed.annotations, self.tutor.t))

    def action_focus_input(self) -> None:
        self.focus_command_line()

    def focus_command_line(self) -> None:
        self.set_focus(self.query_one(CommandInput))

    @on(events.DescendantFocus, "CommandInput")
    def command_line_focused(self) -> None:
        """Back in the command line (Esc, a click, a typed key): the transcript follows the newest lines again."""
        self.query_one(TranscriptView).follow()

    def export(self, path: Path, kind: str, redact: bool) -> None:
        try:
            written = self.conductor.export(path, kind, redact)
        except OSError as problem:
            reason = problem.strerror or str(problem)
            self.notify(self.tutor.t(texts.EXPORT_FAILED, reason=reason), severity="error", markup=False)
            return
        self.notify(self.tutor.t(texts.EXPORTED, path=str(written)), markup=False)
