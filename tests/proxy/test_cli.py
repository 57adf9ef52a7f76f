"""``poplab proxy`` as a user runs it: in front of a teaching server, curl fetches through it, the terminal shows
every line explained (passwords redacted), the session is saved, Ctrl-C stops it; mistakes are one line."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from poplab.server.certs import CertificateFiles
from poplab.server.runner import ServerThread

LAUNCH = (
    "import sys\n"
    "from poplab import cli\n"
    "from poplab.commands import proxy\n"
    "if proxy not in cli.SUBCOMMANDS:\n"
    "    cli.SUBCOMMANDS = (*cli.SUBCOMMANDS, proxy)\n"
    "sys.exit(cli.main())\n"
)
"""``python -m poplab`` with the proxy command (a no-op once poplab/cli.py wires it)."""
CURL = shutil.which("curl")


def poplab(*args: str) -> list[str]:
    return [sys.executable, "-c", LAUNCH, *args]


def start(*args: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(poplab("proxy", "--listen", "127.0.0.1:0", *args), stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    found = re.search(r"listening on 127\.0\.0\.1:(\d+)", process.stdout.readline())
    assert found, "no banner"
    return process, int(found.group(1))


def read_until(process: subprocess.Popen[str], text: str) -> str:
    assert process.stdout is not None
    seen = ""
    while text not in seen:
        line = process.stdout.readline()
        assert line, f"output ended before {text!r}:\n{seen}"
        seen += line
    return seen


@pytest.mark.skipif(CURL is None, reason="curl is installed by .ci/run")
def test_a_user_watches_curl_through_the_proxy_and_stops_it(server: ServerThread, tmp_path: Path) -> None:
    saved = tmp_path / "session.json"
    process, port = start("--upstream", f"127.0.0.1:{server.port}", "--save", str(saved))
    try:
        user = "wiki@example.com:passwort_im_klartext"
        body = subprocess.run(
            [CURL or "curl", "-s", "--max-time", "20", "-u", user, f"pop3://127.0.0.1:{port}/1"],
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout
        output = read_until(process, "Transcript saved")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    assert body.endswith(b"Dies ist eine Test-E-Mail\r\n")
    assert process.returncode == 0
    assert "  1  S: +OK example.com POP3-Server\n" in output
    assert "C: AUTH CRAM-MD5\n" in output and " C: [redacted]\n" in output and "passwort" not in output
    assert "     Message 1: 8 lines, 236 octets.\n" in output
    assert "proxy: The server offers STLS, but this proxy cannot do TLS with your client" in output
    assert f"proxy: Transcript saved to {saved} (passwords redacted)." in output
    lines = json.loads(saved.read_text(encoding="utf-8"))["lines"]
    assert lines[0]["text"] == "+OK example.com POP3-Server\r\n"
    assert "passwort_im_klartext" not in saved.read_text(encoding="utf-8")


def test_no_redact_keeps_the_password_in_the_saved_transcript(server: ServerThread, tmp_path: Path) -> None:
    saved = tmp_path / "session.json"
    process, port = start("--upstream", f"127.0.0.1:{server.port}", "--save", str(saved), "--no-redact", "--lang", "de")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.recv(100)
            sock.sendall(b"USER wiki@example.com\r\n")
            sock.recv(100)
            sock.sendall(b"PASS passwort_im_klartext\r\nQUIT\r\n")
            while sock.recv(100):
                pass
        output = read_until(process, f"{saved} (Pass")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    lines = json.loads(saved.read_text(encoding="utf-8"))["lines"]
    assert {"direction": "C", "text": "PASS passwort_im_klartext\r\n"}.items() <= lines[3].items()
    assert "C: PASS [redacted]" in output  # the live view never shows it
    assert "NICHT geschwärzt" in output


def test_implicit_tls_to_the_client_with_the_labs_certificate(
    server: ServerThread, certificate: CertificateFiles, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    process, _ = start("--upstream", f"127.0.0.1:{server.port}", "--tls", "--data", str(data))
    try:
        banner = read_until(process, "press Ctrl-C")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    assert f"your client must trust {data / 'tls' / 'poplab-cert.pem'}" in banner
    assert (data / "tls" / "poplab-cert.pem").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--upstream", "nowhere"], "--upstream wants HOST:PORT, e.g. 127.0.0.1:1110, not 'nowhere'"),
        (["--upstream", "h:1", "--listen", "1100"], "--listen wants HOST:PORT, e.g. 127.0.0.1:1110, not '1100'"),
        (["--upstream", "h:1", "--upstream-tls", "--upstream-cafile", "/no/such.pem"], "no such file: /no/such.pem"),
    ],
)
def test_mistakes_are_one_line(args: list[str], message: str) -> None:
    result = subprocess.run(poplab("proxy", *args), capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.startswith("poplab: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_busy_port_is_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = subprocess.run(
            poplab("proxy", "--upstream", "127.0.0.1:1", "--listen", f"127.0.0.1:{port}"),
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    expected = f"127.0.0.1:{port} is already in use; try another --listen port (0 = any free)"
    assert result.stderr == f"poplab: error: {expected}\n"


def test_help_shows_how_to_use_it() -> None:
    result = subprocess.run(poplab("proxy", "--help"), capture_output=True, text=True, timeout=30)
    assert "--upstream HOST:PORT" in result.stdout and "--upstream-starttls" in result.stdout
    assert "curl pop3://127.0.0.1:1100/1" in result.stdout
