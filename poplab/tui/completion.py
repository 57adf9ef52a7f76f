"""The command line's helpers, without Textual: completion of the POP3 keywords and the argument form shown as a
suggestion (both from the core's command table, e.g. ``RETR <msg>``), and the history of typed lines."""

from __future__ import annotations

from poplab.protocol.table import COMMANDS

KEYWORDS: tuple[str, ...] = tuple(COMMANDS)


def _candidates(word: str) -> list[str]:
    upper = word.upper()
    return [verb for verb in KEYWORDS if verb.startswith(upper)]


def _arguments(verb: str) -> list[str]:
    return COMMANDS[verb].syntax.split()[1:]


def suggestion(value: str) -> str | None:
    """``value`` continued by the rest of a keyword and its argument form: ``re`` → ``reTR <msg>``,
    ``TOP 1 `` → ``TOP 1 <lines>``. None when there is nothing to add."""
    if not value.strip() or value.startswith((" ", "/")):
        return None
    words = value.split()
    spaced = value.endswith(" ")
    if len(words) == 1 and not spaced:
        candidates = _candidates(words[0])
        if not candidates:
            return None
        verb = candidates[0]
        rest = " ".join(_arguments(verb))
        shown = value + verb[len(words[0]) :] + (f" {rest}" if rest else "")
        return shown if shown != value else None
    verb = words[0].upper()
    if verb not in COMMANDS or (verb == "PASS" and len(words) > 1):
        return None
    remaining = _arguments(verb)[len(words) - 1 :]
    if not remaining:
        return None
    return value + ("" if spaced else " ") + " ".join(remaining)


def complete(value: str) -> str | None:
    """Tab: the keyword completed as far as it is unambiguous (with a space when arguments follow); None when
    there is nothing to complete. Argument placeholders are never inserted."""
    words = value.split()
    if len(words) != 1 or value.endswith(" ") or value.startswith("/"):
        return None
    candidates = _candidates(words[0])
    if not candidates:
        return None
    if len(candidates) == 1:
        verb = candidates[0]
        return verb + (" " if _arguments(verb) else "")
    common = candidates[0]
    for other in candidates[1:]:
        while not other.startswith(common):
            common = common[:-1]
    return common if len(common) > len(words[0]) else None


class History:
    """Typed lines, newest last; ``older``/``newer`` walk through them, keeping the line being typed."""

    def __init__(self, limit: int = 500) -> None:
        self.lines: list[str] = []
        self.limit = limit
        self._position: int | None = None
        self._draft = ""

    def add(self, line: str) -> None:
        if line and (not self.lines or self.lines[-1] != line):
            self.lines.append(line)
            del self.lines[: -self.limit]
        self._position = None

    def older(self, current: str) -> str | None:
        if not self.lines:
            return None
        if self._position is None:
            self._draft = current
            self._position = len(self.lines)
        if self._position == 0:
            return None
        self._position -= 1
        return self.lines[self._position]

    def newer(self) -> str | None:
        if self._position is None:
            return None
        self._position += 1
        if self._position >= len(self.lines):
            self._position = None
            return self._draft
        return self.lines[self._position]
