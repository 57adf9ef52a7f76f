"""The class dashboard (``poplab classroom watch``): a live grid of students × exercises — ✓ done, ✗ in progress,
⚠ stuck, · not started, with the number of sessions — sortable (S, or a click on a column's header), with class
totals, and the notebook lessons' self-checks as columns of their own (``L01``: tasks done / tasks); select a cell
to list that student's sessions on the exercise, annotated, and open one in the replay. It
reads the classroom's data directory and redraws the cells that changed, twice a second (no refresh key). It
renders what the :class:`~poplab.tui.class_grid.ClassGrid` says; nothing is sent and nothing is served."""

from __future__ import annotations

import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from poplab.annotate import render
from poplab.annotate.model import Annotation
from poplab.exercises.record import SessionRecord
from poplab.i18n import N_
from poplab.tui import replay_texts as rtexts
from poplab.tui import texts
from poplab.tui.class_grid import SORTS, Cell, ClassGrid
from poplab.tui.replay import Replay
from poplab.tui.replay_files import from_record
from poplab.tui.screens.read_only import ReadOnlyScreen
from poplab.tui.screens.replay import ReplayScreen

POLL = 0.5
"""Seconds between two looks at the classroom's files."""
STYLES = {"done": "bold green", "stuck": "bold red", "working": "yellow", "new": "dim"}
TOTAL_ROW = "__totals__"
SORT_NAMES = {"name": rtexts.SORT_NAME, "done": rtexts.SORT_DONE, "stuck": rtexts.SORT_STUCK}
SORT_LESSON = N_("notebook lesson {lesson}")


