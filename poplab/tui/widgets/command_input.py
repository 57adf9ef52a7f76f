"""The command line: a one-line input with a ``C:`` look, history on ↑/↓, Tab completing the POP3 keyword and a
suggester that shows the argument form (``RETR <msg>``); → at the end takes the keyword, never the placeholder."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input

from poplab.tui.completion import History, complete, suggestion


class SyntaxSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return suggestion(value)


class CommandInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Previous command", show=False),
        Binding("down", "history(1)", "Next command", show=False),
        Binding("tab", "complete", "Complete", show=False, priority=True),
    ]

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, placeholder=placeholder, suggester=SyntaxSuggester(), compact=True)
        self.history = History()

    def action_history(self, step: int) -> None:
        line = self.history.older(self.value) if step < 0 else self.history.newer()
        if line is not None:
            self.value = line
            self.cursor_position = len(line)

    def action_complete(self) -> None:
        """Tab: complete the keyword; with nothing to complete, move the focus on as Tab usually does."""
        completed = complete(self.value)
        if completed is None:
            self.app.action_focus_next()
            return
        self.value = completed
        self.cursor_position = len(completed)

    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and self._suggestion:
            completed = complete(self.value)
            if completed is not None:
                self.value = completed
                self.cursor_position = len(completed)
            return
        super().action_cursor_right(select)
