"""The lab's rules for peers beyond loopback, on the handler's hooks (a test cannot connect from another host):
no AUTH in clear text (538, and EHLO does not offer it), AUTH before MAIL (530, RFC 6409 §4.3); on loopback, and
after STARTTLS, both are allowed. The Received: header's parts."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import pytest
from aiosmtpd.smtp import MISSING, Envelope, LoginPassword, Session

from poplab.smtp.handler import AUTH_REQUIRED, ENCRYPTION_REQUIRED, LabHandler
from poplab.smtp.received import address_literal, received_header
from poplab.smtp.settings import SmtpSettings, is_loopback
from poplab.store.memory import MemoryStore

EHLO = ["250-example.com", "250-SIZE 10485760", "250-STARTTLS", "250-AUTH LOGIN PLAIN", "250 HELP"]


def _session(peer: str, tls: bool = False, authenticated: bool = False) -> Session:
    session = Session(asyncio.new_event_loop())
    session.peer = (peer, 40000)  # type: ignore[assignment]
    session.ssl = {"cipher": "x"} if tls else None
    session.authenticated = authenticated
    return session


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.mark.parametrize(
    ("peer", "tls", "allowed"),
    [("127.0.0.1", False, True), ("::1", False, True), ("192.0.2.7", False, False), ("192.0.2.7", True, True)],
)
def test_clear_text_auth_only_on_loopback_or_after_starttls(peer: str, tls: bool, allowed: bool) -> None:
    handler = LabHandler(MemoryStore.with_demo(), SmtpSettings())
    session = _session(peer, tls)
    offered = _run(handler.handle_EHLO(None, session, Envelope(), "client", list(EHLO)))  # type: ignore[arg-type]
    assert ("250-AUTH LOGIN PLAIN" in offered) is allowed
    assert session.host_name == "client"
    status = _run(handler.handle_AUTH(None, session, Envelope(), ["PLAIN"]))  # type: ignore[arg-type]
    assert status is (MISSING if allowed else ENCRYPTION_REQUIRED) or status == ENCRYPTION_REQUIRED


def test_allow_plaintext_lifts_the_rule() -> None:
    handler = LabHandler(MemoryStore.with_demo(), SmtpSettings(allow_plaintext=True))
    assert _run(handler.handle_AUTH(None, _session("192.0.2.7"), Envelope(), ["PLAIN"])) is MISSING  # type: ignore[arg-type]


@pytest.mark.parametrize(("peer", "authenticated", "expected"), [
    ("127.0.0.1", False, "250 2.1.0 Sender OK"),
    ("192.0.2.7", False, AUTH_REQUIRED),
    ("192.0.2.7", True, "250 2.1.0 Sender OK"),
])  # fmt: skip
def test_beyond_loopback_auth_comes_before_mail(peer: str, authenticated: bool, expected: str) -> None:
    handler = LabHandler(MemoryStore.with_demo(), SmtpSettings())
    envelope = Envelope()
    status = _run(handler.handle_MAIL(None, _session(peer, authenticated=authenticated), envelope, "a@b.c", []))  # type: ignore[arg-type]
    assert status == expected
    assert (envelope.mail_from == "a@b.c") is (expected != AUTH_REQUIRED)


def test_the_authenticator_checks_the_labs_passwords() -> None:
    handler = LabHandler(MemoryStore.with_demo(), SmtpSettings())
    session = _session("127.0.0.1")

    def check(name: bytes, password: bytes) -> bool:
        return bool(handler.authenticate(None, session, None, "PLAIN", LoginPassword(name, password)).success)  # type: ignore[arg-type]

    assert check(b"bob@example.com", b"builder")
    assert not check(b"bob@example.com", b"x")
    assert not check(b"nobody@example.com", b"")


def test_too_many_recipients_is_452() -> None:
    handler = LabHandler(MemoryStore.with_demo(), SmtpSettings(max_recipients=2))
    envelope = Envelope()
    statuses = [
        _run(handler.handle_RCPT(None, _session("127.0.0.1"), envelope, "bob@example.com", []))  # type: ignore[arg-type]
        for _ in range(3)
    ]
    assert statuses == ["250 2.1.5 Recipient OK", "250 2.1.5 Recipient OK", "452 4.5.3 Too many recipients"]


def test_the_received_header() -> None:
    when = datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    header = received_header(
        helo="laptop", peer="::1", hostname="example.com", extended=True, tls=True, authenticated=False,
        message_id="ABC", recipient="bob@example.com", when=when,
    )  # fmt: skip
    assert header == (
        b"Received: from laptop ([IPv6:::1])\r\n"
        b"\tby example.com (poplab) with ESMTPS id ABC\r\n\tfor <bob@example.com>; Tue, 04 Mar 2025 05:06:07 +0000\r\n"
    )
    odd = received_header(
        helo="a (b) c", peer="127.0.0.1", hostname="example.com", extended=False, tls=False, authenticated=False,
        message_id="X", recipient=None, when=when,
    )  # fmt: skip
    assert odd.startswith(b"Received: from unknown ([127.0.0.1])\r\n\tby example.com (poplab) with SMTP id X; ")
    assert address_literal("nonsense") == "[unknown]"
    assert is_loopback(("127.0.0.5", 1)) and is_loopback("::ffff:127.0.0.1") and not is_loopback("192.0.2.1")
