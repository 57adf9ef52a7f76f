"""A hostile or huge upstream server costs the proxy bounded memory and time (issue 13, defect 12): bodies stream
through (a large message arrives intact, only its start is recorded), a line or a CAPA reply that never ends and
a greeting that never comes close that session with one clear -ERR line and a note, and other clients are served
meanwhile."""

from __future__ import annotations

import hashlib
import poplib
import socket
import tracemalloc
from collections.abc import Iterator

import pytest

from poplab.annotate import Kind, annotate
from poplab.proxy import texts
from poplab.proxy.body import StreamedBody
from poplab.proxy.settings import BODY_RECORD, MAX_CAPA_BYTES, MAX_LINE
from poplab.server.runner import ServerThread
from tests.proxy.helpers import FakeUpstream, MakeProxy, Raw, forward

GREETING = b"+OK hostile\r\n"
ENDLESS = 16 * 1024 * 1024
"""What a hostile server sends at most in these tests (the proxy cuts it off long before)."""


@pytest.fixture
def fake() -> Iterator[list[FakeUpstream]]:
    made: list[FakeUpstream] = []
    yield made
    for upstream in made:
        upstream.close()


def endless(connection: socket.socket, piece: bytes) -> None:
    """Send ``piece`` again and again (up to ENDLESS bytes) until the proxy hangs up."""
    for _ in range(ENDLESS // len(piece)):
        connection.sendall(piece)


# ---- a big message streams through ---------------------------------------------------------------------------


def message_chunks(megabytes: int) -> Iterator[bytes]:
    """A generated, dot-stuffed body: plain lines, stuffed dots, a 200 KiB line, bare LFs; about ``megabytes``."""
    yield b"Subject: big\r\n\r\n" + b"..stuffed\r\n" + b"L" * 200_000 + b"\r\n" + b"bare\n..\n..\r\n"
    block = b"".join(b"line %06d " % n + b"x" * 60 + b"\r\n" for n in range(1000)) + b"..dot\r\n"
    for _ in range(megabytes * 1024 * 1024 // len(block)):
        yield block


def test_a_big_retr_streams_through_intact_with_bounded_memory(make_proxy: MakeProxy, fake: list[FakeUpstream]) -> None:
    sent = hashlib.sha256()

    def behave(connection: socket.socket, number: int) -> None:
        connection.sendall(GREETING)
        connection.recv(100)
        for chunk in (b"+OK 64 MB\r\n", *message_chunks(64), b".\r\n"):
            sent.update(chunk)
            connection.sendall(chunk)
        connection.recv(100)
        connection.sendall(b"+OK bye\r\n")

    fake.append(FakeUpstream(behave))
    proxied = make_proxy(fake[0].port)
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    received, size, tail = hashlib.sha256(), 0, b""
    tracemalloc.start()
    try:
        raw.send(b"RETR 1\r\n")
        while not tail.endswith(b"\r\n.\r\n"):
            chunk = raw.sock.recv(1 << 20)
            assert chunk, "the proxy closed in the middle of the message"
            received.update(chunk)
            size, tail = size + len(chunk), (tail + chunk)[-5:]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    raw.send(b"QUIT\r\n")
    assert raw.rest() == b"+OK bye\r\n"
    assert size > 64_000_000 and received.digest() == sent.digest()
    assert peak < 8 * 1024 * 1024, f"the proxy held {peak} bytes"  # before: the whole message, several times
    (transcript,) = proxied.recorder.ended()
    body = [line.raw for line in transcript if line.direction == "S"][2:-2]
    assert body[-1] == b".\r\n" and BODY_RECORD <= sum(map(len, body)) <= BODY_RECORD + MAX_LINE
    assert body[:3] == [b"Subject: big\r\n", b"\r\n", b"..stuffed\r\n"]
    assert texts.BODY_NOT_RECORDED in proxied.recorder.notes()
    assert any(annotation.kind is Kind.MESSAGE for annotation in annotate(transcript))  # the start, explained


# ---- the final dot, wherever the bytes are split ---------------------------------------------------------------


BODY = b"a\r\n..b\r\n.c\n\r\n..\r\n.x"
FINAL = b"\r\n.\r\n"


@pytest.mark.parametrize("first", range(len(BODY + FINAL) + 1))
def test_the_final_dot_is_found_across_any_split(first: int) -> None:
    wire = BODY + FINAL + b"+OK next\r\n"
    body = StreamedBody(keep=1000)
    used, lines = body.feed(wire[:first])
    assert used == first or body.done
    if not body.done:
        more, rest = body.feed(wire[first:])
        used, lines = used + more, lines + rest
    assert body.done and wire[:used] == BODY + FINAL and body.omitted == 0
    assert b"".join(lines) == BODY + FINAL and lines[-1] == b".\r\n"


@pytest.mark.parametrize("wire", [b".\r\n", b".\n", b"..\r\n.\r\n", b"x\n.\n"])
def test_short_and_bare_lf_bodies_end(wire: bytes) -> None:
    body = StreamedBody(keep=1000)
    assert body.feed(wire + b"+OK")[0] == len(wire) and body.done


def test_only_the_start_of_a_body_is_kept_and_the_final_dot_always() -> None:
    body = StreamedBody(keep=10)
    _, lines = body.feed(b"12345\r\n12345\r\n" * 1000)
    more, rest = body.feed(b"tail\r\n.\r\n")
    assert lines + rest == [b"12345\r\n", b"12345\r\n", b".\r\n"]
    assert body.done and body.size == 14_000 + more and body.omitted == body.size - 17


# ---- endless lines, an endless CAPA, no greeting -------------------------------------------------------------


@pytest.mark.parametrize("security", ["plain", "stls"])
def test_a_greeting_that_never_ends_is_cut_off(security: str, make_proxy: MakeProxy, fake: list[FakeUpstream]) -> None:
    fake.append(FakeUpstream(lambda connection, number: endless(connection, b"+OK " + b"y" * 65536)))
    proxied = make_proxy(fake[0].port, security)
    reply = Raw(proxied.port).rest()
    if security == "plain":
        assert reply == texts.OVERLONG_LINE.encode()
        assert texts.UPSTREAM_OVERLONG_LINE in proxied.recorder.notes()
    else:  # the proxy reads the greeting itself before it sends STLS
        assert reply.startswith(b"-ERR [SYS/TEMP] poplab proxy: cannot reach the POP3 server 127.0.0.1:")
        assert f"(the server sent more than {MAX_LINE} bytes without a line end)\r\n".encode() in reply
    (transcript,) = proxied.recorder.ended()
    assert transcript.lines[-1].closed and sum(len(line.raw) for line in transcript) < 200


def test_an_endless_line_after_a_command_is_cut_off_with_a_note(
    make_proxy: MakeProxy, fake: list[FakeUpstream]
) -> None:
    def behave(connection: socket.socket, number: int) -> None:
        connection.sendall(GREETING)
        connection.recv(100)
        endless(connection, b"-ERR " + b"z" * 65536)

    fake.append(FakeUpstream(behave))
    proxied = make_proxy(fake[0].port)
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    raw.send(b"NOOP\r\n")
    assert raw.rest() == texts.OVERLONG_LINE.encode()
    (transcript,) = proxied.recorder.ended()
    assert [line.raw for line in transcript] == [GREETING, b"NOOP\r\n", texts.OVERLONG_LINE.encode(), b""]
    assert texts.UPSTREAM_OVERLONG_LINE in proxied.recorder.notes()


def test_an_endless_capa_is_cut_off_and_another_client_is_served(
    server: ServerThread, make_proxy: MakeProxy, fake: list[FakeUpstream]
) -> None:
    def behave(connection: socket.socket, number: int) -> None:
        if number == 2:
            forward(connection, server.port)
            return
        connection.sendall(GREETING)
        connection.recv(100)
        connection.sendall(b"+OK capabilities\r\n")
        endless(connection, b"X-CAPABILITY-THAT-NEVER-ENDS\r\n" * 1000)

    fake.append(FakeUpstream(behave))
    proxied = make_proxy(fake[0].port)
    hostile = Raw(proxied.port)
    assert hostile.line() == GREETING
    hostile.send(b"CAPA\r\n")
    honest = poplib.POP3("127.0.0.1", proxied.port, timeout=10)
    honest.user("alice@example.com")
    honest.pass_("wonderland")
    assert len(honest.list()[1]) == 6
    honest.quit()
    assert hostile.rest() == texts.OVERLONG_CAPA.encode()  # nothing of the endless reply reached the client
    assert texts.UPSTREAM_OVERLONG_CAPA in proxied.recorder.notes()
    transcripts = proxied.recorder.ended(2)
    assert max(sum(len(line.raw) for line in t) for t in transcripts) < MAX_CAPA_BYTES


def test_a_greeting_that_never_comes_is_given_up(make_proxy: MakeProxy, fake: list[FakeUpstream]) -> None:
    upstream = FakeUpstream(lambda connection, number: (connection.sendall(b"+OK sl"), upstream.release.wait(20)))
    fake.append(upstream)
    proxied = make_proxy(upstream.port, greeting_timeout=0.2)
    assert Raw(proxied.port).rest() == texts.NO_GREETING.encode()
    (transcript,) = proxied.recorder.ended()
    assert [line.raw for line in transcript] == [texts.NO_GREETING.encode(), b""]
    assert texts.UPSTREAM_NO_GREETING in proxied.recorder.notes()
