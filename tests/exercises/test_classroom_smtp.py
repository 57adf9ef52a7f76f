"""Exercise 16 in class (poplab/exercises/class_server.py): the classroom server runs SMTP beside POP3 over the
students' mailboxes, as a submission server — everyone logs in before MAIL (loopback too), a student sends only
to their own accounts, guesses count in the POP3 server's throttle — and a student who sends with smtplib, then
fetches and deletes with poplib, is done in the report, checked on what both servers saw. A student who sends
but never fetches is not; an SMTP session without mail counts for nobody."""

from __future__ import annotations

import asyncio
import os
import poplib
import re
import smtplib
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from poplab.exercises import find_exercise
from poplab.exercises.class_report import recorded_sessions, report, write_sessions
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom, Student
from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import ServerSettings
from poplab.tui.app import TutorApp, TutorOptions
from poplab.tui.class_grid import ClassGrid
from poplab.tui.replay_files import RecordingError, load_recording
from poplab.tui.screens.dashboard import DashboardScreen
from tests.exercises.helpers import EXERCISES

JOURNEY = find_exercise("16", EXERCISES)


@pytest.fixture
def server(tmp_path: Path, cert_dir: Path) -> Iterator[ClassServer]:
    classroom = Classroom.setup(tmp_path / "class", ["Anna", "Bo"], [find_exercise("01", EXERCISES), JOURNEY])
    config = ServerConfig(tls_available=True, failed_login_delay=0.001)
    tls = server_context(ensure_certificate(cert_dir))
    running = ClassServer(classroom, ServerSettings(port=0, tls_port=None, tls=tls, protocol=config)).start()
    yield running
    running.stop()


def student(server: ClassServer, slug: str) -> Student:
    return server.classroom.find_student(slug)


