"""Password guessing over SMTP AUTH is slowed down as over POP3 (poplab/smtp/handler.py): after a failed AUTH
the connection waits before it reads the next one, and with the POP3 server's throttle shared (as
``poplab serve --smtp-port`` shares it) failures on either port count together — above the free allowance a
login is put off unchecked with ``454 4.7.0`` and a time, even with the right password; another account from
elsewhere is not held up. The annotator explains the 454."""

from __future__ import annotations

import poplib
import smtplib
from collections.abc import Iterator

import pytest

from poplab.annotate import annotate
from poplab.protocol.config import ServerConfig
from poplab.server.certs import CertificateFiles, server_context
from poplab.server.runner import ServerThread
from poplab.server.settings import LoginThrottle, ServerSettings
from poplab.smtp import SmtpSettings, SmtpThread
from poplab.store.memory import MemoryStore
from poplab.transcript import TranscriptLine

GERMAN = (
    "Die Anmeldung ist aufgeschoben, nicht abgelehnt: zu viele fehlgeschlagene Anmeldungen für dieses Konto oder von "
    "dieser Adresse."
)
PUT_OFF = b"4.7.0 Too many failed logins for this account or from this address; try again in 60 s"


class Lab:
    def __init__(self, certificate: CertificateFiles, delay: float) -> None:
        self.store = MemoryStore.with_demo()
        tls = server_context(certificate)
        throttle = LoginThrottle(free_per_account=2, free_per_address=50, base_delay=60, max_delay=60)
        config = ServerConfig(tls_available=True, failed_login_delay=0.001)
        pop_settings = ServerSettings(port=0, tls_port=None, tls=tls, protocol=config, login_throttle=throttle)
        self.pop = ServerThread(self.store, pop_settings).start()
        smtp_settings = SmtpSettings(port=0, tls=tls, failed_login_delay=delay)
        self.smtp = SmtpThread(self.store, smtp_settings, self.pop.server.throttle).start()
        self.pauses: list[float] = []

        async def pause(seconds: float) -> None:
            self.pauses.append(seconds)

        self.smtp.lab.handler.pause = pause

    def auth(self, client: smtplib.SMTP, name: str, password: str) -> tuple[int, bytes]:
        client.user, client.password = name, password
        return client.auth("PLAIN", client.auth_plain, initial_response_ok=True)

    def login(self, name: str, password: str) -> tuple[int, bytes]:
        with smtplib.SMTP("127.0.0.1", self.smtp.port, timeout=10) as client:
            client.ehlo("student")
            try:
                return self.auth(client, name, password)
            except smtplib.SMTPAuthenticationError as refused:
                return refused.smtp_code, refused.smtp_error


@pytest.fixture
def lab(certificate: CertificateFiles) -> Iterator[Lab]:
    running = Lab(certificate, delay=1.0)
    yield running
    running.smtp.stop()
    running.pop.stop()


def test_guesses_over_smtp_put_off_the_right_password(lab: Lab) -> None:
    wrong = (535, b"5.7.8 Authentication credentials invalid")
    guesses = [lab.login("bob@example.com", "guess") for _ in range(4)]
    assert guesses == [wrong, wrong, wrong, (454, PUT_OFF)]  # two free, the third starts the wait
    assert lab.login("bob@example.com", "builder") == (454, PUT_OFF)  # refused unchecked while put off
    assert lab.login("alice@example.com", "wonderland") == (235, b"2.7.0 Authentication successful")


def test_guesses_on_either_port_count_together(lab: Lab) -> None:
    for _ in range(3):
        pop = poplib.POP3("127.0.0.1", lab.pop.port, timeout=10)
        pop.user("bob@example.com")
        with pytest.raises(poplib.error_proto):
            pop.pass_("guess")
        pop.quit()
    assert lab.login("bob@example.com", "builder") == (454, PUT_OFF)
    pop = poplib.POP3("127.0.0.1", lab.pop.port, timeout=10)
    pop.user("bob@example.com")
    with pytest.raises(poplib.error_proto, match=r"LOGIN-DELAY"):
        pop.pass_("builder")


def test_a_connection_waits_after_each_failed_auth(lab: Lab) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp.port, timeout=10) as client:
        client.ehlo("student")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            lab.auth(client, "alice@example.com", "guess")
        assert lab.pauses == []  # the first AUTH of a connection is not held
        assert lab.auth(client, "alice@example.com", "wonderland")[0] == 235
    assert lab.pauses == [1.0]


def test_the_annotator_explains_the_454() -> None:
    lines = [
        TranscriptLine("S", b"220 example.com ESMTP poplab teaching server\r\n"),
        TranscriptLine("C", b"EHLO student\r\n"),
        TranscriptLine("S", b"250 example.com\r\n"),
        TranscriptLine("C", b"AUTH PLAIN AGJvYgBidWlsZGVy\r\n"),
        TranscriptLine("S", b"454 " + PUT_OFF + b"\r\n"),
    ]
    for lang, reason in (
        ("en", "The login is put off, not refused: too many failed logins for this account or from this address."),
        ("de", GERMAN),
    ):
        put_off = annotate(lines, lang)[-1]
        assert put_off.why is not None and (put_off.why.code, put_off.why.reason) == ("smtp-auth-put-off", reason)
        assert put_off.why.ref is not None and (put_off.why.ref.rfc, put_off.why.ref.section) == (4954, "6")
