"""The Lesson pane (the list of lessons with what is done, the running lesson's steps) and the lesson bar above
the command line that always shows what to do next and how the last attempt went."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static

from poplab.i18n import Translator, translator
from poplab.tui import texts
from poplab.tui.lessons import LESSONS, Step
from poplab.tui.tour import Progress, Tour

STEP_MARKS = {-1: ("✓", "$text-muted"), 0: ("▶", "bold"), 1: ("·", "")}
"""Steps done, the current step, steps to come."""


def instruction(step: Step, t: Translator) -> str:
    return t(step.say, command=step.command)


class LessonList(OptionList):
    DEFAULT_CSS = """
    LessonList { height: auto; max-height: 8; }
    """


class LessonPane(Vertical):
    DEFAULT_CSS = """
    LessonPane { height: 1fr; }
    LessonPane > #lesson-hint { height: auto; padding: 0 1; color: $text-muted; }
    LessonPane > #lesson-steps { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t: Translator = translator("en")

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-hint")
        yield LessonList(id="lesson-list")
        yield Static(id="lesson-steps")

    def show(self, progress: Progress, tour: Tour | None) -> None:
        t = self.t
        self.query_one("#lesson-hint", Static).update(t(texts.LESSON_PICK))
        lessons = self.query_one(LessonList)
        highlighted = lessons.highlighted
        lessons.set_options(self._lesson_prompt(n, progress) for n in range(len(LESSONS)))
        lessons.highlighted = highlighted if highlighted is not None else 0
        self.query_one("#lesson-steps", Static).update(self._steps(tour))

    def _lesson_prompt(self, number: int, progress: Progress) -> Content:
        lesson = LESSONS[number]
        state = progress.get(lesson.key)
        mark = f"✓ {self.t(texts.LESSON_FINISHED_MARK)}" if state.finished else f"{state.reached}/{len(lesson.steps)}"
        return Content(f"{number + 1}. {self.t(lesson.title)} ") + Content.styled(f"({mark})", "$text-muted")

    def _steps(self, tour: Tour | None) -> Content:
        if tour is None:
            return Content("")
        t = self.t
        rows = [Content.styled(t(tour.lesson.title), "bold"), Content(t(tour.lesson.intro))]
        for number, step in enumerate(tour.lesson.steps):
            mark, style = STEP_MARKS[(number > tour.index) - (number < tour.index)]
            rows.append(Content.styled(f"{mark} {instruction(step, t)}", style))
        return Content("\n").join(rows)


class LessonBar(Static):
    """One or two lines above the command line while a lesson runs."""

    DEFAULT_CSS = """
    LessonBar { height: auto; max-height: 3; padding: 0 1; background: $boost; display: none; }
    LessonBar.-active { display: block; }
    LessonBar.-wrong { color: $text-warning; }
    """

    def show(self, tour: Tour | None, feedback: str, t: Translator, wrong: bool = False) -> None:
        self.set_class(tour is not None, "-active")
        self.set_class(wrong, "-wrong")
        if tour is None:
            self.update("")
            return
        step = tour.step
        total = len(tour.lesson.steps)
        if step is None:
            text = f"{t(tour.lesson.title)}: {t(texts.LESSON_DONE)}"
        else:
            where = t(texts.LESSON_STEP, number=tour.index + 1, total=total)
            text = f"{t(tour.lesson.title)} · {where}: {instruction(step, t)}"
        self.update(f"{feedback}\n{text}" if feedback else text)
