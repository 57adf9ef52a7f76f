"""The seam to the annotator: a session's lines in, one annotation per line (or per multi-line body) out, in the
learner's language — cached, so rendering an exchange twice does not annotate twice."""

from __future__ import annotations

from collections.abc import Sequence

from poplab.annotate import annotate
from poplab.annotate.model import Annotation, Kind
from poplab.transcript import Transcript, TranscriptLine

SHOWN = frozenset(Kind) - {Kind.END}
"""The transcript's end is no line of an exchange; everything else is shown."""


class Notes:
    """Annotations of a growing list of lines, recomputed only when lines were added or the language changed."""

    def __init__(self, lines: list[TranscriptLine]) -> None:
        self._lines = lines
        self._cache: tuple[int, str, list[Annotation]] | None = None

    def all(self, lang: str) -> list[Annotation]:
        count = len(self._lines)
        if self._cache is None or self._cache[:2] != (count, lang):
            self._cache = (count, lang, annotate(Transcript(self._lines[:count]), lang))
        return self._cache[2]

    def between(self, start: int, end: int, lang: str) -> list[Annotation]:
        """The annotations of the lines ``start`` up to (not including) ``end``."""
        return [a for a in self.all(lang) if start <= a.index < end and a.kind in SHOWN]


def covered(annotation: Annotation, lines: Sequence[TranscriptLine]) -> Sequence[TranscriptLine]:
    """The transcript lines one annotation explains (a whole multi-line body for a body annotation)."""
    return lines[annotation.index : annotation.index + max(1, annotation.line_count)]
