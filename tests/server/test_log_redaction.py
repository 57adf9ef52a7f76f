"""The session log never shows a secret: PASS, APOP, AUTH responses — also when the line is too long."""

from __future__ import annotations

import logging

import pytest

from poplab.protocol import effects as fx
from poplab.protocol.server import ServerConnection
from poplab.server.events import LineEvent, SessionEvent, SessionInfo, log_event, shown
from poplab.store.memory import MemoryStore

SECRET = "MySecretPassword"


def received(*lines: bytes) -> list[fx.Received]:
    conn = ServerConnection(MemoryStore())
    effects = [effect for line in lines for effect in conn.receive_data(line)]
    return [effect for effect in effects if isinstance(effect, fx.Received)]


@pytest.mark.parametrize(
    "line, expected",
    [
        (f"PASS {SECRET * 20}".encode(), b"PASS [redacted]"),  # longer than 255 octets: only a prefix is kept
        (f"APOP u {SECRET * 20}".encode(), b"APOP u [redacted]"),
        (f"PASS {SECRET}\r\n".encode(), b"PASS [redacted]\r\n"),
    ],
)
def test_credentials_are_redacted_in_what_the_log_shows(line: bytes, expected: bytes) -> None:
    [effect] = received(b"USER u\r\n", line)[1:]
    event = LineEvent(SessionInfo(1, "peer", False), "C", effect.raw, False, 0.0, effect.sensitive)
    assert shown(event) == expected


def test_the_log_line_itself(caplog: pytest.LogCaptureFixture) -> None:
    [effect] = received(f"PASS {SECRET * 20}".encode())
    with caplog.at_level(logging.INFO, logger="poplab.server"):
        log_event(LineEvent(SessionInfo(7, "peer", False), "C", effect.raw, False, 0.0, effect.sensitive))
    assert caplog.messages == ["[7] C: PASS [redacted]"]


def test_client_bytes_cannot_forge_log_lines_or_drive_the_terminal(caplog: pytest.LogCaptureFixture) -> None:
    """Issue 13: a CR, an escape sequence, a C1 control or a direction mark is shown escaped, never raw."""
    raw = b"USER x\r[1] S: +OK forged\x1b[2J\x1b]0;title\x07\xc2\x9b31m\xe2\x80\xaegnp.exe\xff\r\n"
    conn = ServerConnection(MemoryStore())
    [effect] = [e for e in conn.receive_data(raw) if isinstance(e, fx.Received)]
    with caplog.at_level(logging.INFO, logger="poplab.server"):
        log_event(LineEvent(SessionInfo(3, "peer", False), "C", effect.raw, False, 0.0, effect.sensitive))
        log_event(SessionEvent(SessionInfo(3, "peer", False), "login-failed", "x\x1b[2J\r\nforged", 0.0))
    assert caplog.messages == [
        "[3] C: USER x\\x0d[1] S: +OK forged\\x1b[2J\\x1b]0;title\\x07\\x9b31m\\u202egnp.exe\\xff",
        "[3] login-failed x\\x1b[2J\\x0d\\x0aforged",
    ]
    assert all(message.isprintable() for message in caplog.messages)
