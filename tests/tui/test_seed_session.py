"""The learner types the article's session into the tutor: the transcript, the state badge after every step and
the server-side mailbox table come out as the article and RFC 1939 say."""

from __future__ import annotations

from tests.tui.conftest import MakeApp
from tests.tui.helpers import SEED, badge, mailbox_rows, notes, settle, started, type_line, wire_lines

SEED_TRANSCRIPT = [
    "S: +OK example.com POP3-Server",
    "C: USER wiki@example.com",
    "S: +OK Please enter password",
    "C: PASS passwort_im_klartext",
    "S: +OK mailbox locked and ready",
    "C: STAT",
    "S: +OK 1 236",
    "C: LIST",
    "S: +OK mailbox has 1 messages (236 octets)",
    "S: 1 236",
    "S: .",
    "C: RETR 1",
    "S: +OK message follows",
    "S: Date: Mon, 18 Oct 2004 04:11:45 +0200",
    "S: From: Someone <me@example.com>",
    "S: To: wiki@example.com",
    "S: Subject: Test-E-Mail",
    "S: Content-Type: text/plain; charset=us-ascii; format=flowed",
    "S: Content-Transfer-Encoding: 7bit",
    "S:",
    "S: Dies ist eine Test-E-Mail",
    "S: .",
    "C: DELE 1",
    "S: +OK message marked for delete - will be deleted on QUIT",
    "C: QUIT",
    "S: +OK bye",
]
BADGES = ["AUTHORIZATION", "TRANSACTION", "TRANSACTION", "TRANSACTION", "TRANSACTION", "TRANSACTION", "UPDATE · closed"]
SEED_ROW = ("1", "", "236", "Test-E-Mail", "1098065505.M1P0Q1.poplab-demo")
MARKED_ROW = ("1", "✗ marked", "236", "Test-E-Mail", "1098065505.M1P0Q1.poplab-demo")


async def test_the_seed_session_typed_key_by_key(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot, app)
        assert badge(app) == "AUTHORIZATION"
        assert mailbox_rows(app) == []  # before the login a POP3 server shows no mailbox
        seen = []
        for line in SEED:
            await type_line(pilot, app, line, keys=True)
            seen.append(badge(app))
            if line == "PASS passwort_im_klartext":
                assert mailbox_rows(app) == [SEED_ROW]
            if line == "DELE 1":
                assert mailbox_rows(app) == [MARKED_ROW]
        assert seen == BADGES
        assert wire_lines(app) == SEED_TRANSCRIPT
        assert mailbox_rows(app) == []


async def test_rset_clears_the_mark_in_the_mailbox_table(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot, app)
        for line in (*SEED[:2], "DELE 1"):
            await type_line(pilot, app, line)
        assert mailbox_rows(app) == [MARKED_ROW]
        await type_line(pilot, app, "RSET")
        assert wire_lines(app)[-2:] == ["C: RSET", "S: +OK maildrop has 1 messages (236 octets)"]
        assert mailbox_rows(app) == [SEED_ROW]
        await type_line(pilot, app, "QUIT")
        assert badge(app) == "UPDATE · closed"
        assert mailbox_rows(app) == [SEED_ROW]


async def test_a_closed_connection_is_marked_once(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await type_line(pilot, app, "QUIT")
        await type_line(pilot, app, "STAT")
        await pilot.press("ctrl+d")
        await settle(pilot, app)
        assert [(line.direction, line.raw) for line in app.conductor.lab.lines] == [
            ("S", b"+OK example.com POP3-Server\r\n"),
            ("C", b"QUIT\r\n"),
            ("S", b"+OK bye\r\n"),
            ("S", b""),
        ]
        assert notes(app)[-1] == "Not sent: the connection is closed; connect again"
