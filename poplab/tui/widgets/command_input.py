"""The command line: a one-line input with a ``C:`` look, history on ↑/↓, Tab completing the POP3 keyword and a
suggester that shows the argument form (``RETR <msg>``); → at the end takes the keyword, never the placeholder.

Enter, Tab and ↑/↓ are handled in the input's own key handler, in the order the keys arrived — not as bindings,
which Textual resolves only after the key has bubbled up to the app, when the keys typed after Enter are already
in the line. So a burst of keys (fast typing, a paste without bracketed paste, tmux ``send-keys``) submits exactly
the line typed before each Enter, once. A bracketed paste of several lines submits each complete line in order and
leaves an unfinished last line in the input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from poplab.tui.completion import History, complete, suggestion


class SyntaxSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return suggestion(value)


def paste_lines(text: str) -> tuple[list[str], str]:
    """A pasted text as the complete lines it holds (blank ones too: in an SMTP mail they part the header from
    the body) and the unfinished rest."""
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return parts[:-1], parts[-1]


class CommandInput(Input, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        replace(binding, key=binding.key.replace(",ctrl+d", "")) if isinstance(binding, Binding) else binding
        for binding in Input.BINDINGS
    ]
    """Input's keys but Ctrl+D, which drops the connection here (as it ends ``poplab talk``); Delete still deletes
    to the right."""

    @dataclass
    class Line(Message):
        """A line the learner entered (Enter, or a complete line of a paste); the command line is empty again."""

        line: str
        paste: int = 0
        """On the first line of a multi-line paste: how many lines the paste holds."""
        pasted: bool = False
        """The line came from a paste (a blank one is then passed over quietly, outside an SMTP mail)."""

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, placeholder=placeholder, suggester=SyntaxSuggester(), compact=True)
        self.history = History()

    async def _on_key(self, event: events.Key) -> None:
        handlers: dict[str, Callable[[], None]] = {
            "enter": self.submit_line,
            "ctrl+j": self.submit_line,  # a line feed: what some terminals send for a pasted line end
            "tab": self.action_complete,
            "up": lambda: self.action_history(-1),
            "down": lambda: self.action_history(1),
        }
        handler = handlers.get(event.key)
        if handler is None:
            return  # Input's own handler (Textual calls it next) types the character
        event.stop()
        event.prevent_default()
        self._restart_blink()  # as Input does for every key: the cursor shows at once
        handler()

    def submit_line(self, paste: int = 0, pasted: bool = False) -> None:
        """Hand the current line on and empty the command line at once, before the next key is taken."""
        line = self.value
        self.value = ""
        self.history.add(line)
        self.post_message(self.Line(line, paste, pasted))

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler would insert the first line once more
        lines, rest = paste_lines(event.text)
        for number, line in enumerate(lines):
            self.insert_text_at_cursor(line)
            self.submit_line(paste=len(lines) if number == 0 and len(lines) > 1 else 0, pasted=True)
        if rest:
            self.insert_text_at_cursor(rest)

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
