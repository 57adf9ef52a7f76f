"""Bad input: unknown recipients (550 5.1.1), relay attempts (550 5.7.1: no open relay), a message over the size
limit (552), a client that drops inside DATA — and in every case nothing is delivered, not even half."""

from __future__ import annotations

import smtplib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.server.certs import CertificateFiles
from poplab.store.demo import install_demo
from tests.smtp.conftest import MESSAGE, Lab, start_lab

BOB = ("bob@example.com", "builder")


def test_unknown_recipient_in_the_labs_domain_is_550_5_1_1(lab: Lab) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        client.ehlo()
        client.mail("alice@example.com")
        code, text = client.rcpt("nobody@example.com")
        assert (code, text) == (550, b"5.1.1 <nobody@example.com>: no such mailbox here")
        client.rset()
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("alice@example.com", ["nobody@example.com"], MESSAGE)
    assert lab.fetch_all(*BOB) == []


@pytest.mark.parametrize("address", ["someone@gmail.com", "bob@example.com.evil.org", "bob@[192.0.2.1]"])
def test_a_relay_attempt_is_refused(lab: Lab, address: str) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        client.ehlo()
        client.mail("alice@example.com")
        code, text = client.rcpt(address)
        assert code == 550 and text.startswith(b"5.7.1 ") and b"relaying denied" in text
        assert client.rcpt("bob@example.com")[0] == 250  # the good recipient of the same message still gets it
        assert client.data(MESSAGE)[0] == 250
    assert len(lab.fetch_all(*BOB)) == 1


@pytest.fixture
def small_lab(certificate: CertificateFiles, tmp_path: Path) -> Iterator[Lab]:
    store = install_demo(tmp_path / "data")
    running = start_lab(store, certificate, tmp_path / "data" / "mail", max_message_size=1000)
    try:
        yield running
    finally:
        running.smtp.stop()
        running.pop.stop()


def test_over_the_size_limit_is_552_and_nothing_is_stored(small_lab: Lab) -> None:
    big = MESSAGE + b"x" * 70 + b"\r\n" * 20
    with smtplib.SMTP("127.0.0.1", small_lab.smtp_port, timeout=10) as client:
        assert client.ehlo()[0] == 250 and client.esmtp_features["size"] == "1000"
        with pytest.raises(smtplib.SMTPSenderRefused) as announced:  # smtplib announces SIZE=: refused at MAIL
            client.sendmail("alice@example.com", ["bob@example.com"], big * 10)
        assert announced.value.smtp_code == 552
        client.rset()
        client.mail("alice@example.com")  # no SIZE= announced: refused after the data
        client.rcpt("bob@example.com")
        code, _ = client.data(big * 10)
        assert code == 552
        assert client.noop()[0] == 250  # the session goes on
    assert small_lab.fetch_all(*BOB) == []
    assert _files(small_lab, "bob@example.com") == []


def _files(lab: Lab, account: str) -> list[str]:
    assert lab.maildir is not None
    root = lab.maildir / account
    return sorted(str(path.relative_to(root)) for sub in ("tmp", "new", "cur") for path in (root / sub).iterdir())


def _talk(sock: socket.socket, line: bytes) -> bytes:
    sock.sendall(line)
    reply = b""
    while not reply.endswith(b"\r\n") or reply.split(b"\r\n")[-2][3:4] == b"-":
        reply += sock.recv(4096)
    return reply


@pytest.mark.parametrize("how", ["close", "reset"])
def test_a_client_that_drops_inside_data_delivers_nothing(small_lab: Lab, how: str) -> None:
    with socket.create_connection(("127.0.0.1", small_lab.smtp_port), timeout=10) as sock:
        assert sock.recv(4096).startswith(b"220 ")
        assert _talk(sock, b"EHLO dropper\r\n").startswith(b"250")
        assert _talk(sock, b"MAIL FROM:<alice@example.com>\r\n").startswith(b"250")
        assert _talk(sock, b"RCPT TO:<bob@example.com>\r\n").startswith(b"250")
        assert _talk(sock, b"DATA\r\n").startswith(b"354")
        sock.sendall(b"Subject: half\r\n\r\nthe first half of a message, and then\r\n")
        time.sleep(0.1)
        if how == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    deadline = time.monotonic() + 5
    while small_lab.smtp.lab.sessions and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not small_lab.smtp.lab.sessions
    assert small_lab.fetch_all(*BOB) == []
    assert _files(small_lab, "bob@example.com") == []  # not in new/, and nothing left over in tmp/


def test_commands_out_of_order_are_refused_by_aiosmtpd(lab: Lab) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        assert client.docmd("RCPT", "TO:<bob@example.com>")[0] == 503  # before EHLO
        client.ehlo()
        assert client.docmd("RCPT", "TO:<bob@example.com>")[0] == 503  # before MAIL
        client.mail("alice@example.com")
        assert client.docmd("DATA")[0] == 503  # before RCPT
        assert client.docmd("MAIL", "FROM:<alice@example.com>")[0] == 503  # nested MAIL
    assert lab.fetch_all(*BOB) == []