class DashboardScreen(ReadOnlyScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", texts.HELP),
        Binding("f2", "app.switch_language", texts.LANGUAGE),
        Binding("s", "sort", rtexts.SORT),
        Binding("r", "replay", rtexts.OPEN_REPLAY),
        Binding("escape", "close_sessions", texts.CLOSE, show=False),
    ]
    DEFAULT_CSS = """
    DashboardScreen #dash-title { height: 1; background: $panel; padding: 0 1; text-style: bold; color: $text-accent; }
    DashboardScreen #grid { height: 1fr; }
    DashboardScreen #totals { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    DashboardScreen #sessions-pane { height: 10; display: none; border-top: hkey $primary 40%; }
    DashboardScreen.-sessions #sessions-pane { display: block; }
    DashboardScreen #sessions-title { height: 1; padding: 0 1; text-style: bold; }
    DashboardScreen #sessions { width: 30; height: 1fr; }
    DashboardScreen #session-text { width: 1fr; height: 1fr; overflow-y: auto; padding: 0 1; }
    """

    def __init__(self, grid: ClassGrid) -> None:
        super().__init__()
        self.grid = grid
        self.sort = "name"
        self.selected: tuple[str, str] | None = None
        self.updated = 0
        """How many times changed cells were redrawn (for tests and the benchmark)."""

    def compose(self) -> ComposeResult:
        yield Static(id="dash-title", markup=False)
        yield DataTable(id="grid", cursor_type="cell", zebra_stripes=True)
        yield Static(id="totals", markup=False)
        with Vertical(id="sessions-pane"):
            yield Static(id="sessions-title", markup=False)
            with Horizontal():
                yield OptionList(id="sessions")
                yield Static(id="session-text", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.relabel()
        self.set_interval(POLL, self.poll)
        self.set_focus(self.query_one(DataTable))

    # ---- the grid ---------------------------------------------------------------------------------------

    def relabel(self) -> None:
        t = self.tutor.t
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(t(rtexts.STUDENT), key="student")
        for exercise in self.grid.exercises:
            table.add_column(exercise.id, key=exercise.id)
        for column in self.grid.lesson_columns:
            table.add_column(column, key=column)
        table.add_column(t(rtexts.DONE), key="done")
        self.fill()
        if self.selected is not None:
            self.show_sessions(*self.selected)

    def fill(self) -> None:
        """Every row anew, in the chosen order, the totals last."""
        table, grid = self.query_one(DataTable), self.grid
        table.clear()
        for student in grid.order(self.sort):
            cells = [self._cell(grid.cell(student.slug, e.id)) for e in grid.exercises]
            cells += [self._lesson_cell(student.slug, column) for column in grid.lesson_columns]
            done = f"{grid.done(student.slug)}/{len(grid.exercises)}"
            table.add_row(Text(student.name[:20]), *cells, Text(done), key=student.slug)
        table.add_row(*self._totals_row(), key=TOTAL_ROW)
        self.show_totals()

    def _cell(self, cell: Cell) -> Text:
        return Text(cell.mark, style=STYLES[cell.status], justify="center")

    def _lesson_cell(self, slug: str, column: str) -> Text:
        mark = self.grid.lesson(slug, column).mark
        return Text(mark, style=STYLES[self.grid.lesson_status(slug, column)], justify="center")

    def _lesson_total(self, column: str) -> Text:
        done = sum(self.grid.lesson_status(s.slug, column) == "done" for s in self.grid.students)
        return Text(f"✓{done}", style="bold", justify="center")

    def _totals_row(self) -> list[Text]:
        grid = self.grid
        cells = [Text(f"✓{grid.totals(e.id)['done']}", style="bold", justify="center") for e in grid.exercises]
        cells += [self._lesson_total(column) for column in grid.lesson_columns]
        return [Text("Σ", style="bold"), *cells, Text("")]

    def show_totals(self) -> None:
        t, counts = self.tutor.t, self.grid.totals()
        cells = sum(counts.values())
        line = t(rtexts.TOTALS, cells=cells, **counts)
        sort = t(rtexts.SORTED_BY, key=self._sort_name())
        self.query_one("#totals", Static).update(f"{line} · {sort}\n{t(rtexts.LEGEND)}")
        self.query_one("#dash-title", Static).update(
            f"poplab · {t(rtexts.DASHBOARD_TITLE)} · {self.grid.classroom.dir}"
        )

    def _sort_name(self) -> str:
        t = self.tutor.t
        if self.sort in SORT_NAMES:
            return t(SORT_NAMES[self.sort])
        if self.sort in self.grid.lesson_columns:
            return t(SORT_LESSON, lesson=self.sort.removeprefix("L"))
        return t(rtexts.SORT_COLUMN, exercise=self.sort)

    def poll(self) -> None:
        """Look at the files; redraw only the cells that changed (and the order, when it depends on them)."""
        changed = self.grid.poll()
        if not changed:
            return
        if self.sort != "name":
            self.fill()
        else:
            table = self.query_one(DataTable)
            lessons = {(slug, column) for slug, column in changed if column in self.grid.lesson_columns}
            for slug, column in lessons:
                table.update_cell(slug, column, self._lesson_cell(slug, column))
                table.update_cell(TOTAL_ROW, column, self._lesson_total(column))
            changed = changed - lessons
            for slug, exercise in changed:
                table.update_cell(slug, exercise, self._cell(self.grid.cell(slug, exercise)))
                table.update_cell(slug, "done", Text(f"{self.grid.done(slug)}/{len(self.grid.exercises)}"))
            for exercise in {exercise for _, exercise in changed}:
                done = self.grid.totals(exercise)["done"]
                table.update_cell(TOTAL_ROW, exercise, Text(f"✓{done}", style="bold", justify="center"))
            self.show_totals()
        self.updated += 1
        if self.selected is not None and self.selected in changed:
            self.show_sessions(*self.selected)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)] if self.sort in SORTS else "name"
        self.fill()

    @on(DataTable.HeaderSelected, "#grid")
    def header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self.sort = {"student": "name", "done": "done"}.get(key, key)
        self.fill()

    # ---- a student's sessions ----------------------------------------------------------------------------

    @on(DataTable.CellSelected, "#grid")
    def cell_selected(self, event: DataTable.CellSelected) -> None:
        slug, column = str(event.cell_key.row_key.value), str(event.cell_key.column_key.value)
        if slug == TOTAL_ROW or column in ("student", "done", *self.grid.lesson_columns):
            return
        self.show_sessions(slug, column)

    def show_sessions(self, slug: str, exercise: str) -> None:
        t, grid = self.tutor.t, self.grid
        self.selected = (slug, exercise)
        self.add_class("-sessions")
        sessions = grid.sessions(slug, exercise)
        name = next((s.name for s in grid.students if s.slug == slug), slug)
        title = t(rtexts.SESSIONS_OF, student=name, exercise=exercise, count=len(sessions))
        self.query_one("#sessions-title", Static).update(title)
        options = self.query_one("#sessions", OptionList)
        options.clear_options()
        options.add_options(Option(self._session_label(record), id=_key(record)) for record in reversed(sessions))
        if sessions:
            options.highlighted = 0
        else:
            self.query_one("#session-text", Static).update(t(rtexts.NO_SESSIONS))

    def _session_label(self, record: SessionRecord) -> str:
        when = datetime.datetime.fromtimestamp(record.closed or record.opened).strftime("%H:%M:%S")
        if record.protocol == "smtp":
            refused = sum(1 for line in record.lines if line.direction == "S" and line.raw[:1] in (b"4", b"5"))
            return self.tutor.t(rtexts.SMTP_SESSION_ROW, id=record.id, time=when, end=record.end, errors=refused)
        errors = sum(1 for exchange in record.exchanges() if exchange.ok is False)
        return self.tutor.t(rtexts.SESSION_ROW, id=record.id, time=when, end=record.end, errors=errors)

    def _record(self, option_id: str | None) -> SessionRecord | None:
        if self.selected is None or option_id is None:
            return None
        sessions = self.grid.sessions(*self.selected)
        return next((record for record in sessions if _key(record) == option_id), None)

    @on(OptionList.OptionHighlighted, "#sessions")
    def session_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        record = self._record(event.option.id)
        if record is None:
            return
        replay = Replay(from_record(record, ""), self.tutor.t.language)
        annotations = [item for item in replay.items if isinstance(item, Annotation)]
        self.query_one("#session-text", Static).update(render(annotations, self.tutor.t.language))

    @on(OptionList.OptionSelected, "#sessions")
    def session_chosen(self, event: OptionList.OptionSelected) -> None:
        self.open_replay(self._record(event.option.id))

    def action_replay(self) -> None:
        options = self.query_one("#sessions", OptionList)
        index = options.highlighted
        if index is not None:
            self.open_replay(self._record(options.get_option_at_index(index).id))

    def open_replay(self, record: SessionRecord | None) -> None:
        if record is None or self.selected is None:
            return
        slug, exercise = self.selected
        located = self.grid.classroom.locate(f"{slug}-{exercise}")
        messages = self.grid.classroom.variant(*located).messages if located is not None else None
        recording = from_record(record, f"{slug}-{exercise} #{record.id}", messages)
        self.app.push_screen(ReplayScreen(Replay(recording, self.tutor.t.language)))

    def action_close_sessions(self) -> None:
        self.selected = None
        self.remove_class("-sessions")
        self.set_focus(self.query_one(DataTable))


def _key(record: SessionRecord) -> str:
    """A session's key in the list: the POP3 and SMTP servers number their sessions apart (exercise 16 has both)."""
    return f"{record.protocol}-{record.id}"
