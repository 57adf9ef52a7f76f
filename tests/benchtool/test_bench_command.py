"""``poplab bench`` runs each mode against a real server and reports figures (checked for shape and
consistency, never for speed), and a wrong password is one clear line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from poplab.bench import fixtures
from poplab.cli import main
from poplab.protocol.config import ServerConfig
from poplab.server import ServerSettings, ServerThread
from poplab.store.memory import MemoryStore


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    store = fixtures.fill(MemoryStore(), accounts=4, large=1)
    settings = ServerSettings(port=0, tls_port=None, protocol=ServerConfig(failed_login_delay=0))
    with ServerThread(store, settings) as running:
        yield running


def bench(capsys: pytest.CaptureFixture[str], port: int, *args: str) -> dict[str, object]:
    assert main(["bench", "127.0.0.1", str(port), *args]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result: dict[str, object] = json.loads(last)
    return result


def test_sessions_mode_counts_complete_sessions(capsys: pytest.CaptureFixture[str], server: ServerThread) -> None:
    result = bench(capsys, server.port, "--clients", "4", "--sessions", "20", "--duration", "20")
    assert result["mode"] == "sessions"
    assert result["sessions"] == 20 and result["errors"] == 0


def test_retr_mode_moves_the_large_message(capsys: pytest.CaptureFixture[str], server: ServerThread) -> None:
    result = bench(capsys, server.port, "--mode", "retr", "--retrievals", "3", "--duration", "20")
    assert result["mode"] == "retr"
    assert result["retrievals"] == 3 and result["errors"] == 0
    assert result["message_octets"] == len(fixtures.large_message().replace(b"\n", b"\r\n"))


def test_a_wrong_password_is_one_clear_line(capsys: pytest.CaptureFixture[str], server: ServerThread) -> None:
    assert main(["bench", "127.0.0.1", str(server.port), "--password", "nope", "--sessions", "1"]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("poplab: error: ")
