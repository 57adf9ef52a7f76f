"""Exercise 16, the journey of a mail: the exercise runs the lab's SMTP server beside its POP3 server over the same
store and records both; the checks read what both servers saw — also from the progress directory, as
``poplab exercise check 16`` does in another process — and a POP3 session that was logged in before the mail
arrived does not count as having fetched it (RFC 1939 §8: the maildrop is fixed at login)."""

from __future__ import annotations

import base64
import smtplib

import pytest

from poplab.client import Session
from poplab.exercises import Progress, find_exercise
from poplab.exercises.checks_smtp import mails
from poplab.exercises.running import check_recorded
from tests.exercises.helpers import EXERCISES, SEED, Starter

JOURNEY = find_exercise("16", EXERCISES)
MESSAGE = b"From: alice@example.com\r\nSubject: The journey\r\n\r\nHello Bob.\r\n"


def send(port: int, to: str = "bob@example.com", sender: str = "alice@example.com") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail(sender, [to], MESSAGE)


def failed(result: object) -> list[str]:
    return [outcome.name for outcome in result.failed]  # type: ignore[attr-defined]


def test_the_task_shows_both_ports_and_how_to_check(run: Starter) -> None:
    running = run(JOURNEY, SEED)
    assert running.smtp_port and running.smtp_port != running.port
    for lang in ("en", "de"):
        task = running.task(lang)
        assert str(running.smtp_port) in task and str(running.port) in task
        assert "poplab exercise check 16" in task


def test_a_session_logged_in_before_the_mail_arrived_does_not_see_it(run: Starter) -> None:
    running = run(JOURNEY, SEED)
    early = Session.connect("127.0.0.1", running.port)
    early.send("USER bob@example.com")
    early.send("PASS builder")
    send(running.smtp_port or 0)
    assert early.send("STAT").text.split()[0] == "1"  # still the one message it saw at login
    early.send("RETR 1")
    early.send("QUIT")
    result = running.check()
    assert failed(result) == ["delivered_retrieved", "delivered_deleted"]
    assert "No POP3 session of bob@example.com has seen a new message yet." in result.text("en")
    late = Session.connect("127.0.0.1", running.port)
    late.send("USER bob@example.com")
    late.send("PASS builder")
    for line in ("RETR 2", "DELE 2", "QUIT"):
        assert late.send(line).ok
    assert running.check().passed


def test_mail_to_someone_else_or_from_someone_else_is_named(run: Starter) -> None:
    running = run(JOURNEY, SEED)
    with pytest.raises(smtplib.SMTPRecipientsRefused):  # no such account here: 550, nothing delivered
        send(running.smtp_port or 0, to="alice@example.com")
    result = running.check()
    assert failed(result)[0] == "smtp_delivered"
    assert "No SMTP session has delivered a message to bob@example.com yet." in result.text("en")
    send(running.smtp_port or 0, sender="mallory@example.com")
    text = running.check().text("de")
    assert "aber von <mallory@example.com>, nicht von <alice@example.com>" in text


def test_the_check_in_another_process_reads_both_servers_from_the_progress(run: Starter, progress: Progress) -> None:
    running = run(JOURNEY, SEED)
    send(running.smtp_port or 0)
    pop = Session.connect("127.0.0.1", running.port)
    pop.send("USER bob@example.com")
    pop.send("PASS builder")
    for line in ("RETR 2", "DELE 2", "QUIT"):
        pop.send(line)
    assert running.check().passed
    running.stop()
    recorded = check_recorded(JOURNEY, progress)
    assert recorded is not None and recorded.passed, recorded and recorded.text()


def test_the_smtp_record_keeps_the_envelope_and_redacts_the_password(run: Starter) -> None:
    running = run(JOURNEY, SEED)
    with smtplib.SMTP("127.0.0.1", running.smtp_port or 0, timeout=10) as smtp:
        smtp.ehlo()
        smtp.docmd("AUTH", "PLAIN " + base64.b64encode(b"\0bob@example.com\0builder").decode())
        smtp.sendmail("alice@example.com", ["BOB@example.com", "nobody@example.com"], MESSAGE)
    running.recorder.settle()
    running.smtp_recorder.settle()
    (record,) = running.smtp_recorder.sessions()
    assert record.protocol == "smtp" and record.end == "quit"
    wire = b"".join(line.raw for line in record.lines)
    assert b"builder" not in wire and base64.b64encode(b"\0bob@example.com\0builder") not in wire
    (mail,) = mails(record)
    assert (mail.sender, mail.recipients, mail.delivered) == ("alice@example.com", ("BOB@example.com",), True)
    assert running.check().outcomes[0].passed  # the address matches the account without regard to case
