"""The figures of ``compare_dovecot.py`` and their table: each server's best round, CPU per operation, and the
ratios poplab / Dovecot (above 1 is better for poplab in a throughput row, below 1 in a latency, CPU or memory
row)."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAMES = ("dovecot", "poplab", "poplab-quiet")
HEADERS = ("Dovecot", "poplab", "poplab --quiet", "poplab / Dovecot", "--quiet / Dovecot")
TROUBLE = re.compile(r"\b(error|fatal|panic|warning|traceback)\b", re.IGNORECASE)


@dataclass
class Round:
    """One measurement of one server: its figure, the operations done, CPU used on both sides."""

    figure: float
    operations: int
    server_cpu: float
    client_cpu: float
    elapsed: float
    errors: int


@dataclass
class Figures:
    rounds: dict[str, list[Round]] = field(default_factory=dict)

    def best(self, name: str) -> Round:
        return max(self.rounds[name], key=lambda r: r.figure)

    def cpu_per_op_ms(self, name: str) -> float:
        rounds = self.rounds[name]
        return 1000 * sum(r.server_cpu for r in rounds) / max(1, sum(r.operations for r in rounds))

    def errors(self, name: str) -> int:
        return sum(r.errors for r in self.rounds[name])


def log_summary(path: Path) -> dict[str, Any]:
    """How long a server's log grew, and its first lines that look like trouble."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return {"lines": 0, "bytes": 0, "trouble": 0, "first_trouble": []}
    trouble = [line for line in text.splitlines() if TROUBLE.search(line)]
    return {
        "lines": text.count("\n"),
        "bytes": len(text),
        "trouble": len(trouble),
        "first_trouble": [line[:200] for line in trouble[:3]],
    }


def _fmt(value: float, digits: int) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def _ratio(ours: float, theirs: float) -> str:
    if not theirs or math.isnan(theirs) or math.isnan(ours):
        return "n/a"
    return f"{ours / theirs:.2f}x"


def _row(label: str, values: dict[str, float], digits: int) -> list[str]:
    cells = [_fmt(values[name], digits) for name in NAMES]
    return [
        label,
        *cells,
        _ratio(values["poplab"], values["dovecot"]),
        _ratio(values["poplab-quiet"], values["dovecot"]),
    ]


def _table(rows: list[list[str]]) -> list[str]:
    head = ["figure", *HEADERS]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        padded = [cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return [line(head), rule, *(line(row) for row in rows)]


def _throughput_rows(label: str, unit: str, figures: Figures) -> list[list[str]]:
    best = {name: figures.best(name).figure for name in NAMES}
    cpu = {name: figures.cpu_per_op_ms(name) for name in NAMES}
    return [_row(f"{label}, {unit}", best, 1), _row("  server CPU per operation, ms", cpu, 3)]


def _rounds_line(label: str, figures: Figures) -> str:
    per_server = "; ".join(
        f"{name} " + ", ".join(f"{r.figure:.0f}/{100 * r.client_cpu / r.elapsed:.0f}%" for r in rounds)
        for name, rounds in figures.rounds.items()
    )
    return f"  {label}: {per_server}"


def render(results: dict[str, Any], context: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    sessions: Figures = results["sessions"]
    retr: dict[int, Figures] = results["retr"]
    idle, memory = results["idle"], results["memory"]
    rows = _throughput_rows("full sessions/s, 50 clients", "sessions/s", sessions)
    for clients, figures in retr.items():
        rows += _throughput_rows(f"RETR 2 MB, {clients} client{'s' if clients > 1 else ''}", "MB/s", figures)
    rows.append(_row("short session p50, no idle conns, ms", {n: idle[n]["p50_none_ms"] for n in NAMES}, 3))
    rows.append(_row("short session p50, 800 idle conns, ms", {n: idle[n]["p50_idle_ms"] for n in NAMES}, 3))
    rows.append(_row("  p50 with 800 idle / with none", {n: idle[n]["ratio"] for n in NAMES}, 2))
    rows.append(_row("RSS, 1000 idle conns, MB (sum)", {n: memory[n]["rss_idle_mb"] for n in NAMES}, 1))
    rows.append(_row("PSS, 1000 idle conns, MB (sum)", {n: memory[n]["pss_idle_mb"] for n in NAMES}, 1))
    rows.append(_row("  RSS before, no conns, MB", {n: memory[n]["rss_before_mb"] for n in NAMES}, 1))
    errors = {n: _errors(n, sessions, retr, idle, memory) for n in NAMES}
    rows.append(["errors (all steps)", *(str(errors[n]) for n in NAMES), "", ""])

    lines = [
        f"poplab vs Dovecot POP3 ({os.cpu_count()} cores, best of {context['rounds']} rounds each, "
        f"load average {context['load'][0][0]:.2f} before, {context['load'][1][0]:.2f} after)",
        "",
        *_table(rows),
        "",
        "rounds (figure / load generator busy):",
        _rounds_line("sessions/s", sessions),
        *(_rounds_line(f"RETR MB/s, {c} client(s)", f) for c, f in retr.items()),
        "idle: short-session p50 before / with / after, ms (sessions timed; idle connections held): "
        + "; ".join(
            f"{n} {idle[n]['p50_none_before_ms']:.3f} / {idle[n]['p50_idle_ms']:.3f} / "
            f"{idle[n]['p50_none_after_ms']:.3f} ({idle[n]['sessions']}; {idle[n]['held']})"
            for n in NAMES
        ),
        f"memory: Dovecot's {memory['dovecot']['processes']} processes summed; connections held "
        + ", ".join(f"{n} {memory[n]['held']}" for n in NAMES),
        f"Dovecot {context['dovecot']}"
        f"{' (POP3 processes reused)' if context['reuse_pop3'] else ' (one POP3 process per session, default)'}; "
        f"poplab serve {' '.join(context['poplab_options'])}",
        "logs: "
        + "; ".join(
            f"{n} {s['lines']} lines, {s['bytes'] / 1e6:.1f} MB, {s['trouble']} error/warning lines"
            for n, s in context["logs"].items()
        ),
        *(f"  {n}: {line}" for n, s in context["logs"].items() for line in s["first_trouble"]),
    ]
    data = {
        "sessions": _figures_data(sessions),
        "retr": {f"clients_{c}": _figures_data(f) for c, f in retr.items()},
        "idle": idle,
        "memory": memory,
        "errors": errors,
        **{k: v for k, v in context.items() if k != "load"},
        "load": context["load"],
    }
    return lines, data


def _errors(name: str, sessions: Figures, retr: dict[int, Figures], idle: Any, memory: Any) -> int:
    return (
        sessions.errors(name)
        + sum(f.errors(name) for f in retr.values())
        + idle[name]["errors"]
        + memory[name]["errors"]
    )


def _figures_data(figures: Figures) -> dict[str, Any]:
    best = {n: figures.best(n).figure for n in NAMES}
    return {
        "best": best,
        "ratio": {n: round(best[n] / best["dovecot"], 3) if best["dovecot"] else None for n in NAMES[1:]},
        "server_cpu_ms_per_op": {n: round(figures.cpu_per_op_ms(n), 4) for n in NAMES},
        "rounds": {n: [r.figure for r in figures.rounds[n]] for n in NAMES},
        "errors": {n: figures.errors(n) for n in NAMES},
    }
