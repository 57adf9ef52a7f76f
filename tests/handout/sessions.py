"""Sessions the handout and capture tests export: the seed session and one with everything a handout must show
(STLS, -ERR, a stuffed dot, a bare LF, the connection closed)."""

from __future__ import annotations

from poplab.transcript import Transcript, TranscriptLine
from tests.annotate.test_golden import SEED

RICH_TEXT = """\
S: +OK ready
C: CAPA
S: +OK capabilities follow
S: STLS
S: USER
S: .
C: STLS
S: +OK begin TLS
--- TLS ---
C: USER alice@example.com
S: +OK
C: PASS wonderland
S: +OK logged in
C: RETR 3
S: +OK message follows
S: Subject: dots
S:
S: ..a line that starts with a dot
S: .
C: RETR 9
S: -ERR no such message
C: QUIT
S: +OK bye
--- S closed ---
"""


def seed() -> Transcript:
    return Transcript.from_text(SEED)


def rich() -> Transcript:
    """The rich session, with a bare LF on one client line."""
    lines = list(Transcript.from_text(RICH_TEXT))
    index = next(number for number, line in enumerate(lines) if line.raw == b"RETR 9\r\n")
    lines[index] = TranscriptLine("C", b"RETR 9\n", tls=True)
    return Transcript(lines)
