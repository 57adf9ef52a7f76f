"""What a self-check shows: ✓ or "Not yet", what was sent and the server's real reply, a hint and notes, and the
annotated exchanges that led there — styled HTML and a readable plain text, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from poplab.i18n import resolve_language, translator
from poplab.notebook import render as r
from poplab.notebook import texts


@dataclass(frozen=True)
class Both:
    """A task's own text, written in both languages next to its check."""

    en: str
    de: str

    def render(self, lang: str) -> str:
        return self.de if resolve_language(lang) == "de" else self.en


@dataclass(frozen=True)
class Outcome:
    """What one check found, before it is put in the learner's language."""

    passed: bool
    hint: Both | str = ""
    sent: tuple[str, ...] = ()
    said: tuple[str, ...] = ()
    notes: tuple[Both | str, ...] = ()
    shown: tuple[Any, ...] = ()
    """Objects rendered under the verdict (exchanges, an eavesdropper's capture)."""


def _text(value: Both | str, lang: str) -> str:
    return value.render(lang) if isinstance(value, Both) else value


@dataclass(frozen=True)
class Verdict:
    """``check("01-1")``'s result: renders as the styled verdict; ``passed`` for code."""

    task: str
    outcome: Outcome
    lang: str

    @property
    def passed(self) -> bool:
        return self.outcome.passed

    @property
    def hint(self) -> str:
        return _text(self.outcome.hint, self.lang)

    def _lines(self) -> tuple[str, list[str]]:
        t = translator(self.lang)
        head = t(texts.CHECK_PASSED) if self.passed else t(texts.CHECK_NOT_YET)
        body = []
        if self.outcome.sent:
            body.append(f"{t(texts.CHECK_YOU_SENT)} " + " · ".join(self.outcome.sent))
        if self.outcome.said:
            body.append(f"{t(texts.CHECK_SERVER_SAID)} " + " · ".join(self.outcome.said))
        if self.hint and not self.passed:
            body.append(f"{t(texts.CHECK_HINT)} {self.hint}")
        body += [_text(note, self.lang) for note in self.outcome.notes]
        return head, body

    def _repr_html_(self) -> str:
        t = translator(self.lang)
        head, _ = self._lines()
        parts = [r.paragraph(f"<b>{r.esc(head)}</b>", r.OK if self.passed else r.ERROR)]
        if self.outcome.sent:
            sent = " ".join(r.code(line, r.CLIENT, bold=True) for line in self.outcome.sent)
            parts.append(r.paragraph(f"{r.esc(t(texts.CHECK_YOU_SENT))} {sent}"))
        if self.outcome.said:
            said = "<br>".join(r.code(line, r.ERROR if line.startswith("-") else r.TEXT) for line in self.outcome.said)
            parts.append(r.paragraph(f"{r.esc(t(texts.CHECK_SERVER_SAID))}<br>{said}"))
        if self.hint and not self.passed:
            parts.append(r.paragraph(f"<b>{r.esc(t(texts.CHECK_HINT))}</b> {r.esc(self.hint)}"))
        parts += [r.paragraph(r.muted(_text(note, self.lang))) for note in self.outcome.notes]
        shown = "".join(item._repr_html_() for item in self.outcome.shown if hasattr(item, "_repr_html_"))
        return r.box("".join(parts), "verdict") + shown

    def __repr__(self) -> str:
        head, body = self._lines()
        return "\n".join([head, *body])
