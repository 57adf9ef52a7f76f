"""The main screen: status bar, transcript, the Detail / Mailbox / Lesson tabs, the lesson bar and the command
line. It renders what the :class:`~poplab.tui.conductor.Conductor` reports and turns keys into its actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.widgets import Footer, Input, OptionList, Static, TabbedContent, TabPane

from poplab.exercises import Exercise
from poplab.tui import texts
from poplab.tui.conductor import Conductor
from poplab.tui.mailbox import Mailbox
from poplab.tui.practice import available_exercises
from poplab.tui.screens import slash
from poplab.tui.screens.transcript_screen import TranscriptScreen
from poplab.tui.widgets.command_input import CommandInput
from poplab.tui.widgets.detail import DetailPane
from poplab.tui.widgets.lesson_pane import LessonBar, LessonList, LessonPane
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.status import StatusBar
from poplab.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    pass

TABS = (("tab-detail", texts.TAB_DETAIL), ("tab-mailbox", texts.TAB_MAILBOX), ("tab-lesson", texts.TAB_LESSON))


class MainScreen(TranscriptScreen):
    TABS = TABS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", texts.HELP),
        Binding("f2", "app.switch_language", texts.LANGUAGE),
        Binding("f6", "lessons", texts.LESSONS),
        Binding("ctrl+r", "reconnect", texts.RECONNECT),
        Binding("ctrl+t", "toggle_tls", texts.TLS),
        Binding("f3", "raw", texts.RAW, show=False),
        Binding("f4", "app.export", texts.EXPORT, show=False),
        Binding("f5", "reset", texts.RESET, show=False),
        Binding("f7", "check", texts.CHECK, show=False),
        Binding("f8", "hint", texts.HINT, show=False),
        Binding("ctrl+d", "drop", texts.DROP, show=False, priority=True),
        Binding("escape", "focus_input", texts.FOCUS_INPUT, show=False),
    ]

    def __init__(self, conductor: Conductor) -> None:
        super().__init__()
        self.conductor = conductor
        conductor.view = self

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Container(id="body"):
            yield TranscriptView(id="transcript")
            with TabbedContent(id="side", initial="tab-mailbox"):
                with TabPane(self.tutor.t(texts.TAB_DETAIL), id="tab-detail"):
                    yield DetailPane(id="detail")
                with TabPane(self.tutor.t(texts.TAB_MAILBOX), id="tab-mailbox"):
                    yield MailboxTable(id="mailbox")
                with TabPane(self.tutor.t(texts.TAB_LESSON), id="tab-lesson"):
                    yield LessonPane(id="lesson")
        yield LessonBar(id="lesson-bar")
        with Horizontal(id="prompt"):
            yield Static("C:", id="prompt-label")
            yield CommandInput(id="command", placeholder=self.tutor.t(texts.PLACEHOLDER))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.relabel()
        self.set_focus(self.query_one(CommandInput))
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
        self.query_one(StatusBar).show(lab.state, closed, conductor.where(), lab.tls, conductor.busy)

    def mailbox_changed(self, mailbox: Mailbox | None) -> None:
        where = None if mailbox is not None else self.conductor.where()
        self.query_one(MailboxTable).show(mailbox, where)

    def lesson_changed(self) -> None:
        coach = self.conductor.coach
        self.query_one(LessonBar).show(coach, self.tutor.t)
        self.query_one(LessonPane).show(coach)

    # ---- language -----------------------------------------------------------------------------------------

    def relabel(self) -> None:
        """Every text again in the app's language (the transcript is annotated anew by the caller)."""
        self.relabel_common()
        self.query_one(LessonPane).t = self.tutor.t
        self.query_one(CommandInput).placeholder = self.tutor.t(texts.PLACEHOLDER)
        self.lesson_changed()
        self.status_changed()

    # ---- input --------------------------------------------------------------------------------------------

    @on(Input.Submitted, "#command")
    def submitted(self, event: Input.Submitted) -> None:
        line = event.value
        if not line:
            return  # Enter on an empty command line (often a slip); a space is sent, if that is what you want
        command_input = self.query_one(CommandInput)
        command_input.history.add(line)
        command_input.value = ""
        if line.startswith("/"):
            self.run_worker(slash.run(self, line), group="lab")
        else:
            self.send(line)

    @work(group="lab")
    async def send(self, line: str) -> None:
        await self.conductor.send(line)

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
        self.set_focus(self.query_one(CommandInput))
        self.query_one(TabbedContent).active = "tab-mailbox"
        self.run_worker(self.conductor.coach.start_lesson(key), group="lab")

    def start_exercise(self, number: str) -> None:
        exercises = {exercise.id: exercise for exercise in self.query_one(LessonPane).exercises}
        self.set_focus(self.query_one(CommandInput))
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

    def action_focus_input(self) -> None:
        self.set_focus(self.query_one(CommandInput))

    def export(self, path: Path, kind: str, redact: bool) -> None:
        try:
            written = self.conductor.export(path, kind, redact)
        except OSError as problem:
            self.notify(self.tutor.t(texts.EXPORT_FAILED, reason=problem.strerror or str(problem)), severity="error")
            return
        self.notify(self.tutor.t(texts.EXPORTED, path=str(written)))
