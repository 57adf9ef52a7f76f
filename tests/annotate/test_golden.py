"""The seed session (PROTOCOL.md §1), annotated in English and German, matches the reviewed golden files.

After an intended change of a text, regenerate them with ``POPLAB_UPDATE_GOLDEN=1 python -m pytest
tests/annotate/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from poplab.annotate import Kind, annotate, render
from poplab.protocol import rfc
from poplab.protocol.states import State
from poplab.transcript import Transcript

GOLDEN = Path(__file__).parent / "golden"
SEED = """\
S: +OK example.com POP3-Server
C: USER wiki@example.com
S: +OK Please enter password
C: PASS passwort_im_klartext
S: +OK mailbox locked and ready
C: STAT
S: +OK 1 236
C: LIST
S: +OK mailbox has 1 messages (236 octets)
S: 1 236
S: .
C: RETR 1
S: +OK message follows
S: Date: Mon, 18 Oct 2004 04:11:45 +0200
S: From: Someone <me@example.com>
S: To: wiki@example.com
S: Subject: Test-E-Mail
S: Content-Type: text/plain; charset=us-ascii; format=flowed
S: Content-Transfer-Encoding: 7bit
S:
S: Dies ist eine Test-E-Mail
S: .
C: DELE 1
S: +OK message marked for delete - will be deleted on QUIT
C: QUIT
S: +OK bye
"""


def seed() -> Transcript:
    return Transcript.from_text(SEED)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_seed_session_matches_the_golden_file(lang: str) -> None:
    text = render(annotate(seed(), lang), lang, long=True)
    golden = GOLDEN / f"seed.{lang}.txt"
    if os.environ.get("POPLAB_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_seed_session_annotations() -> None:
    annotations = annotate(seed())
    A, T, U = State.AUTHORIZATION, State.TRANSACTION, State.UPDATE
    assert [(a.index, a.line_count, a.kind, a.state_before, a.state_after) for a in annotations] == [
        (0, 1, Kind.GREETING, A, A),
        (1, 1, Kind.COMMAND, A, A),
        (2, 1, Kind.STATUS, A, A),
        (3, 1, Kind.COMMAND, A, A),
        (4, 1, Kind.STATUS, A, T),
        (5, 1, Kind.COMMAND, T, T),
        (6, 1, Kind.STATUS, T, T),
        (7, 1, Kind.COMMAND, T, T),
        (8, 1, Kind.STATUS, T, T),
        (9, 2, Kind.LISTING, T, T),
        (11, 1, Kind.COMMAND, T, T),
        (12, 1, Kind.STATUS, T, T),
        (13, 9, Kind.MESSAGE, T, T),
        (22, 1, Kind.COMMAND, T, T),
        (23, 1, Kind.STATUS, T, T),
        (24, 1, Kind.COMMAND, T, T),
        (25, 1, Kind.STATUS, T, U),
    ]
    assert all(a.ref is not None and a.summary and a.detail for a in annotations)
    assert [a.ref for a in annotations][:3] == [rfc.GREETING, rfc.USER, rfc.USER]
    assert annotations[-1].ref == rfc.UPDATE


def test_seed_message_body_is_one_annotation_with_its_octets() -> None:
    body = annotate(seed())[12]
    assert body.summary == "Message 1: 8 lines, 236 octets."
    assert body.octets == 239
    assert body.octets_note == "content 236 + stuffing dots 0 + final dot line 3"
    assert "LIST announced 236 octets for it: the sizes match." in body.detail
    assert body.lines[0] == "Date: Mon, 18 Oct 2004 04:11:45 +0200" and body.lines[-1] == "."


def test_seed_password_is_flagged_and_redacted() -> None:
    password = annotate(seed())[3]
    assert password.lines == ("PASS [redacted]",)
    assert password.raw == b"PASS passwort_im_klartext\r\n"
    assert password.codes == ("cleartext-password",)
    assert password.findings[0].ref == rfc.CLEARTEXT_PASSWORD


def test_seed_session_without_quit_loses_the_deletion() -> None:
    cut = Transcript(seed().lines[:-2])
    end = annotate(cut)[-1]
    assert end.kind is Kind.END and end.codes == ("deletes-lost",)
    assert end.findings[0].text == "The session ended without QUIT: the deletion of message 1 is lost."
    german = annotate(cut, "de")[-1]
    assert german.findings[0].text == "Die Sitzung endete ohne QUIT: Die Löschmarkierung von Nachricht 1 verfällt."
