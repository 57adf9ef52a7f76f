"""``poplab serve --smtp-port 0``: the real command, over a data directory — mail sent with smtplib is in the
recipient's Maildir (new/) and POP3 serves it."""

from __future__ import annotations

import os
import re
import signal
import smtplib
import subprocess
import sys
from pathlib import Path

from tests.smtp.conftest import MESSAGE, split_received


def test_serve_runs_smtp_beside_pop3(tmp_path: Path) -> None:
    data = tmp_path / "data"
    command = [sys.executable, "-m", "poplab", "serve", "--data", str(data), "--port", "0", "--tls-port", "-1"]
    command += ["--smtp-port", "0"]
    env = {**os.environ, "NO_COLOR": "1", "POPLAB_LANG": "en"}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        banner = [server.stdout.readline() for _ in range(3)]
        smtp_line = next(line for line in banner if "SMTP on" in line)
        pop_line = next(line for line in banner if "POP3 on" in line)
        smtp_port = int(re.search(r":(\d+) ", smtp_line).group(1))  # type: ignore[union-attr]
        pop_port = int(re.search(r":(\d+) ", pop_line).group(1))  # type: ignore[union-attr]
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client:
            client.sendmail("alice@example.com", ["bob@example.com"], MESSAGE)
        (delivered,) = list((data / "mail" / "bob@example.com" / "new").iterdir())
        assert split_received(delivered.read_bytes())[1] == MESSAGE
        import poplib

        pop = poplib.POP3("127.0.0.1", pop_port, timeout=10)
        pop.user("bob@example.com")
        pop.pass_("builder")
        assert pop.stat()[0] == 1
        pop.quit()
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=20)
    assert "[smtp 1] C: mail FROM:<alice@example.com>" in errors
    assert "Traceback" not in errors
