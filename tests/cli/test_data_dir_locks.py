"""Issue 13, defect 9 from the command line: a second ``poplab serve`` on the same data directory is refused with one
line, and ``accounts remove`` / ``deliver --replace`` refuse a maildrop a session of the running server holds."""

from __future__ import annotations

import poplib
import subprocess
import sys
from pathlib import Path

from tests.cli.test_serve import ports, start

ALICE = "alice@example.com"


def poplab(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "poplab", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env={"NO_COLOR": "1"})


def test_a_second_server_and_admin_changes_to_an_open_maildrop_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = start(data)
    try:
        port = ports(server)[0]
        second = poplab("serve", "--data", str(data), "--port", "0", "--tls-port", "-1")
        assert second.returncode == 2
        assert second.stderr.splitlines() == [f"poplab: another poplab server is using {data} (pid {server.pid})"]
        client = poplib.POP3("127.0.0.1", port, timeout=10)
        client.user(ALICE)
        client.pass_("wonderland")  # the session holds alice's maildrop
        message = tmp_path / "new.eml"
        message.write_bytes(b"Subject: new\n\nnew\n")
        in_use = f"poplab: error: the maildrop of {ALICE} is in use by a POP3 session"
        removed = poplab("accounts", "remove", ALICE, "--data", str(data))
        assert (removed.returncode, removed.stderr.splitlines()) == (2, [in_use])
        replaced = poplab("deliver", ALICE, str(message), "--replace", "--data", str(data))
        assert (replaced.returncode, replaced.stderr.splitlines()) == (2, [in_use])
        assert client.stat()[0] == 6  # the session's mailbox is untouched
        client.quit()
        replaced = poplab("deliver", ALICE, str(message), "--replace", "--data", str(data))
        assert replaced.returncode == 0, replaced.stderr
        rows = [line.split() for line in poplab("accounts", "--data", str(data)).stdout.splitlines()]
        assert [ALICE, "True", "1", "21"] in rows
    finally:
        server.kill()
        server.wait(10)
