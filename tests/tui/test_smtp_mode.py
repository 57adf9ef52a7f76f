"""The tutor's SMTP mode (Ctrl+O or /smtp): the learner sends a mail to bob by hand on the bundled server's SMTP
side — EHLO, MAIL FROM, RCPT TO, DATA, the mail with an empty line, the dot, QUIT — every line explained, the
mailbox pane following the recipient; then, back in POP3 (/pop3), bob fetches it with a Received: header."""

from __future__ import annotations

from poplab.tui.widgets.command_input import CommandInput

from .conftest import MakeApp
from .helpers import badge, mailbox_rows, notes, screen_text, started, type_line, wire_lines

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
        assert notes(app)[-1] == "SMTP needs the bundled server (its SMTP side delivers into the same mailboxes)."
        assert badge(app) == "AUTHORIZATION"
