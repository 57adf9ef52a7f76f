"""The Lesson pane (the lessons and the classroom exercises to choose from, with what is done; the running
lesson's steps or the exercise's task and last check) and the lesson bar above the command line that always
shows what to do next and how the last attempt went."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from poplab.exercises import Exercise
from poplab.i18n import Translator, translator
from poplab.tui import texts
from poplab.tui.coach import Coach
from poplab.tui.lessons import LESSONS, Step
from poplab.tui.tour import Progress, Tour

STEP_MARKS = {-1: ("✓", "$text-muted"), 0: ("▶", "bold"), 1: ("·", "")}
"""Steps done, the current step, steps to come."""
Choice = tuple[Literal["lesson", "exercise"], str]


def unwrap(text: str) -> str:
    """A text wrapped by hand (as in an exercise file) as paragraphs that wrap to the pane."""
    paragraphs = (" ".join(part.split()) for part in text.strip().split("\n\n"))
    return "\n\n".join(paragraphs)


def instruction(step: Step, t: Translator) -> str:
    return t(step.say, command=step.command)


class LessonList(OptionList):
    DEFAULT_CSS = """
    LessonList, LessonList:focus { height: 1fr; min-height: 3; border: none; padding: 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices: dict[str, Choice] = {}

    def fill(self, progress: Progress, exercises: tuple[Exercise, ...], done: set[str], t: Translator) -> None:
        highlighted = self.highlighted
        options: list[Option] = []
        for number, lesson in enumerate(LESSONS, 1):
            state = progress.get(lesson.key)
            mark = f"✓ {t(texts.LESSON_FINISHED_MARK)}" if state.finished else f"{state.reached}/{len(lesson.steps)}"
            prompt = Content(f"{number}. {t(lesson.title)} ") + Content.styled(f"({mark})", "$text-muted")
            options.append(Option(prompt, id=f"lesson-{lesson.key}"))
        if exercises:
            options.append(Option(Content.styled(t(texts.EXERCISES), "bold $text-accent"), disabled=True))
        for exercise in exercises:
            prompt = Content(f"{exercise.id}. {exercise.title.render(t.language)}")
            if exercise.id in done:
                prompt += Content.styled(f" (✓ {t(texts.LESSON_FINISHED_MARK)})", "$text-muted")
            options.append(Option(prompt, id=f"exercise-{exercise.id}"))
        self.choices = {f"lesson-{lesson.key}": ("lesson", lesson.key) for lesson in LESSONS}
        self.choices.update({f"exercise-{e.id}": ("exercise", e.id) for e in exercises})
        self.set_options(options)
        self.highlighted = highlighted if highlighted is not None else 0


class LessonPane(Vertical):
    DEFAULT_CSS = """
    LessonPane { height: 1fr; }
    LessonPane > #lesson-hint { height: auto; padding: 0 1; color: $text-muted; }
    LessonPane > #lesson-details { height: 1fr; padding: 0 1; border-top: hkey $primary 40%; }
    LessonPane > #lesson-details.-empty { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t: Translator = translator("en")
        self.exercises: tuple[Exercise, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-hint", markup=False)
        yield LessonList(id="lesson-list")
        with VerticalScroll(id="lesson-details"):
            yield Static(id="lesson-steps", markup=False)

    def show(self, coach: Coach) -> None:
        t = self.t
        self.query_one("#lesson-hint", Static).update(t(texts.LESSON_PICK))
        self.query_one(LessonList).fill(coach.progress, self.exercises, coach.exercises_done(), t)
        self.query_one("#lesson-steps", Static).update(self._details(coach))
        self.query_one("#lesson-details").set_class(coach.tour is None and coach.practice is None, "-empty")

    def _details(self, coach: Coach) -> Content:
        if coach.practice is not None:
            task = unwrap(coach.practice.task(self.t.language))
            report = coach.report_text()
            title = Content.styled(coach.practice.title(self.t.language), "bold")
            return Content("\n").join([title, Content(task), Content(""), Content(report)])
        return self._steps(coach.tour)

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
    """One or two lines above the command line while a lesson or an exercise runs."""

    DEFAULT_CSS = """
    LessonBar { height: auto; max-height: 3; padding: 0 1; background: $boost; display: none; }
    LessonBar.-active { display: block; }
    LessonBar.-wrong { color: $text-warning; }
    """

    def show(self, coach: Coach, t: Translator) -> None:
        tour, practice = coach.tour, coach.practice
        self.set_class(tour is not None or practice is not None, "-active")
        self.set_class(coach.feedback_wrong and tour is not None, "-wrong")
        if practice is not None:
            report = coach.report_text().strip().splitlines()
            bar = t(texts.EXERCISE_BAR, title=practice.title(t.language))
            self.update(f"{report[-1]}\n{bar}" if report else bar)
            return
        if tour is None:
            self.update("")
            return
        step, feedback = tour.step, coach.feedback_text()
        if step is None:
            text = f"{t(tour.lesson.title)}: {t(texts.LESSON_DONE)}"
        else:
            where = t(texts.LESSON_STEP, number=tour.index + 1, total=len(tour.lesson.steps))
            text = f"{t(tour.lesson.title)} · {where}: {instruction(step, t)}"
        self.update(f"{feedback}\n{text}" if feedback else text)
