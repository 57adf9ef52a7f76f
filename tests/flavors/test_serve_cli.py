"""``poplab serve --flavor ... --fault ...`` as a teacher starts it: the banner says what is on, the greeting is the
flavour's, and --help documents every profile."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from poplab.protocol import faults


def test_serve_with_a_flavour_and_a_broken_profile(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "poplab", "serve", "--data", str(tmp_path / "data"), "--port", "0"]
    command += ["--tls-port", "-1", "--flavor", "dovecot", "--fault", "bare-lf", "--fault", "no-uidl"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(6)]
        found = re.search(r"POP3 on 127\.0\.0\.1:(\d+)", banner[0])
        assert found
        with socket.create_connection(("127.0.0.1", int(found.group(1))), timeout=10) as sock:
            assert sock.recv(100) == b"+OK Dovecot ready.\n"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    assert banner[2:5] == [
        "poplab: replies in the style of Dovecot, the most common open-source POP3 server\n",
        "poplab: fault profile bare-lf: BROKEN: end lines with LF instead of CRLF\n",
        "poplab: fault profile no-uidl: no UIDL command (optional in RFC 1939)\n",
    ]


def test_help_documents_every_profile() -> None:
    result = subprocess.run([sys.executable, "-m", "poplab", "serve", "--help"], capture_output=True, text=True)
    assert "--flavor {seed,dovecot,cyrus,exchange,gmail}" in result.stdout
    assert faults.help_table() in result.stdout
    for name in faults.FAULTS:
        assert f"  {name} " in result.stdout


def test_an_unknown_profile_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "poplab", "serve", "--fault", "tired"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2 and "invalid choice: 'tired'" in result.stderr