def mail(account: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "alice@example.com", account, "The journey of a mail"
    message.set_content("Sent in class with smtplib.")
    return message


def send(server: ClassServer, login: str, password: str, to: str) -> None:
    assert server.smtp_port is not None
    with smtplib.SMTP("127.0.0.1", server.smtp_port, timeout=10) as client:
        client.login(login, password)
        client.send_message(mail(to), from_addr="alice@example.com", to_addrs=[to])


def fetch_and_delete_the_last(server: ClassServer, account: str, password: str) -> bytes:
    client = poplib.POP3("127.0.0.1", server.port, timeout=10)
    client.user(account)
    client.pass_(password)
    count, _ = client.stat()
    first_line = client.retr(count)[1][0]
    client.dele(count)
    client.quit()
    return first_line


def test_a_student_sends_fetches_and_deletes_and_is_done(server: ClassServer) -> None:
    anna = student(server, "anna")
    send(server, "anna-16", anna.password, "anna-16")
    assert fetch_and_delete_the_last(server, "anna-16", anna.password).startswith(b"Received: from ")
    server.wait_idle()
    grid = report(server.classroom)
    assert (grid.cell("anna", "16").done, grid.cell("anna", "16").attempts) == (True, 2)  # the SMTP and POP3 sessions
    assert (grid.cell("bo", "16").done, grid.cell("bo", "16").attempts) == (False, 0)


def test_sending_without_fetching_is_not_done(server: ClassServer) -> None:
    bo = student(server, "bo")
    send(server, "bo-16", bo.password, "bo-16")
    server.wait_idle()
    outcome = report(server.classroom).cell("bo", "16")
    assert (outcome.done, outcome.attempts) == (False, 1)
    assert "delivered_retrieved" in outcome.last_failed


def test_everyone_logs_in_before_mail_even_on_loopback(server: ClassServer) -> None:
    assert server.smtp_port is not None
    with smtplib.SMTP("127.0.0.1", server.smtp_port, timeout=10) as client:
        client.ehlo("laptop")
        assert client.mail("alice@example.com") == (530, b"5.7.0 Authentication required")
    server.wait_idle()
    assert report(server.classroom).cell("anna", "16").attempts == 0  # no mail: nobody's session


def test_a_student_sends_only_to_their_own_mail_exercise_account(server: ClassServer) -> None:
    anna = student(server, "anna")
    assert server.smtp_port is not None
    refused = "in this class you send only to your own account of the mail exercise (you logged in as anna-16)"
    with smtplib.SMTP("127.0.0.1", server.smtp_port, timeout=10) as client:
        client.login("anna-16", anna.password)
        client.mail("alice@example.com")
        assert client.rcpt("bo-16") == (550, f"5.7.1 <bo-16>: {refused}".encode())  # a classmate's
        assert client.rcpt("anna-01") == (550, f"5.7.1 <anna-01>: {refused}".encode())  # her POP3 exercise's
        assert client.rcpt("ANNA-16")[0] == 250
    server.wait_idle()
    for account, exercise in (("bo-16", JOURNEY), ("anna-01", find_exercise("01", EXERCISES))):
        messages, _ = server.classroom.store.mailbox_stats(account)
        owner = student(server, account.rpartition("-")[0])
        assert messages == len(server.classroom.variant(owner, exercise).uids)  # nothing from Anna


def test_classroom_serve_runs_smtp_and_says_what_each_session_did(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text("Anna\n", encoding="utf-8")
    command = [sys.executable, "-m", "poplab", "classroom", "serve", str(tmp_path / "roster.csv")]
    command += ["--dir", str(tmp_path / "class"), "--port", "0", "--tls-port", "-1", "--smtp-port", "0"]
    environment = {**os.environ, "POPLAB_LANG": "en"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment) as run:
        try:
            assert run.stdout is not None
            banner = [run.stdout.readline() for _ in range(6)]
            (smtp,) = [line for line in banner if line.startswith("SMTP on 127.0.0.1:")]
            assert smtp.endswith(" (log in with AUTH before MAIL FROM)\n"), banner
            port = int(smtp.removeprefix("SMTP on 127.0.0.1:").split()[0])
            password = Classroom(tmp_path / "class", EXERCISES).find_student("anna").password
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.login("anna-16", password)
                client.send_message(mail("anna-16"), from_addr="alice@example.com", to_addrs=["anna-16"])
            assert run.stdout.readline() == "anna-16: SMTP session 1 ended (quit); not yet, sessions so far: 1\n"
        finally:
            run.terminate()
        errors = run.communicate(timeout=30)[1]
    assert errors == f"Stopped; the results are kept in {tmp_path / 'class'}.\n"  # not even aiosmtpd's warnings


def test_the_teacher_replays_and_lists_both_kinds_of_session(server: ClassServer) -> None:
    """Exercise 16's record holds SMTP and POP3 sessions, each server numbering from 1: both open in the replay
    (``smtp1`` and ``1``), EHLO's reply is a line each, an SMTP session is not tried again on a POP3 server."""
    anna = student(server, "anna")
    send(server, "anna-16", anna.password, "anna-16")
    fetch_and_delete_the_last(server, "anna-16", anna.password)
    server.wait_idle()
    path = server.classroom.dir / "records" / "anna" / "16.jsonl"
    smtp, pop3 = load_recording(path, "smtp1"), load_recording(path, "1")
    assert (smtp.name, smtp.poplab, pop3.name, pop3.poplab) == ("16.jsonl smtp1", False, "16.jsonl #1", True)
    replies = [line.raw for line in smtp.lines if line.direction == "S"]
    assert all(raw.count(b"\r\n") == 1 and raw.endswith(b"\r\n") for raw in replies if raw), replies
    assert b"250-8BITMIME\r\n" in replies and b"250 HELP\r\n" in replies
    with pytest.raises(RecordingError, match=r"has no session smtp2 \(it has smtp1, 1\)"):
        load_recording(path, "smtp2")


async def test_the_dashboard_lists_an_smtp_and_a_pop3_session_of_the_same_number(server: ClassServer) -> None:
    anna = student(server, "anna")
    await asyncio.to_thread(send, server, "anna-16", anna.password, "anna-16")
    await asyncio.to_thread(fetch_and_delete_the_last, server, "anna-16", anna.password)
    await asyncio.to_thread(server.wait_idle)
    grid = ClassGrid(server.classroom)
    app = TutorApp(TutorOptions(lang="en", welcome=False, screen=lambda: DashboardScreen(grid)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.show_sessions("anna", "16")
        await pilot.pause()
        options = screen.query_one("#sessions", OptionList)
        labels = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
        times = r"\d\d:\d\d:\d\d"
        assert len(labels) == 2 and re.fullmatch(rf"#1 {times} · quit · 0 -ERR", labels[0]), labels
        assert re.fullmatch(rf"SMTP #1 {times} · quit · 0 refused \(4xx, 5xx\)", labels[1]), labels
        options.highlighted = 1
        await pilot.pause()
        shown = str(screen.query_one("#session-text", Static).render())
        assert "C: mail FROM:<alice@example.com>" in shown and "· SMTP START · RFC 5321 §3.1" in shown


def test_the_html_report_keeps_an_smtp_and_a_pop3_session_of_the_same_number(
    server: ClassServer, tmp_path: Path
) -> None:
    anna = student(server, "anna")
    send(server, "anna-16", anna.password, "anna-16")
    fetch_and_delete_the_last(server, "anna-16", anna.password)
    server.wait_idle()
    sessions = recorded_sessions(server.classroom, anna, JOURNEY)
    index = write_sessions(tmp_path, "anna-16", sessions, "en").read_text(encoding="utf-8")
    assert sorted(path.name for path in tmp_path.glob("anna-16-*.html")) == ["anna-16-1.html", "anna-16-smtp1.html"]
    assert "SMTP #1 · quit" in index and "#1 · quit" in index
    smtp_page = (tmp_path / "anna-16-smtp1.html").read_text(encoding="utf-8")
    pop3_page = (tmp_path / "anna-16-1.html").read_text(encoding="utf-8")
    assert "SMTP READY</text>" in smtp_page and "State diagram" not in smtp_page  # SMTP's steps, not POP3's states
    assert "TRANSACTION</text>" in pop3_page and "State diagram" in pop3_page
