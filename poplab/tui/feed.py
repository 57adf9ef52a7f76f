"""The annotated transcript behind the transcript pane, without Textual: transcript lines go in, the annotator's
annotations come out (in the learner's language), and the tutor's notes keep their place among them.

Switching the language annotates the whole transcript again in the new language.
"""

from __future__ import annotations

from poplab.annotate.annotator import Annotator
from poplab.annotate.model import Annotation
from poplab.transcript import TranscriptLine
from poplab.tui.entries import Item, Note, merge


class Feed:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[TranscriptLine] = []
        self.annotations: list[Annotation] = []
        self.notes: list[Note] = []
        self._annotator = Annotator(lang)

    def add(self, line: TranscriptLine) -> list[Annotation]:
        """Record a line; the annotations it completes (none while a body is still arriving)."""
        self.lines.append(line)
        new = self._annotator.feed(line)
        self.annotations.extend(new)
        return new

    def note(self, text: str, severity: str = "info", detail: str = "", **values: object) -> Note:
        note = Note(
            len(self.lines),
            text,
            tuple((key, str(value)) for key, value in values.items()),
            severity,  # type: ignore[arg-type]
            detail,
        )
        self.notes.append(note)
        return note

    def items(self) -> list[Item]:
        return merge(self.annotations, self.notes)

    def relanguage(self, lang: str) -> list[Item]:
        """Annotate everything again in ``lang``; the items in order."""
        self.lang = lang
        self._annotator = Annotator(lang)
        self.annotations = [annotation for line in self.lines for annotation in self._annotator.feed(line)]
        return self.items()
