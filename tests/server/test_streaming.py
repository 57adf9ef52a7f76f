"""Large messages are sent piece by piece from the store (issue 14): the same octets as a whole reply, over every
transport and both stores, pipelined commands answered in order after them; TOP reads only what it shows; the
session log is a summary line per session by default and every line with ``--log lines``."""

from __future__ import annotations

import logging
import poplib
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from poplab.protocol.config import ServerConfig
from poplab.protocol.octets import multiline_body, to_crlf, top
from poplab.protocol.seams import Account
from poplab.server.certs import CertificateFiles, server_context
from poplab.server.events import LineEvent, ServerEvent, line_logger
from poplab.server.runner import ServerThread
from poplab.server.session import STREAM_FROM
from poplab.server.settings import ServerSettings
from poplab.store.maildir_store import MaildirStore
from poplab.store.memory import MemoryStore

USER, PASSWORD = "big@example.com", "secret"
Connect = Callable[[], poplib.POP3]


def large_message(size: int = 3 * STREAM_FROM) -> bytes:
    """LF line ends as a Maildir stores them, lines that begin with a dot (stuffed), a last line without LF."""
    header = b"From: a@example.com\nTo: big@example.com\nSubject: large\n\n"
    lines = [b".dotted line %d" % n if n % 7 == 0 else b"line %d of the body" % n for n in range(size // 18)]
    return header + b"\n".join(lines) + b"\n.\n..\nlast line without a line end"


SMALL = b"Subject: small\n\nhello\n"


@pytest.fixture(params=["memory", "maildir"])
def big_store(request: pytest.FixtureRequest, tmp_path: Path) -> MemoryStore | MaildirStore:
    store: MemoryStore | MaildirStore
    if request.param == "memory":
        store = MemoryStore()
    else:
        (tmp_path / "accounts.toml").write_text("")
        store = MaildirStore(tmp_path)
    store.add_account(Account(USER, PASSWORD), [large_message(), SMALL])
    return store


@pytest.fixture
def server(big_store: MemoryStore | MaildirStore, certificate: CertificateFiles) -> Iterator[ServerThread]:
    config = ServerConfig(tls_available=True, failed_login_delay=0.05)
    settings = ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)
    with ServerThread(big_store, settings) as running:
        yield running


def test_a_large_message_comes_out_exactly_as_a_whole_reply_would(connect: Connect) -> None:
    client = connect()
    client.user(USER)
    client.pass_(PASSWORD)
    response, lines, _ = client.retr(1)
    assert response.startswith(b"+OK")
    expected = to_crlf(large_message())
    assert b"\r\n".join(lines) + b"\r\n" == expected  # poplib unstuffs
    assert client.retr(2)[1] == [b"Subject: small", b"", b"hello"]
    client.quit()


def read_until(sock: socket.socket, end: bytes) -> bytes:
    data = b""
    while not data.endswith(end):
        chunk = sock.recv(1 << 16)
        assert chunk, data[-200:]
        data += chunk
    return data


def test_pipelined_commands_after_a_streamed_body_are_answered_in_order(server: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        read_until(sock, b"\r\n")
        sock.sendall(f"USER {USER}\r\nPASS {PASSWORD}\r\nRETR 1\r\nNOOP\r\nRETR 1\r\nRETR 2\r\nQUIT\r\n".encode())
        data = read_until(sock, b"+OK bye\r\n")
    body = multiline_body(large_message())
    retr = b"+OK message follows\r\n" + body
    small = b"+OK message follows\r\n" + multiline_body(SMALL)
    assert data.endswith(retr + b"+OK\r\n" + retr + small + b"+OK bye\r\n")


def test_top_reads_only_what_it_shows(connect: Connect) -> None:
    client = connect()
    client.user(USER)
    client.pass_(PASSWORD)
    for count in (0, 3, 10**8):
        _, lines, _ = client.top(1, count)
        assert b"\r\n".join(lines) + b"\r\n" == top(to_crlf(large_message()), count)
    client.quit()


def test_observers_see_a_streamed_reply_once_with_all_its_octets(server: ServerThread, connect: Connect) -> None:
    seen: list[ServerEvent] = []
    server.subscribe(seen.append)
    client = connect()
    client.user(USER)
    client.pass_(PASSWORD)
    client.retr(1)
    client.quit()
    replies = [e for e in seen if isinstance(e, LineEvent) and e.raw.startswith(b"+OK message follows")]
    assert [reply.raw for reply in replies] == [b"+OK message follows\r\n"]
    assert replies[0].octets == len(b"+OK message follows\r\n" + multiline_body(large_message()))


@pytest.fixture
def summary_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The log as ``poplab serve`` sets it up by default: the server's INFO, not the per-line detail."""
    line_logger.setLevel(logging.WARNING)
    try:
        with caplog.at_level(logging.INFO, logger="poplab.server"):
            yield caplog
    finally:
        line_logger.setLevel(logging.NOTSET)


def wait_for_log(caplog: pytest.LogCaptureFixture, count: int) -> list[str]:
    deadline = time.monotonic() + 5
    while len(caplog.messages) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return caplog.messages


def test_the_default_log_is_one_line_per_session(server: ServerThread, summary_log: pytest.LogCaptureFixture) -> None:
    client = poplib.POP3("127.0.0.1", server.port, timeout=10)
    client.user(USER)
    with pytest.raises(poplib.error_proto):
        client.pass_("wrong")
    client.user(USER)
    client.pass_(PASSWORD)
    client.retr(1)
    client.dele(2)
    client.quit()
    messages = wait_for_log(summary_log, 2)
    assert len(messages) == 2, messages
    assert "login-failed" in messages[0] and "wrong" not in messages[0]
    summary = messages[1]
    assert f"{USER} (USER/PASS): 7 commands, 1 -ERR" in summary
    assert "1 failed login(s), 1 deleted; quit after" in summary
    sent = int(summary.split(" octets sent")[0].rsplit(" ", 1)[1].replace(",", ""))
    assert sent > len(multiline_body(large_message()))


def test_log_lines_shows_every_line_and_a_body_as_one(server: ServerThread, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="poplab.server"):
        client = poplib.POP3("127.0.0.1", server.port, timeout=10)
        client.user(USER)
        client.pass_(PASSWORD)
        client.retr(1)
        client.quit()
        messages = wait_for_log(caplog, 10)
    body = len(multiline_body(large_message()))
    assert [m.split("] ", 1)[1] for m in messages if "] C: " in m or "] S: " in m] == [
        "S: +OK example.com POP3-Server",
        f"C: USER {USER}",
        "S: +OK Please enter password",
        "C: PASS [redacted]",
        "S: +OK mailbox locked and ready",
        "C: RETR 1",
        f"S: +OK message follows (+ {body} octets)",
        "C: QUIT",
        "S: +OK bye",
    ]
