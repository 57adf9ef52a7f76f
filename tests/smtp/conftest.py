"""Fixtures for the SMTP tests: the lab's SMTP server (aiosmtpd, in its own thread) and its POP3 server over the
same store — in memory and over real Maildirs — with the lab's own certificate; helpers that fetch a message back
with poplib and check that it arrived byte for byte, with one Received: header in front."""

from __future__ import annotations

import poplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from poplab.protocol.config import ServerConfig
from poplab.server.certs import CertificateFiles, client_context, ensure_certificate, server_context
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.smtp import SmtpSettings, SmtpThread
from poplab.store.api import ManagedStore
from poplab.store.demo import install_demo
from poplab.store.memory import MemoryStore

RECEIVED = re.compile(
    rb"Received: from \S+ \(\[[0-9A-Fa-f.:Pv]+\]\)\r\n"
    rb"\tby example\.com \(poplab\) with (?P<with>E?SMTPS?A?) id [0-9A-F]{12}(\r\n\tfor <[^>]+>)?; "
    rb"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\r\n"
)


@dataclass
class Lab:
    store: ManagedStore
    smtp: SmtpThread
    pop: ServerThread
    certificate: CertificateFiles
    maildir: Path | None

    @property
    def smtp_port(self) -> int:
        return int(self.smtp.port)

    def client_tls(self) -> ssl.SSLContext:
        return client_context(self.certificate.cert)

    def fetch_all(self, account: str, password: str) -> list[bytes]:
        """Every message of the account as POP3 serves it (lines joined with CRLF), in a fresh session."""
        client = poplib.POP3("127.0.0.1", self.pop.port, timeout=10)
        try:
            client.user(account)
            client.pass_(password)
            count = len(client.list()[1])
            return [b"\r\n".join(client.retr(n)[1]) + b"\r\n" for n in range(1, count + 1)]
        finally:
            client.quit()


def split_received(arrived: bytes) -> tuple[bytes, bytes]:
    """(the Received: header, the rest) — the header must be the server's one trace header."""
    match = RECEIVED.match(arrived)
    assert match is not None, arrived[:300]
    return match.group(0), arrived[match.end() :]


def assert_arrived(lab: Lab, account: str, password: str, sent: bytes) -> bytes:
    """The last message of ``account`` is ``sent`` byte for byte behind one Received: header; returns the header."""
    messages = lab.fetch_all(account, password)
    assert messages, f"nothing arrived for {account}"
    header, rest = split_received(messages[-1])
    assert rest == sent
    return header


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    return ensure_certificate(tmp_path_factory.mktemp("tls"))


def start_lab(store: ManagedStore, certificate: CertificateFiles, maildir: Path | None, **smtp: object) -> Lab:
    tls = server_context(certificate)
    settings = SmtpSettings(port=0, tls=tls, **smtp)  # type: ignore[arg-type]
    pop_settings = ServerSettings(
        port=0, tls_port=None, tls=tls, protocol=ServerConfig(tls_available=True, failed_login_delay=0.0)
    )
    return Lab(
        store, SmtpThread(store, settings).start(), ServerThread(store, pop_settings).start(), certificate, maildir
    )


@pytest.fixture(params=["memory", "maildir"])
def lab(request: pytest.FixtureRequest, certificate: CertificateFiles, tmp_path: Path) -> Iterator[Lab]:
    if request.param == "maildir":
        store: ManagedStore = install_demo(tmp_path / "data")
        maildir: Path | None = tmp_path / "data" / "mail"
    else:
        store, maildir = MemoryStore.with_demo(), None
    running = start_lab(store, certificate, maildir)
    try:
        yield running
    finally:
        running.smtp.stop()
        running.pop.stop()


MESSAGE = (
    b"From: Alice <alice@example.com>\r\n"
    b"To: Bob <bob@example.com>\r\n"
    b"Subject: the whole journey\r\n"
    b"Message-ID: <journey-1@example.com>\r\n"
    b"\r\n"
    b"Hello Bob,\r\n"
    b".a line that begins with a dot (stuffed on the wire, not in the mailbox)\r\n"
    b"\r\n"
    b"-- Alice\r\n"
)
