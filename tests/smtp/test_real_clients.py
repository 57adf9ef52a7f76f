"""Real SMTP clients — Python's smtplib (plain, STARTTLS, AUTH PLAIN and LOGIN), curl and swaks — send a message
to the lab's SMTP server; POP3 (poplib) then serves it byte for byte, behind one Received: header."""

from __future__ import annotations

import shutil
import smtplib
import subprocess
from pathlib import Path

import pytest

from tests.smtp.conftest import MESSAGE, Lab, assert_arrived

BOB = ("bob@example.com", "builder")


def test_smtplib_plain_on_loopback_needs_no_login(lab: Lab) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        refused = client.sendmail("alice@example.com", ["bob@example.com"], MESSAGE)
    assert refused == {}
    header = assert_arrived(lab, *BOB, MESSAGE)
    assert b" with ESMTP id " in header and b"for <bob@example.com>" in header


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_smtplib_starttls_and_auth(lab: Lab, mechanism: str) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        client.starttls(context=lab.client_tls())
        client.ehlo()
        assert "auth" in client.esmtp_features and "starttls" not in client.esmtp_features
        client.user, client.password = "alice@example.com", "wonderland"
        code, _ = client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
        assert code == 235
        client.sendmail("alice@example.com", ["bob@example.com"], MESSAGE)
    header = assert_arrived(lab, *BOB, MESSAGE)
    assert b" with ESMTPSA id " in header


def test_smtplib_wrong_password_is_535(lab: Lab) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            client.login("alice@example.com", "not-her-password")
    assert refused.value.smtp_code == 535


def test_smtplib_to_several_accounts_one_copy_each(lab: Lab) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        client.sendmail("wiki@example.com", ["bob@example.com", "dave@example.com", "BOB@example.com"], MESSAGE)
    assert len(lab.fetch_all(*BOB)) == 1
    header = assert_arrived(lab, "dave@example.com", "bigfiles", MESSAGE)
    assert b"for <" not in header  # several recipients: the trace header names none of them


def _eml(tmp_path: Path, content: bytes = MESSAGE) -> Path:
    path = tmp_path / "message.eml"
    path.write_bytes(content)
    return path


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed (.ci/run installs it)")
@pytest.mark.parametrize("secure", [False, True], ids=["plain", "starttls-auth"])
def test_curl(lab: Lab, tmp_path: Path, secure: bool) -> None:
    command = ["curl", "--silent", "--show-error", "--max-time", "20", f"smtp://127.0.0.1:{lab.smtp_port}"]
    command += ["--mail-from", "alice@example.com", "--mail-rcpt", "bob@example.com"]
    command += ["--upload-file", str(_eml(tmp_path))]
    if secure:
        command += ["--ssl-reqd", "--cacert", str(lab.certificate.cert), "--user", "alice@example.com:wonderland"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    header = assert_arrived(lab, *BOB, MESSAGE)
    assert (b"ESMTPSA" in header) is secure


@pytest.mark.skipif(shutil.which("swaks") is None, reason="swaks is not installed (.ci/run installs Debian's swaks)")
@pytest.mark.parametrize("secure", [False, True], ids=["plain", "starttls-auth"])
def test_swaks(lab: Lab, tmp_path: Path, secure: bool) -> None:
    command = ["swaks", "--server", "127.0.0.1", "--port", str(lab.smtp_port), "--from", "alice@example.com"]
    # swaks ends the data with CRLF "." CRLF itself, after the last line's own line end: give it none
    data = _eml(tmp_path, MESSAGE.removesuffix(b"\r\n"))
    command += ["--to", "bob@example.com", "--data", f"@{data}", "--timeout", "20"]
    if secure:
        command += ["--tls", "--auth", "LOGIN", "--auth-user", "alice@example.com", "--auth-password", "wonderland"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    header = assert_arrived(lab, *BOB, MESSAGE)
    assert (b"ESMTPSA" in header) is secure
