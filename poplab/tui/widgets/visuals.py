"""A transcript entry's shape: rows of text, each with a hanging indent, so a wrapped explanation or a long line
stays under its text and the ``C:`` / ``S:`` column stays clear. A Textual :class:`Visual` over
:class:`Content` rows, so theme variables (``$accent``) keep working."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


@dataclass(frozen=True)
class Row:
    """``lead`` is printed on the first line (``S: ``); ``text`` wraps, continuing under itself."""

    text: Content
    lead: Content | None = None
    indent: int = 0

    @property
    def offset(self) -> int:
        return max(self.lead.cell_length if self.lead is not None else 0, self.indent)


class Rows(Visual):
    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = tuple(rows)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        widths = (row.offset + row.text.get_optimal_width(rules, container_width - row.offset) for row in self.rows)
        return max(widths, default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(max(1, row.text.get_height(rules, max(1, width - row.offset))) for row in self.rows)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips: list[Strip] = []
        rich_style = style.rich_style
        for row in self.rows:
            inner = max(1, width - row.offset)
            lines = row.text.render_strips(inner, None, style, options) or [Strip.blank(inner, rich_style)]
            lead = row.lead.render_strips(row.offset, 1, style, options) if row.lead else []
            for number, line in enumerate(lines):
                left = lead[0] if number == 0 and lead else Strip.blank(row.offset, rich_style)
                strips.append(Strip.join([left.crop_pad(row.offset, 0, 0, rich_style), line]))
        return strips[:height] if height is not None else strips
