"""The real ``poplab`` console script in a pseudo-terminal (tmux, which .ci/run installs): it opens the tutor on
the bundled server, the learner types a session and sees the replies, the footer shows the keys, Ctrl+Q ends it
cleanly; ``poplab connect --tls`` shows another server's certificate."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore

Tmux = Callable[..., str]


def tmux_binary() -> str:
    found = shutil.which("tmux")
    assert found, "tmux is needed for the console tests (.ci/run installs it)"
    return found


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Callable[[str], Tmux]]:
    """Start a command in a detached 100×30 tmux session; yields a function that runs tmux subcommands on it."""
    name = f"poplab-test-{uuid.uuid4().hex[:8]}"
    binary = tmux_binary()

    def run(*words: str) -> str:
        done = subprocess.run([binary, *words], capture_output=True, text=True, timeout=10, check=False)
        return done.stdout

    def start(command: str) -> Tmux:
        env = f"POPLAB_DATA={shlex.quote(str(tmp_path))} POPLAB_LANG=en TERM=xterm-256color"
        shell = f"cd {shlex.quote(os.getcwd())} && env {env} {command}; echo poplab exited with $?; sleep 60"
        run("new-session", "-d", "-s", name, "-x", "100", "-y", "30", shell)
        return lambda *words: run(*[word.replace("{target}", name) for word in words])

    yield start
    run("kill-session", "-t", name)


def wait_for(tmux: Tmux, *texts: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "{target}")
        if all(text in screen for text in texts):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"not on the screen after {timeout:g} s: {texts}\n{screen}")


def type_line(tmux: Tmux, line: str) -> None:
    tmux("send-keys", "-t", "{target}", "-l", line)
    tmux("send-keys", "-t", "{target}", "Enter")


def test_poplab_opens_the_tutor_and_ends_cleanly(console: Callable[[str], Tmux]) -> None:
    tmux = console("poplab")
    keys = "f1 Help f2 Deutsch f6 Lessons f3f4f5 Raw/Save/Reset ^r^t^d Connection ^q Quit"
    screen = wait_for(tmux, "Welcome to poplab, the POP3 lab", " AUTHORIZATION ", keys)
    rows = [row for row in screen.splitlines() if row.strip()]
    assert rows[-1].startswith(keys)  # the footer, at the bottom
    type_line(tmux, "STAT")  # typing dismisses the welcome; the keys go to the command line
    wait_for(tmux, "S: -ERR")
    burst = ["USER wiki@example.com", "Enter", "PASS passwort_im_klartext", "Enter", "STAT", "Enter"]
    tmux("send-keys", "-t", "{target}", *burst)  # three lines in one write, as a paste without bracketed paste
    screen = wait_for(tmux, "S: +OK 1 236", "The maildrop holds 1 message, 236 octets in total.", " TRANSACTION ")
    assert "C: STAT" in screen and "C: PASS passwort_im_klartext" in screen
    assert "wiki@example.comPASS" not in screen
    tmux("send-keys", "-t", "{target}", "C-q")
    screen = wait_for(tmux, "poplab exited with 0")
    assert "TRANSACTION" not in screen  # the alternate screen is gone: the terminal is back as it was


def test_poplab_connect_shows_the_other_servers_certificate(console: Callable[[str], Tmux], tmp_path: Path) -> None:
    files = ensure_certificate(tmp_path / "other")
    config = ServerConfig(tls_available=True, failed_login_delay=0.0)
    settings = ServerSettings(port=0, tls_port=0, tls=server_context(files), protocol=config)
    with ServerThread(MemoryStore.with_demo(), settings) as server:
        tmux = console(f"poplab connect 127.0.0.1 {server.tls_port} --tls --cafile {shlex.quote(str(files.cert))}")
        screen = wait_for(tmux, "TLS certificate: CN=localhost,O=poplab teaching server (self-signed)")
        assert f"127.0.0.1:{server.tls_port} · 🔒 TLS" in screen
        assert "S: +OK example.com POP3-Server" in screen
        tmux("send-keys", "-t", "{target}", "C-q")
        wait_for(tmux, "poplab exited with 0")
