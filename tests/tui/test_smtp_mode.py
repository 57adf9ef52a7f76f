"""The tutor's SMTP mode (Ctrl+O or /smtp): the learner sends a mail to bob by hand on the bundled server's SMTP
side — EHLO, MAIL FROM, RCPT TO, DATA, the mail with an empty line, the dot, QUIT — every line explained, the
mailbox pane following the recipient; then, back in POP3 (/pop3), bob fetches it with a Received: header."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.exercises import find_exercise, load_exercises
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom
from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import ServerSettings
from poplab.tui.lab import Endpoint
from poplab.tui.widgets.command_input import CommandInput

from .conftest import MakeApp
from .helpers import badge, mailbox_rows, notes, screen_text, settle, started, type_line, wire_lines

MAIL = (
    "EHLO learner.example",
    "MAIL FROM:<wiki@example.com>",
    "RCPT TO:<bob@example.com>",
    "DATA",
    "Subject: Hello Bob",
    "",
    "Sent by hand.",
    ".",
    "QUIT",
)


async def test_a_mail_sent_by_hand_with_smtp_is_fetched_with_pop3(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+o")
        await started(pilot, app)
        assert notes(app)[-2].startswith("Next connection: SMTP. Mail sent with SMTP lands in the same mailboxes")
        assert badge(app) == "SMTP"
        assert wire_lines(app)[-1].startswith("S: 220 ")
        placeholder = app.main.query_one(CommandInput)
        assert "EHLO learner.example" in placeholder.placeholder
        for line in MAIL[:4]:
            await type_line(pilot, app, line)
        assert wire_lines(app)[-1].startswith("S: 354")
        assert "Subject: Hello Bob" in placeholder.placeholder
        assert mailbox_rows(app) == []  # bob's mailbox: empty until the dot
        for line in MAIL[4:8]:
            await type_line(pilot, app, line)
        assert wire_lines(app)[-5:-1] == ["C: Subject: Hello Bob", "C:", "C: Sent by hand.", "C: ."]
        assert wire_lines(app)[-1].startswith("S: 250")
        assert [row[3] for row in mailbox_rows(app)] == ["Hello Bob"]  # landed in bob's mailbox
        assert "Mailbox of bob@example.com" in screen_text(app)
        await type_line(pilot, app, "QUIT")
        assert badge(app) == "SMTP · closed"
        await type_line(pilot, app, "/pop3")
        await started(pilot, app)
        for line in ("USER bob@example.com", "PASS builder", "RETR 1"):
            await type_line(pilot, app, line)
        lines = wire_lines(app)
        assert lines[lines.index("S: +OK message follows") + 1].startswith("S: Received: from learner.example")
        assert "S: Subject: Hello Bob" in lines and "S: Sent by hand." in lines
        assert badge(app) == "TRANSACTION"


async def test_smtp_needs_the_bundled_server(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "/exercise 2")
        await type_line(pilot, app, "/smtp")
        assert notes(app)[-1] == (
            "SMTP needs the bundled server, or another server's SMTP port: poplab tutor HOST PORT --smtp-port N."
        )
        assert badge(app) == "AUTHORIZATION"


@pytest.fixture
def classroom_server(tmp_path: Path) -> Iterator[ClassServer]:
    journey = find_exercise("16", load_exercises())
    classroom = Classroom.setup(tmp_path / "class", ["Anna"], [journey])
    tls = server_context(ensure_certificate(tmp_path / "tls"))
    config = ServerConfig(tls_available=True, failed_login_delay=0.001)
    with ClassServer(classroom, ServerSettings(port=0, tls_port=None, tls=tls, protocol=config)) as server:
        yield server


async def test_a_classroom_student_does_the_journey_in_the_tutor(
    make_app: MakeApp, classroom_server: ClassServer
) -> None:
    """``poplab tutor HOST PORT --smtp-port N`` (what ``poplab web`` gives a class): Ctrl+O talks to the classroom's
    SMTP side, which wants AUTH first; the mail lands in the student's mailbox and POP3 fetches it."""
    password = classroom_server.classroom.students[0].password
    assert classroom_server.smtp_port is not None
    app = make_app(
        endpoint=Endpoint("127.0.0.1", classroom_server.port, "plain"),
        smtp_endpoint=Endpoint("127.0.0.1", classroom_server.smtp_port, "plain"),
    )
    plain = base64.b64encode(f"\0anna-16\0{password}".encode()).decode()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+o")
        await started(pilot, app)
        assert notes(app)[-1] == f"Connecting to 127.0.0.1:{classroom_server.smtp_port} (plain) …"
        await type_line(pilot, app, "EHLO learner.example")
        shown = [line.split("▏")[0].strip() for line in screen_text(app).splitlines()]
        assert "S: 250-AUTH LOGIN PLAIN" in shown and "S: 250 HELP" in shown  # a row each, no \x0d\x0a
        assert f"127.0.0.1:{classroom_server.smtp_port} · plain" in shown[0]  # the status bar: where SMTP goes
        await type_line(pilot, app, "MAIL FROM:<alice@example.com>")
        assert wire_lines(app)[-1] == "S: 530 5.7.0 Authentication required"
        await type_line(
            pilot, app, f"/plain anna-16 {password}"
        )  # the tutor builds the base64, and says it hides nothing
        assert app.main.query_one(CommandInput).value == f"AUTH PLAIN {plain}"
        assert notes(app)[-1] == (
            "AUTH PLAIN = base64 of NUL, anna-16, NUL, the password (RFC 4616 §2): an encoding, not a secret. Anyone "
            "who sees the line can decode the password, so send it after STLS or STARTTLS."
        )
        await pilot.press("enter")
        await settle(pilot, app)
        for line in ("MAIL FROM:<alice@example.com>", "RCPT TO:<anna-16>", *MAIL[3:]):
            await type_line(pilot, app, line)
        assert "S: 235 2.7.0 Authentication successful" in wire_lines(app)
        assert wire_lines(app)[-3].startswith("S: 250 2.0.0 OK: delivered to 1 mailbox")
        assert wire_lines(app)[-2:] == ["C: QUIT", "S: 221 Bye"]
        await type_line(pilot, app, "/pop3")
        await started(pilot, app)
        for line in ("USER anna-16", f"PASS {password}", "STAT"):
            await type_line(pilot, app, line)
        assert wire_lines(app)[-1].startswith("S: +OK 2 ")  # the mailbox's one message and the new one
