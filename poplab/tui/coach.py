"""The tutor's teaching side, without Textual: the guided tour (which step, was it done, progress saved) and the
classroom exercises (the exercise's own server, check, hint, answer). The conductor tells it what the learner
sent and did; it tells the view when there is something new to show."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from poplab.client import SmtpReply
from poplab.exercises import Exercise
from poplab.exercises import Progress as ExerciseProgress
from poplab.exercises.faces import for_tutor
from poplab.exercises.result import CheckResult
from poplab.exercises.texts import Say
from poplab.protocol.client import ServerReply
from poplab.tui import texts
from poplab.tui.lessons import lesson
from poplab.tui.practice import Practice
from poplab.tui.tour import Progress, Tour, Verdict

if TYPE_CHECKING:
    from poplab.tui.conductor import Conductor


def status_of(reply: ServerReply | SmtpReply) -> str:
    """The reply's status line as the learner saw it (an SMTP reply's last line)."""
    raw = reply.status_line if isinstance(reply, ServerReply) else reply.lines[-1] if reply.lines else b""
    return raw.decode("utf-8", "replace").strip()


class Coach:
    def __init__(self, conductor: Conductor, progress: Progress, exercise_progress: Path | None) -> None:
        self.conductor = conductor
        self.progress = progress
        self.exercise_progress = exercise_progress
        self.tour: Tour | None = None
        self.practice: Practice | None = None
        self.feedback: tuple[str, dict[str, object]] | None = None
        self.feedback_wrong = False
        self.report: CheckResult | Say | None = None
        """The last exercise check or hint, shown in the Lesson pane."""
        self.solved: set[str] = set()
        """Exercises whose checks all passed in this tutor (also when no progress directory is kept)."""

    # ---- lessons ------------------------------------------------------------------------------------------

    async def start_lesson(self, key: str) -> None:
        conductor = self.conductor
        bundled = conductor.lab.bundled
        if bundled is None:
            await conductor.note(texts.LESSON_NEEDS_BUNDLED, "warning")
            return
        await self.stop_exercise(reconnect=False)
        chosen = lesson(key)
        self.tour, self.feedback, self.feedback_wrong = Tour(chosen), None, False
        bundled.set_apop(chosen.apop)
        conductor.lab.security = "plain"
        conductor.lab.protocol = "pop3"
        conductor.forget_account()
        conductor.view.lesson_changed()
        await conductor.reset()

    def command(self, line: str, reply: ServerReply | SmtpReply | None) -> None:
        """The learner sent ``line`` and got ``reply`` (None: a line of an SMTP mail, which gets no reply): does
        it complete the lesson's step?"""
        if self.tour is None:
            return
        step = self.tour.step
        verdict = self.tour.command(line, reply.ok if reply is not None else None)
        if verdict is Verdict.DONE and step is not None:
            self._feedback(step.explain, False)
        elif verdict is Verdict.WRONG_REPLY and reply is not None:
            self._feedback(texts.LESSON_WRONG_REPLY, True, reply=status_of(reply))
        elif reply is not None and step is not None and step.command:
            self._feedback(texts.LESSON_OTHER, True, expected=step.command)

    def action(self, name: str) -> None:
        if self.tour is None:
            return
        step = self.tour.step
        if self.tour.action(name) is Verdict.DONE and step is not None:
            self._feedback(step.explain, False)

    def _feedback(self, text: str, wrong: bool, **values: object) -> None:
        assert self.tour is not None
        self.feedback, self.feedback_wrong = (text, values), wrong
        self.progress.record(self.tour)
        self.conductor.view.lesson_changed()

    def feedback_text(self) -> str:
        if self.feedback is None:
            return ""
        text, values = self.feedback
        return self.conductor.t(text, **values)

    # ---- exercises ----------------------------------------------------------------------------------------

    async def start_exercise(self, exercise: Exercise) -> None:
        """Start the exercise's server on its fresh mailbox and connect the learner to it."""
        conductor = self.conductor
        await self.stop_exercise(reconnect=False)
        self.tour, self.feedback, self.report = None, None, None
        cert_dir = conductor.cert_dir
        self.practice = await Practice.open(exercise, cert_dir, conductor.login_delay, self.exercise_progress)
        self.practice.subscribe(conductor.server_changed)
        conductor.lab.retarget(self.practice.endpoint())
        conductor.forget_account()
        conductor.view.lesson_changed()
        await conductor.note(texts.EXERCISE_STARTED, title=self.practice.title(conductor.t.language))
        await conductor.connect()

    async def stop(self) -> None:
        """End the lesson or the exercise under way (the exercise's server stops; back to the bundled one)."""
        if self.tour is not None:
            self.tour, self.feedback, self.feedback_wrong = None, None, False
            self.conductor.view.lesson_changed()
        await self.stop_exercise()

    async def stop_exercise(self, reconnect: bool = True) -> None:
        practice, self.practice = self.practice, None
        if practice is None:
            return
        self.report = None
        await self.conductor.lab.drop()
        self.conductor.lab.retarget(None)
        self.conductor.forget_account()
        await practice.close()
        self.conductor.view.lesson_changed()
        if reconnect:
            await self.conductor.connect()

    async def check(self, answer: str | None = None) -> None:
        if self.practice is None:
            await self.conductor.note(texts.EXERCISE_NONE, "warning")
            return
        self.report = result = await self.practice.check(answer)
        if result.passed:
            self.solved.add(result.exercise)
        self.conductor.view.lesson_changed()

    def exercises_done(self) -> set[str]:
        """The exercises this learner has solved: in this tutor, or recorded in the progress directory (where
        ``poplab exercise check`` records them too)."""
        if self.exercise_progress is None:
            return set(self.solved)
        entries = ExerciseProgress(self.exercise_progress).entries()
        return self.solved | {key for key, entry in entries.items() if entry.done}

    async def hint(self) -> None:
        if self.practice is None:
            await self.conductor.note(texts.EXERCISE_NONE, "warning")
            return
        self.report = await self.practice.next_hint()
        self.conductor.view.lesson_changed()

    def report_text(self) -> str:
        report, lang, practice = self.report, self.conductor.t.language, self.practice
        if report is None or practice is None:
            return ""
        text = report.text(lang) if isinstance(report, CheckResult) else report.render(lang)
        return for_tutor(text, practice.exercise.id)
