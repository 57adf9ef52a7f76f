"""The visitor's tutor process is confined by the kernel: it writes only in its own directory and starts no program
(so the tutor's ``/export FILE`` or anything else reachable from the page cannot touch the server's files)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from poplab.web.confine import landlock_abi

pytestmark = pytest.mark.skipif(landlock_abi() == 0, reason="this kernel has no Landlock")

PROBE = """
import os, subprocess, sys
from pathlib import Path
from poplab.web.confine import confine
inside, outside = Path(sys.argv[1]), Path(sys.argv[2])
print("abi", confine(inside))
(inside / "export.html").write_text("fine")
for attempt in (lambda: (outside / "export.html").write_text("no"), lambda: subprocess.run(["/bin/sh", "-c", "true"])):
    try:
        attempt()
        print("allowed")
    except PermissionError:
        print("denied")
"""


def test_writes_outside_and_programs_are_denied(tmp_path: Path) -> None:
    inside, outside = tmp_path / "visitor", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(inside), str(outside)], capture_output=True, text=True, timeout=30
    )
    assert result.stdout.split("\n")[1:3] == ["denied", "denied"], result.stdout + result.stderr
    assert (inside / "export.html").read_text() == "fine" and not (outside / "export.html").exists()


def test_the_visitor_entry_point_runs_poplab_confined(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "poplab.web.visitor", str(tmp_path), "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("poplab ")
