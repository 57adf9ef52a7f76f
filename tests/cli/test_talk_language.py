"""``poplab talk --lang de`` speaks German from its first line: the bundled server's address, the TLS certificate,
and why a talk ends early (the server closed the connection, no reply in time) — English with ``--lang en``."""

from __future__ import annotations

import datetime
import io
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from poplab.cli import main
from poplab.client import ReplyTimeout, SessionClosed, SessionError
from poplab.client.certificate import CertificateInfo
from poplab.commands import talk
from poplab.i18n import translator


def poplab(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "poplab", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60, env={"NO_COLOR": "1"})


BUNDLED = {
    "en": r"poplab: bundled server on 127\.0\.0\.1:\d+ — try: USER wiki@example\.com",
    "de": r"poplab: mitgelieferter Server auf 127\.0\.0\.1:\d+ — probier: USER wiki@example\.com",
}
GREETING = {"en": "greeting · AUTHORIZATION", "de": "Begrüßung · AUTHORIZATION"}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_first_line_names_the_bundled_server(lang: str) -> None:
    result = poplab("talk", "--lang", lang, stdin="QUIT\n")
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert re.fullmatch(BUNDLED[lang], first), first
    assert second.startswith("  1  S: +OK ")
    assert GREETING[lang] in result.stdout


def test_the_certificate_line_in_german() -> None:
    result = poplab("talk", "--tls", "--lang", "de", stdin="QUIT\n")
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("poplab: TLS")]
    assert line.startswith(
        "poplab: TLS-Zertifikat: CN=localhost,O=poplab teaching server (selbst signiert); Namen: localhost, "
    )
    assert re.search(r"; gültig von \d{4}-\d\d-\d\d bis \d{4}-\d\d-\d\d; SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", line)


INFO = CertificateInfo(
    subject="CN=pop.example.com",
    issuer="CN=Example CA",
    names=("pop.example.com",),
    not_before=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    not_after=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
    sha256="AB:CD",
    self_signed=False,
)


def test_the_certificate_line_says_what_the_summary_says() -> None:
    assert talk.certificate_line(INFO, translator("en")) == f"poplab: TLS certificate: {INFO.summary()}"
    assert talk.certificate_line(INFO, translator("de")) == (
        "poplab: TLS-Zertifikat: CN=pop.example.com (ausgestellt von CN=Example CA); Namen: pop.example.com; gültig "
        "von 2026-01-01 bis 2027-01-01; SHA-256 AB:CD"
    )


@pytest.mark.parametrize(
    ("problem", "english", "german"),
    [
        (
            SessionClosed("the server closed the connection"),
            "poplab: the connection is closed; nothing more can be sent.",
            "poplab: Die Verbindung ist beendet; es kann nichts mehr gesendet werden.",
        ),
        (
            ReplyTimeout("no complete reply within 10 s"),
            "poplab: no complete reply within 10 s; the session ends here.",
            "poplab: keine vollständige Antwort innerhalb von 10 s; die Sitzung endet hier.",
        ),
    ],
)
def test_why_a_talk_ends_early(problem: SessionError, english: str, german: str) -> None:
    assert talk.problem_line(problem, translator("en")) == english
    assert talk.problem_line(problem, translator("de")) == german


@pytest.fixture
def rude_server() -> Iterator[int]:
    """A server that greets, reads one command and hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.sendall(b"+OK hello\r\n")
            connection.recv(1024)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    thread.join(5)
    listener.close()


def test_a_server_that_hangs_up_ends_the_talk_in_german(
    rude_server: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("NOOP\nSTAT\n"))
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["talk", "127.0.0.1", str(rude_server), "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "  3  [Verbindung beendet]\n" in out
    assert out.endswith("poplab: Die Verbindung ist beendet; es kann nichts mehr gesendet werden.\n")
    assert "STAT" not in out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "poplab: error: give HOST and PORT, or neither for the bundled server\n"),
        ("de", "poplab: error: HOST und PORT angeben, oder keins von beiden für den mitgelieferten Server\n"),
    ],
)
def test_host_without_port(lang: str, expected: str) -> None:
    result = poplab("talk", "127.0.0.1", "--lang", lang)
    assert (result.returncode, result.stderr) == (2, expected)
