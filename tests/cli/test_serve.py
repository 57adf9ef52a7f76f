"""``poplab serve`` as a user starts it: the seed session replays byte for byte, Ctrl-C stops it cleanly and
deletes nothing for cut-off sessions, a busy port is one clear line."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SEED = (Path(__file__).parent.parent / "server" / "seed-session.txt").read_text(encoding="utf-8").splitlines()


def start(data: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "poplab", "serve", "--data", str(data), "--port", "0", "--tls-port", "0"]
    return subprocess.Popen([*command, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ports(process: subprocess.Popen[str]) -> tuple[int, int]:
    assert process.stdout is not None
    plain = re.search(r"POP3 on 127\.0\.0\.1:(\d+)", process.stdout.readline())
    secure = re.search(r"POP3S \(implicit TLS\) on 127\.0\.0\.1:(\d+)", process.stdout.readline())
    assert plain and secure
    return int(plain.group(1)), int(secure.group(1))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    process = start(tmp_path / "data")
    try:
        yield process, ports(process)[0], tmp_path / "data"
    finally:
        process.kill()
        process.wait(10)


def seed_exchange(port: int) -> bytes:
    """Type the seed session's client lines one by one, each after the server's previous reply has arrived."""
    received, wanted = b"", 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for line in [*SEED, "C: "]:
            if line[0] == "S":
                wanted += len(line[3:].encode()) + 2
                continue
            while len(received) < wanted:
                received += sock.recv(4096)
            if line[3:]:
                sock.sendall(line[3:].encode() + b"\r\n")
    return received


def test_the_seed_session_replays_byte_for_byte_against_poplab_serve(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    _, port, data = served
    expected = b"".join(line[3:].encode() + b"\r\n" for line in SEED if line[0] == "S")
    assert seed_exchange(port) == expected
    assert list((data / "mail" / "wiki@example.com" / "cur").iterdir()) == []  # DELE + QUIT removed it
    reset = subprocess.run([sys.executable, "-m", "poplab", "reset", "--data", str(data)], capture_output=True)
    assert reset.returncode == 0
    assert seed_exchange(port) == expected  # the message is back


def test_ctrl_c_stops_cleanly_and_cut_off_sessions_delete_nothing(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    process, port, data = served
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.recv(100)
        sock.sendall(b"USER alice@example.com\r\nPASS wonderland\r\nDELE 1\r\nDELE 2\r\n")
        received = b""
        while received.count(b"\r\n") < 4:
            received += sock.recv(4096)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "stopped; sessions cut off deleted nothing" in err
    assert "Traceback" not in err
    maildir = data / "mail" / "alice@example.com"
    assert len(list((maildir / "cur").iterdir())) + len(list((maildir / "new").iterdir())) == 6


def test_a_busy_port_is_one_clear_line(served: tuple[subprocess.Popen[str], int, Path], tmp_path: Path) -> None:
    _, port, _ = served
    other = str(tmp_path / "other")  # the same data directory would be refused first (one server per directory)
    command = [sys.executable, "-m", "poplab", "serve", "--data", other, "--port", str(port), "--tls-port", "0"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"poplab: error: a port on 127.0.0.1 is already in use ({port} or 0); try --port 0"
    ]
