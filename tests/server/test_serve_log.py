"""``poplab serve``'s session log, written by a thread (issue 14): one summary line per session by default, every
line with ``--log lines``, nothing with ``--quiet`` — and what is queued is written when SIGTERM or Ctrl-C stops
the server."""

from __future__ import annotations

import os
import poplib
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest


def serve_one_session(data: Path, options: list[str], stop: signal.Signals) -> str:
    command = [sys.executable, "-m", "poplab", "serve", "--data", str(data), "--port", "0", "--tls-port", "-1"]
    env = {**os.environ, "NO_COLOR": "1", "POPLAB_LANG": "en"}
    server = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        port = int(re.search(r":(\d+) ", banner).group(1))  # type: ignore[union-attr]
        client = poplib.POP3("127.0.0.1", port, timeout=10)
        client.user("wiki@example.com")
        client.pass_("passwort_im_klartext")
        client.retr(1)
        client.quit()
    finally:
        server.send_signal(stop)
        _, errors = server.communicate(timeout=20)
    assert "Traceback" not in errors
    return errors


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_default_log_is_a_summary_line_per_session(tmp_path: Path, stop: signal.Signals) -> None:
    errors = serve_one_session(tmp_path / "data", [], stop)
    summaries = [line for line in errors.splitlines() if line.startswith("[1] ")]
    assert len(summaries) == 1, errors
    summary = summaries[0]
    assert re.fullmatch(
        r"\[1\] 127\.0\.0\.1:\d+ wiki@example\.com \(USER/PASS\): 4 commands, 0 -ERR, \d+ octets sent, "
        r"0 deleted; quit after \d+\.\d{3} s",
        summary,
    )
    assert "poplab: stopped" in errors


def test_log_lines_shows_every_line(tmp_path: Path) -> None:
    errors = serve_one_session(tmp_path / "data", ["--log", "lines"], signal.SIGTERM)
    lines = [line.split("] ", 1)[1] for line in errors.splitlines() if line.startswith("[1] ")]
    assert lines == [
        "opened 127.0.0.1:" + lines[0].rsplit(":", 1)[1],
        "S: +OK example.com POP3-Server",
        "C: USER wiki@example.com",
        "S: +OK Please enter password",
        "C: PASS [redacted]",
        "login wiki@example.com (USER/PASS)",
        "S: +OK mailbox locked and ready",
        "C: RETR 1",
        "S: +OK message follows (+ 239 octets)",
        "C: QUIT",
        "committed wiki@example.com: 0 deleted",
        "S: +OK bye",
        "closed ",
    ]


def test_quiet_logs_nothing(tmp_path: Path) -> None:
    errors = serve_one_session(tmp_path / "data", ["--quiet"], signal.SIGTERM)
    assert not [line for line in errors.splitlines() if line.startswith("[")]
