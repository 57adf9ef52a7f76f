"""``session.transcript.diagram()`` and ``exchange.diagram()``: the sequence diagram of a session (client and
server lifelines, an arrow per command and reply, the state bands, -ERR in red, the TLS switch) and the state
diagram with the path the session took — as SVG in the notebook, as text in ``repr``, both from
:mod:`poplab.handout`, in the lab's language. Passwords are redacted: the diagrams are drawn from the annotations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from poplab import handout
from poplab.annotate.model import Annotation
from poplab.handout import texts as handout_texts
from poplab.i18n import translator
from poplab.notebook import render as r

TEXT_WIDTH = 100
"""Characters per line of the text diagram (``repr``)."""


class Diagram:
    """The diagrams of some annotated lines; ``states`` adds the state diagram under the sequence."""

    def __init__(self, annotations: Sequence[Annotation], lang: str, states: bool = True) -> None:
        self.annotations = tuple(annotations)
        self.lang = lang
        self.states = states

    @property
    def svg(self) -> str:
        """The sequence diagram: one ``<svg>`` element, no scripts, nothing loaded from elsewhere."""
        return handout.sequence_svg(self.annotations, self.lang)

    @property
    def state_svg(self) -> str:
        return handout.state_svg(self.annotations, self.lang)

    def save(self, path: str | Path) -> Path:
        """Write the sequence diagram as an SVG file (opens in a browser or Inkscape)."""
        target = Path(path)
        target.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + self.svg + "\n", encoding="utf-8")
        return target

    def _repr_html_(self) -> str:
        t = translator(self.lang)
        parts = [r.paragraph(f"<b>{r.esc(t(handout_texts.SEQUENCE))}</b>"), self.svg]
        if self.states:
            parts += [r.paragraph(f"<b>{r.esc(t(handout_texts.STATES))}</b>"), self.state_svg]
        return r.box("".join(parts), "diagram")

    def __repr__(self) -> str:
        text = handout.sequence_text(self.annotations, TEXT_WIDTH, self.lang)
        if self.states:
            text += "\n\n" + handout.state_text(self.annotations, self.lang)
        return text


def folded_html(annotations: Sequence[Annotation], lang: str) -> str:
    """The sequence diagram under a summary line that folds it away (for the transcript view)."""
    t = translator(lang)
    svg = handout.sequence_svg(annotations, lang)
    return f"<details open><summary>{r.esc(t(handout_texts.SEQUENCE))}</summary>{svg}</details>"
