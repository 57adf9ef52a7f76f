"""The state diagram: RFC 1939's three states and the commands that move between them, with the path this session
took and where it stands now highlighted. The commands that keep a state come from the core's command table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from poplab.annotate import Annotation, Kind
from poplab.handout import texts
from poplab.i18n import translator
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS

AUTH, TRANS, UPDATE = State.AUTHORIZATION, State.TRANSACTION, State.UPDATE
START, END = "start", "end"
Node = State | str


def staying_verbs(state: State) -> list[str]:
    """The verbs legal in ``state`` that do not leave it (the table's rows without a success state, QUIT aside)."""
    return [
        verb
        for verb, spec in COMMANDS.items()
        if state in spec.states and verb != "QUIT" and spec.success_state is None
    ]


@dataclass
class Path:
    """What a session did: the states it was in (with the commands sent in each), the moves it made, where it is."""

    segments: list[tuple[Node, list[str]]] = field(default_factory=list)
    edges: set[tuple[Node, Node]] = field(default_factory=set)
    used: dict[Node, set[str]] = field(default_factory=dict)
    now: Node | None = None

    def _go(self, node: Node) -> None:
        if self.segments and self.segments[-1][0] == node:
            return
        if self.segments:
            self.edges.add((self.segments[-1][0], node))
        self.segments.append((node, []))
        self.now = node


def path_of(annotations: Sequence[Annotation]) -> Path:
    path = Path()
    for annotation in annotations:
        if annotation.kind is Kind.END:
            continue
        if not path.segments or path.now == END:
            path._go(START)
        if annotation.kind is Kind.CLOSED:
            path._go(annotation.state_before)
            path._go(END)
            continue
        path._go(annotation.state_before)
        if annotation.direction == "C" and annotation.verb:
            path.segments[-1][1].append(annotation.verb)
            path.used.setdefault(annotation.state_before, set()).add(annotation.verb)
        path._go(annotation.state_after)
    return path


_BOXES: dict[Node, tuple[int, int, int, int]] = {
    AUTH: (50, 80, 150, 44),
    TRANS: (330, 80, 160, 44),
    UPDATE: (590, 80, 120, 44),
}
_DOTS: dict[Node, tuple[int, int]] = {START: (16, 102), END: (415, 225)}
WIDTH, HEIGHT = 720, 262
_EDGES: list[tuple[Node, Node, str, tuple[int, int, str]]] = [
    # source, target, the path, where its label goes (x, y, anchor)
    (START, AUTH, "M24,102 L50,102", (6, 128, "start")),
    (AUTH, TRANS, "M200,102 L330,102", (265, 118, "middle")),
    (TRANS, UPDATE, "M490,102 L590,102", (540, 96, "middle")),
    (AUTH, END, "M125,124 C125,215 300,225 405,225", (190, 200, "middle")),
    (TRANS, END, "M415,124 L415,215", (422, 150, "start")),
    (UPDATE, END, "M650,124 C650,215 530,225 425,225", (634, 160, "end")),
]
_LABELS = {
    (START, AUTH): texts.GREETING_EDGE,
    (AUTH, TRANS): texts.LOGIN_EDGE,
    (TRANS, UPDATE): texts.QUIT_EDGE,
    (AUTH, END): texts.QUIT_EDGE,
    (TRANS, END): texts.LOST_EDGE,
    (UPDATE, END): texts.UPDATE_EDGE,
}


def state_svg(annotations: Sequence[Annotation], lang: str | None = "en") -> str:
    """An ``<svg>`` element of the state diagram with this session's path in bold colour and "now" marked."""
    t = translator(lang)
    path = path_of(annotations)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="poplab-states" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(t(texts.STATES))}" '
        'font-family="system-ui,sans-serif" font-size="11">',
        '<defs><marker id="poplab-state-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
        '<path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>',
    ]
    for source, target, d, where in _EDGES:
        out += _edge(d, t(_LABELS[source, target]), where, (source, target) in path.edges)
    for state in (AUTH, TRANS):
        out += _loop(state, path)
    for node, (x, y, w, h) in _BOXES.items():
        out += _box(node, x, y, w, h, path, t(texts.CURRENT))
    for node, (x, y) in _DOTS.items():
        out += _dot(node, x, y, path, t(texts.START) if node == START else t(texts.END))
    out.append("</svg>")
    return "\n".join(out)


