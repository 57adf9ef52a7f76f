"""CPU time and memory of a server and every process below it, from ``/proc`` (Linux only).

A one-process server (poplab) and a multi-process one (Dovecot: master, log, config, anvil, auth, stats, login
processes and one ``pop3`` process per session) are measured the same way:

- CPU: user + system time of every live process in the tree, plus the time of the children each has already
  reaped (``cutime`` + ``cstime``), so a ``pop3`` process that served one session and exited still counts;
- memory: the sum of ``VmRSS`` over the tree (counts shared library pages once per process, so it overstates a
  multi-process server) and the sum of ``Pss`` from ``smaps_rollup`` (shared pages split between the processes
  that map them: the fairer total).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    return text.rsplit(")", 1)[1].split()


def tree(root: int) -> list[int]:
    """``root`` and all its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    total = 0
    for pid in tree(root):
        fields = _stat_fields(pid)
        if fields is not None:  # utime, stime, cutime, cstime are fields 14-17 of stat(5): 11-14 after the ")"
            total += sum(int(value) for value in fields[11:15])
    return total / TICK


@dataclass(frozen=True)
class Memory:
    processes: int
    rss_mb: float
    pss_mb: float


def _kb(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(root: int) -> Memory:
    pids = tree(root)
    rss = sum(_kb(Path(f"/proc/{pid}/status"), "VmRSS:") for pid in pids)
    pss = sum(_kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss:") for pid in pids)
    return Memory(len(pids), round(rss / 1024, 1), round(pss / 1024, 1))
