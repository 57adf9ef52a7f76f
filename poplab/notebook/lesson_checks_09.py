"""The self-checks of lesson 09 (the journey of a mail): each runs on the task's own copy of the demo mailboxes
with the lab's SMTP server beside it — the learner's RCPT TO line in a whole SMTP session, the protocol word of the
``Received:`` header the server really wrote, and the POP3 commands that fetch and delete the mail that arrived —
and is judged on what the servers did: whether the mail reached bob, and whether it is gone again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from poplab.notebook.lesson_check import CHECK_SECONDS, Context, task
from poplab.notebook.sandbox import Sandbox
from poplab.notebook.smtp_session import LabSmtpSession, SmtpExchange
from poplab.notebook.verdict import Both, Outcome
from poplab.server.bundled import lab_smtp

BOB = "bob@example.com"
MAIL = ("Subject: The journey of a mail", "", "Hello Bob.", ".")


@contextmanager
def journey(context: Context, ident: str) -> Iterator[tuple[Sandbox, LabSmtpSession]]:
    """The task's fresh copy of the mailboxes, an SMTP server over it and a session to that server (EHLO sent)."""
    copy = context.lab.sandbox(ident, fresh=True)
    smtp = lab_smtp(copy.store, context.lab.folder / "tls", host=copy.host)
    try:
        session = LabSmtpSession(copy.host, int(smtp.port), context.lang, timeout=CHECK_SECONDS)
        session.send("EHLO check.example")
        yield copy, session
        session.drop()
    finally:
        smtp.stop()


def send_to_bob(session: LabSmtpSession, rcpt: str = f"RCPT TO:<{BOB}>") -> SmtpExchange:
    """MAIL FROM alice, ``rcpt``, and the message: the reply to ``rcpt``."""
    session.send("MAIL FROM:<alice@example.com>")
    answer = session.send(rcpt[:200])
    if session.send("DATA").code == 354:
        for line in MAIL:
            session.send(line)
    session.quit()
    return answer


def said(*exchanges: SmtpExchange) -> tuple[str, ...]:
    return tuple(exchange.reply[-1] if exchange.reply else exchange.problem for exchange in exchanges)


def _text_hint() -> Both:
    return Both('Write the line as text, e.g. "NOOP".', 'Schreibe die Zeile als Text, z. B. "NOOP".')


@task("09-1", "rcpt")
def rcpt_bob(context: Context) -> Outcome:
    line = context["rcpt"]
    if not isinstance(line, str):
        return Outcome(False, _text_hint())
    with journey(context, "09-1") as (copy, session):
        answer = send_to_bob(session, line)
        arrived = len(copy.stored(BOB))
    hint = Both(
        "The server must accept bob as the recipient (250) and then hold the mail in bob's mailbox. The address goes "
        "in angle brackets after RCPT TO: — and only the lab's own domain, example.com, is delivered here.",
        "Der Server muss bob als Empfänger annehmen (250) und die Mail dann in bobs Postfach ablegen. Die Adresse "
        "steht in spitzen Klammern nach RCPT TO: – und nur die eigene Domain des Labs, example.com, wird hier "
        "zugestellt.",
    )
    return Outcome(arrived == 1, hint, (line[:80],), said(answer), (), (answer,))


@task("09-2", "protocol")
def received_protocol(context: Context) -> Outcome:
    answer = context["protocol"]
    if not isinstance(answer, str):
        return Outcome(False, _text_hint())
    with journey(context, "09-2") as (copy, session):
        send_to_bob(session)
        stored = next(iter(copy.stored(BOB).values()), b"")
    header = stored.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace").split()
    word = header[header.index("with") + 1] if "with" in header else ""
    hint = Both(
        "Read the word after 'with' in the Received: line: EHLO makes it ESMTP (HELO: SMTP); after STARTTLS an S "
        "follows, after AUTH an A.",
        "Lies das Wort nach 'with' in der Zeile Received: – EHLO macht daraus ESMTP (HELO: SMTP); nach STARTTLS "
        "folgt ein S, nach AUTH ein A.",
    )
    return Outcome(answer.strip().upper() == word, hint, (answer[:40],))


@task("09-3", "commands")
def fetch_and_delete(context: Context) -> Outcome:
    commands = context["commands"]
    if not isinstance(commands, list) or not all(isinstance(command, str) for command in commands):
        hint = Both(
            'Write a list of texts, e.g. ["NOOP", "NOOP"].', 'Schreibe eine Liste von Texten, z. B. ["NOOP", "NOOP"].'
        )
        return Outcome(False, hint)
    with journey(context, "09-3") as (copy, session):
        send_to_bob(session)
        arrived = set(copy.stored(BOB))
        pop = copy.session(BOB)
        exchanges = [pop.send(command[:200]) for command in commands[:20]]
        pop.drop()
        left = set(copy.stored(BOB))
    fetched = any(e.ok and c.strip().upper().startswith("RETR") for c, e in zip(commands, exchanges, strict=False))
    hint = Both(
        "Download the mail with RETR, mark it with DELE and end with QUIT: only QUIT makes the server remove it.",
        "Lade die Mail mit RETR herunter, markiere sie mit DELE und beende mit QUIT: Erst QUIT lässt den Server sie "
        "entfernen.",
    )
    passed = bool(arrived) and fetched and not (arrived & left)
    statuses = tuple(e.status or e.problem for e in exchanges if e.status or e.problem)
    return Outcome(passed, hint, tuple(command[:80] for command in commands[:20]), statuses)
