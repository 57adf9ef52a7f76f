"""The annotator explains SMTP lines too, in English and German, so one transcript holds a mail's whole journey:
sent with SMTP (recorded by the learner's SmtpSession against the lab), fetched with POP3."""

from __future__ import annotations

import pytest

from poplab.annotate import Annotator, Kind, annotate, render
from poplab.annotate.smtp_table import SmtpState
from poplab.client import Session, SmtpSession
from poplab.transcript import TranscriptLine
from tests.smtp.conftest import MESSAGE, Lab


def L(direction: str, raw: bytes) -> TranscriptLine:
    return TranscriptLine(direction, raw)  # type: ignore[arg-type]


SMTP = [
    L("S", b"220 example.com ESMTP poplab teaching server\r\n"),
    L("C", b"EHLO laptop\r\n"),
    L("S", b"250-example.com\r\n"),
    L("S", b"250-SIZE 10485760\r\n"),
    L("S", b"250 STARTTLS\r\n"),
    L("C", b"MAIL FROM:<alice@example.com>\r\n"),
    L("S", b"250 2.1.0 Sender OK\r\n"),
    L("C", b"RCPT TO:<someone@gmail.com>\r\n"),
    L("S", b"550 5.7.1 <someone@gmail.com>: relaying denied\r\n"),
    L("C", b"RCPT TO:<nobody@example.com>\r\n"),
    L("S", b"550 5.1.1 <nobody@example.com>: no such mailbox here\r\n"),
    L("C", b"RCPT TO:<bob@example.com>\r\n"),
    L("S", b"250 2.1.5 Recipient OK\r\n"),
    L("C", b"DATA\r\n"),
    L("S", b"354 End data with <CR><LF>.<CR><LF>\r\n"),
    L("C", b"Subject: hi\r\n"),
    L("C", b"\r\n"),
    L("C", b"..a dot\r\n"),
    L("C", b".\r\n"),
    L("S", b"250 2.0.0 OK: delivered to 1 mailbox as ABC\r\n"),
    L("C", b"QUIT\r\n"),
    L("S", b"221 Bye\r\n"),
    L("S", b""),
]
POP3 = [
    L("S", b"+OK example.com POP3-Server\r\n"),
    L("C", b"USER bob@example.com\r\n"),
    L("S", b"+OK Please enter password\r\n"),
    L("C", b"QUIT\r\n"),
    L("S", b"+OK bye\r\n"),
    L("S", b""),
]


def test_every_smtp_line_is_explained_with_states_and_rfc_sections() -> None:
    notes = annotate(SMTP)
    kinds = [note.kind for note in notes]
    assert kinds[:3] == [Kind.GREETING, Kind.COMMAND, Kind.STATUS]
    assert notes[2].line_count == 3 and "SIZE, STARTTLS" in notes[2].summary
    assert str(notes[2].state_after) == str(SmtpState.READY)
    codes = {code for note in notes for code in note.codes}
    assert {"smtp-relay-denied", "smtp-no-mailbox", "smtp-byte-stuffed"} <= codes
    message = next(note for note in notes if note.kind is Kind.MESSAGE)
    assert message.line_count == 3 and str(message.ref) == "RFC 5321 §4.4"
    dot = next(note for note in notes if note.kind is Kind.TERMINATOR)
    assert dot.raw == b".\r\n" and str(dot.ref) == "RFC 5321 §4.1.1.4"
    final = notes[notes.index(dot) + 1]
    assert final.ok and str(final.state_after) == str(SmtpState.READY) and "POP3" in final.summary
    assert notes[-1].kind is Kind.CLOSED
    refs = {str(note.ref) for note in notes}
    assert {
        "RFC 5321 §3.1",
        "RFC 5321 §4.1.1.1",
        "RFC 5321 §4.1.1.2",
        "RFC 5321 §4.1.1.3",
        "RFC 5321 §4.1.1.10",
    } <= refs


def test_one_transcript_holds_the_whole_journey() -> None:
    notes = annotate([*SMTP, *POP3])
    pop3 = [note for note in notes if note.index >= len(SMTP)]
    assert pop3[0].kind is Kind.GREETING and str(pop3[0].state_before) == "AUTHORIZATION"
    assert str(pop3[0].ref) == "RFC 1939 §4"


def test_out_of_order_clear_text_and_a_drop_inside_data() -> None:
    notes = annotate([
        L("S", b"220 x ESMTP\r\n"), L("C", b"MAIL FROM:<a@b>\r\n"), L("S", b"503 5.5.1 Error: send HELO first\r\n"),
        L("C", b"EHLO me\r\n"), L("S", b"250 x\r\n"), L("C", b"AUTH PLAIN AGEAYg==\r\n"), L("S", b"235 ok\r\n"),
        L("C", b"MAIL FROM:<a@b>\r\n"), L("S", b"250 ok\r\n"), L("C", b"RCPT TO:<c@d>\r\n"), L("S", b"250 ok\r\n"),
        L("C", b"DATA\r\n"), L("S", b"354 go\r\n"), L("C", b"Subject: half\r\n"), L("C", b""),
    ])  # fmt: skip
    codes = [code for note in notes for code in note.codes]
    assert codes.count("smtp-out-of-order") == 1 and "smtp-order" in codes
    assert "smtp-clear-text-password" in codes
    assert "smtp-closed-in-data" in codes
    assert all("AGEAYg" not in line for note in notes for line in note.lines)  # the AUTH secret is not shown


@pytest.mark.parametrize("lang", ["en", "de"])
def test_rendered_in_english_and_german(lang: str) -> None:
    text = render(annotate(SMTP, lang), lang)
    if lang == "de":
        assert "Die Begrüßung: Der Server ist bereit" in text and "kein offenes Relay" in text
    else:
        assert "The greeting: the server is ready" in text and "no open relay" in text


def test_a_live_journey_recorded_by_the_learners_sessions(lab: Lab) -> None:
    annotator = Annotator("en")
    seen = []
    with SmtpSession.connect("127.0.0.1", lab.smtp_port) as smtp:
        smtp.ehlo("laptop")
        smtp.mail_from("alice@example.com")
        smtp.rcpt_to("bob@example.com")
        smtp.data(MESSAGE)
        smtp.quit()
    with Session.connect("127.0.0.1", lab.pop.port) as pop:
        pop.login("bob@example.com", "builder")
        pop.retr(1)
        pop.dele(1)
        pop.quit()
    for line in [*smtp.lines, *pop.lines]:
        seen.extend(annotator.feed(line))
    seen.extend(annotator.finish())
    retr = next(note for note in seen if note.kind is Kind.MESSAGE and note.direction == "S")
    assert retr.lines[0].startswith("Received: from laptop ([127.0.0.1])")
    assert not any(note.why for note in seen)