def _dot(node: Node, x: int, y: int, path: Path, name: str) -> list[str]:
    on = any(node in edge for edge in path.edges) or path.now == node
    css, fill = ("dot path", "#1a7f37") if on else ("dot", "#8c959f")
    out = [f'<circle class="{css}" cx="{x}" cy="{y}" r="7" fill="{fill}"/>']
    if path.now == node:
        out.append(f'<circle class="now" cx="{x}" cy="{y}" r="11" fill="none" stroke="#cf222e" stroke-width="2"/>')
    below = node == END
    out.append(
        f'<text x="{x if below else 4}" y="{y + (26 if below else -16)}" '
        f'text-anchor="{"middle" if below else "start"}">{escape(name)}</text>'
    )
    return out


def _wrapped(text: str, limit: int = 18) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _edge(d: str, label: str, where: tuple[int, int, str], taken: bool) -> list[str]:
    color, width, css = ("#1a7f37", 3, "edge path") if taken else ("#8c959f", 1.2, "edge")
    x, y, anchor = where
    weight = "bold" if taken else "normal"
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if number == 0 else 12}">{escape(line)}</tspan>'
        for number, line in enumerate(_wrapped(label))
    )
    return [
        f'<path class="{css}" d="{d}" fill="none" stroke="{color}" stroke-width="{width}" '
        'marker-end="url(#poplab-state-arrow)"/>',
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="{color}" font-size="10" '
        f'font-weight="{weight}">{spans}</text>',
    ]


def _loop(state: State, path: Path) -> list[str]:
    x, y, w, _ = _BOXES[state]
    used = path.used.get(state, set())
    words = []
    for verb in staying_verbs(state):
        style = ' font-weight="bold" fill="#1a7f37"' if verb in used else ' fill="#57606a"'
        words.append(f"<tspan{style}>{verb}</tspan>")
    taken = bool(used - {"PASS", "APOP", "AUTH", "QUIT"})
    color = "#1a7f37" if taken else "#8c959f"
    d = f"M{x + w // 2 - 30},{y} C{x + w // 2 - 40},{y - 40} {x + w // 2 + 40},{y - 40} {x + w // 2 + 30},{y}"
    return [
        f'<path class="{"loop path" if taken else "loop"}" d="{d}" fill="none" stroke="{color}" '
        f'stroke-width="{3 if taken else 1.2}" marker-end="url(#poplab-state-arrow)"/>',
        f'<text x="{x + w // 2}" y="{y - 36}" text-anchor="middle" font-size="10">{" ".join(words)}</text>',
    ]


def _box(node: Node, x: int, y: int, w: int, h: int, path: Path, now: str) -> list[str]:
    visited = any(segment[0] == node for segment in path.segments)
    fill, stroke, width = ("#dff3e4", "#1a7f37", 3) if visited else ("#f6f8fa", "#8c959f", 1.2)
    out = [
        f'<rect class="{"state path" if visited else "state"}" x="{x}" y="{y}" width="{w}" height="{h}" rx="8" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>',
        f'<text x="{x + w // 2}" y="{y + h // 2 + 4}" text-anchor="middle" font-weight="bold" '
        f'font-size="12">{node}</text>',
    ]
    if path.now == node:
        out.append(
            f'<rect class="now" x="{x - 4}" y="{y - 4}" width="{w + 8}" height="{h + 8}" rx="10" fill="none" '
            'stroke="#cf222e" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        out.append(f'<text x="{x + w - 4}" y="{y + h + 14}" text-anchor="end" fill="#cf222e">◆ {escape(now)}</text>')
    return out


def state_text(annotations: Sequence[Annotation], lang: str | None = "en") -> str:
    """The state diagram as text: the three states with the commands that stay in each and the moves between
    them, then the path this session took (commands in brackets) and where it is now (◆)."""
    t = translator(lang)
    path = path_of(annotations)
    mark = {node: "●" if any(s[0] == node for s in path.segments) else "○" for node in (AUTH, TRANS, UPDATE)}
    lines = [
        f"{t(texts.STATES)}",
        f"  {t(texts.START)} ─▶ {mark[AUTH]} {AUTH} ─{t(texts.LOGIN_EDGE)}─▶ {mark[TRANS]} {TRANS} "
        f"─{t(texts.QUIT_EDGE)}─▶ {mark[UPDATE]} {UPDATE} ─▶ {t(texts.END)}",
        f"  {AUTH}: {' '.join(staying_verbs(AUTH))}",
        f"  {TRANS}: {' '.join(staying_verbs(TRANS))}",
    ]
    steps = []
    for node, verbs in path.segments:
        name = t(texts.START) if node == START else t(texts.END) if node == END else str(node)
        name += f" ({', '.join(verbs)})" if verbs else ""
        steps.append(f"◆ {name}" if node == path.now and (node, verbs) == path.segments[-1] else name)
    lines.append(f"{t(texts.PATH)}: " + " → ".join(steps))
    return "\n".join(lines) + "\n"
