"""What every handout is made of: the annotations of a transcript, each with the exact bytes it covers (client
secrets redacted unless asked), grouped the way the diagrams draw them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from poplab.annotate import Annotation, Kind, annotate
from poplab.handout import texts
from poplab.i18n import Translator
from poplab.transcript import TranscriptLine, redact_command, split_lines

BODIES = frozenset({Kind.LISTING, Kind.MESSAGE, Kind.TERMINATOR})
"""The kinds that are the body of the status line before them."""


@dataclass(frozen=True)
class Entry:
    """One annotation with the wire lines it covers (each with its line end), redacted if asked."""

    annotation: Annotation
    wire: tuple[bytes, ...]

    @property
    def closed(self) -> bool:
        return self.annotation.kind is Kind.CLOSED


def entries(lines: Iterable[TranscriptLine], lang: str | None = "en", redact: bool = True) -> list[Entry]:
    """The annotated lines of a transcript (its end of transcript note included when it says something)."""
    return [entry_of(annotation, redact) for annotation in annotate(lines, lang)]


def entry_of(annotation: Annotation, redact: bool = True) -> Entry:
    wire = tuple(split_lines(annotation.raw))
    if redact and annotation.direction == "C":
        sasl = annotation.kind is Kind.SASL_RESPONSE
        wire = tuple(redact_command(raw, sasl_response=sasl) for raw in wire)
    return Entry(annotation, wire)


def closed_sentence(annotation: Annotation, t: Translator) -> str:
    """The closed marker as a sentence in the learner's language."""
    return t(texts.CLIENT_CLOSED if annotation.direction == "C" else texts.SERVER_CLOSED)


@dataclass(frozen=True)
class Step:
    """One arrow of the sequence diagram: a command, a reply (with its body), or the connection's end."""

    direction: str
    label: str
    line_count: int
    annotations: tuple[Annotation, ...]

    @property
    def first(self) -> Annotation:
        return self.annotations[0]

    @property
    def error(self) -> bool:
        return self.first.ok is False

    @property
    def closed(self) -> bool:
        return self.first.kind is Kind.CLOSED

    @property
    def tls(self) -> bool:
        return self.first.tls

    @property
    def state(self) -> object:
        return self.annotations[-1].state_after


def steps(annotations: Sequence[Annotation]) -> list[Step]:
    """The arrows: a status line and the body after it are one arrow with their line count; the end of the
    transcript is no arrow."""
    out: list[Step] = []
    for annotation in annotations:
        if annotation.kind is Kind.END:
            continue
        previous = out[-1] if out else None
        if annotation.kind in BODIES and previous is not None and _opens_body(previous, annotation):
            merged = (*previous.annotations, annotation)
            out[-1] = Step(previous.direction, previous.label, previous.line_count + annotation.line_count, merged)
            continue
        label = annotation.lines[0] if annotation.lines else ""
        out.append(Step(annotation.direction or "S", label, max(annotation.line_count, 0), (annotation,)))
    return out


def _opens_body(previous: Step, body: Annotation) -> bool:
    status = previous.annotations[-1]
    return len(previous.annotations) == 1 and status.direction == "S" and status.ok is True and status.verb == body.verb
