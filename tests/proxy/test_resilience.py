"""The proxy survives a client or a server that goes away at any point, tells the client in one line when the
server cannot be reached, and a server that is slow or hangs holds up only its own session."""

from __future__ import annotations

import poplib
import socket
import ssl
import time
from collections.abc import Iterator

import pytest

from poplab.annotate import Kind, annotate
from poplab.protocol.config import ServerConfig
from poplab.proxy import ProxySettings, ProxyThread, Upstream, texts
from poplab.server.certs import CertificateFiles
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from tests.proxy.helpers import FakeUpstream, MakeProxy, Raw, Recorder, forward, free_port

SEED_COMMANDS = [b"USER wiki@example.com", b"PASS passwort_im_klartext", b"STAT", b"LIST", b"RETR 1", b"DELE 1"]
GREETING = b"+OK example.com POP3-Server\r\n"


def wait_until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def fake() -> Iterator[list[FakeUpstream]]:
    made: list[FakeUpstream] = []
    yield made
    for upstream in made:
        upstream.close()


@pytest.mark.parametrize("stop_after", range(len(SEED_COMMANDS) + 1))
def test_a_client_that_goes_away_after_any_command_changes_nothing(
    stop_after: int, server: ServerThread, make_proxy: MakeProxy, store: MemoryStore
) -> None:
    proxied = make_proxy(server.port)
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    for command in SEED_COMMANDS[:stop_after]:
        raw.send(command + b"\r\n")
        raw.until_dot() if command in (b"LIST", b"RETR 1") else raw.line()
    raw.close()
    (transcript,) = proxied.recorder.ended()
    assert transcript.lines[-1].raw == b"" and transcript.lines[-1].direction == "C"
    wait_until(lambda: server.session_count() == 0 and proxied.proxy.session_count() == 0)
    assert len(store.stored("wiki@example.com")) == 1  # no QUIT: nothing deleted


def test_a_client_that_goes_away_in_the_middle_of_a_big_retr(
    server: ServerThread, make_proxy: MakeProxy, store: MemoryStore
) -> None:
    proxied = make_proxy(server.port)
    raw = Raw(proxied.port)
    raw.line()
    raw.send(b"USER dave@example.com\r\nPASS bigfiles\r\nRETR 2\r\n")
    raw.lines(3)
    raw.sock.recv(1000)
    raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    raw.close()  # a reset, with most of the 3 MB still on its way
    proxied.recorder.ended()
    wait_until(lambda: server.session_count() == 0 and proxied.proxy.session_count() == 0)
    assert len(store.stored("dave@example.com")) == 2


def test_a_server_that_drops_in_the_middle_of_retr(
    store: MemoryStore, certificate: CertificateFiles, make_proxy: MakeProxy
) -> None:
    config = ServerConfig(faults=frozenset({"drop-retr"}))
    with ServerThread(store, ServerSettings(port=0, tls_port=None, protocol=config)) as broken:
        proxied = make_proxy(broken.port)
        client = poplib.POP3("127.0.0.1", proxied.port, timeout=10)
        client.user("alice@example.com")
        client.pass_("wonderland")
        client.dele(1)
        with pytest.raises(poplib.error_proto, match="EOF"):
            client.retr(2)  # poplib reads until the connection ends: no final dot
        (transcript,) = proxied.recorder.ended()
    assert len(store.stored("alice@example.com")) == 6  # the DELE was never committed
    annotations = annotate(transcript)
    cut = next(a for a in annotations if a.kind is Kind.MESSAGE)
    assert "body-incomplete" in cut.codes and not cut.raw.endswith(b"\r\n.\r\n")
    assert annotations[-1].kind is Kind.CLOSED and annotations[-1].direction == "S"
    assert "deletes-lost" in annotations[-1].codes


def test_an_unreachable_server_is_one_err_line_and_the_proxy_goes_on(make_proxy: MakeProxy) -> None:
    port = free_port()
    proxied = make_proxy(port)
    for _ in range(2):
        raw = Raw(proxied.port)
        expected = texts.UNREACHABLE.format(upstream=f"127.0.0.1:{port}", reason="connection refused")
        assert raw.rest() == expected.encode()
    first, _ = proxied.recorder.ended(2)
    assert [line.raw for line in first] == [expected.encode(), b""]
    assert annotate(first)[0].why is not None and annotate(first)[0].why.code == "greeting-refused"
    assert proxied.recorder.notes().count(texts.UPSTREAM_FAILED) == 2


def test_an_untrusted_server_certificate_is_refused(server: ServerThread) -> None:
    assert server.tls_port is not None
    upstream = Upstream("127.0.0.1", server.tls_port, "tls", ssl.create_default_context())  # system CAs only
    with ProxyThread(ProxySettings(upstream, port=0)) as proxy:
        reply = Raw(proxy.port).rest()
    assert reply.startswith(b"-ERR [SYS/TEMP] poplab proxy: cannot reach the POP3 server 127.0.0.1:")
    assert b"(certificate not trusted (self-signed certificate))\r\n" in reply


def test_a_server_that_refuses_stls_gets_no_plain_text(make_proxy: MakeProxy, fake: list[FakeUpstream]) -> None:
    heard: list[bytes] = []

    def refuse(connection: socket.socket, number: int) -> None:
        connection.sendall(b"+OK old server\r\n")
        heard.append(connection.recv(100))
        connection.sendall(b"-ERR what is STLS?\r\n")
        heard.append(connection.recv(100))

    fake.append(FakeUpstream(refuse))
    proxied = make_proxy(fake[0].port, "stls")
    reply = Raw(proxied.port).rest()
    assert reply.endswith(b"(the server refused STLS, and the proxy does not fall back to plain text)\r\n")
    wait_until(lambda: len(heard) == 2)
    assert heard == [b"STLS\r\n", b""]


@pytest.mark.parametrize(
    ("script", "client_gets"),
    [
        (b"", b""),
        (b"+OK hel", b"+OK hel"),
        (b"+OK hello\r\n-ERR bye", b"+OK hello\r\n-ERR bye"),
    ],
)
def test_a_server_that_goes_away_at_any_point(
    script: bytes, client_gets: bytes, make_proxy: MakeProxy, fake: list[FakeUpstream]
) -> None:
    fake.append(FakeUpstream(lambda connection, number: connection.sendall(script)))
    proxied = make_proxy(fake[0].port)
    assert Raw(proxied.port).rest() == client_gets
    (transcript,) = proxied.recorder.ended()
    assert b"".join(line.raw for line in transcript) == client_gets
    assert transcript.lines[-1].closed and transcript.lines[-1].direction == "S"
    assert len(annotate(transcript)) >= 1


def test_a_hanging_server_holds_up_only_its_own_session(
    server: ServerThread, make_proxy: MakeProxy, fake: list[FakeUpstream]
) -> None:
    """Session 1 waits for a greeting that does not come (and later for the rest of a message); session 2,
    meanwhile, does a whole session."""

    def behave(connection: socket.socket, number: int) -> None:
        if number == 1:
            upstream.release.wait(20)
            connection.sendall(b"+OK late\r\n")
            connection.recv(100)
            connection.sendall(b"+OK 120 octets\r\nSubject: half\r\n")
            upstream.release.wait(20)
            return
        forward(connection, server.port)

    upstream = FakeUpstream(behave)
    fake.append(upstream)
    proxied = make_proxy(upstream.port)
    waiting = Raw(proxied.port)
    wait_until(lambda: len(upstream.connections) == 1)
    started = time.monotonic()
    client = poplib.POP3("127.0.0.1", proxied.port, timeout=10)
    client.user("alice@example.com")
    client.pass_("wonderland")
    assert len(client.list()[1]) == 6 and client.retr(6)[1]
    client.quit()
    assert time.monotonic() - started < 5 and not upstream.release.is_set()
    wait_until(lambda: proxied.proxy.session_count() == 1)  # only the hanging one is left
    upstream.release.set()
    assert waiting.line() == b"+OK late\r\n"
    waiting.close()


def test_a_server_that_sends_nothing_after_the_greeting_and_a_client_that_leaves(
    make_proxy: MakeProxy, fake: list[FakeUpstream]
) -> None:
    upstream = FakeUpstream(lambda connection, number: upstream.release.wait(20))
    fake.append(upstream)
    proxied = make_proxy(upstream.port, "stls")  # the proxy waits for the greeting before it can send STLS
    Raw(proxied.port).close()
    (transcript,) = proxied.recorder.ended()
    assert [line.raw for line in transcript] == [b""]
    wait_until(lambda: proxied.proxy.session_count() == 0)


def test_observers_that_fail_do_not_stop_the_relay(server: ServerThread, make_proxy: MakeProxy) -> None:
    proxied = make_proxy(server.port)

    def broken(event: object) -> None:
        raise RuntimeError("observer bug")

    proxied.proxy.subscribe(broken)
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    raw.send(b"QUIT\r\n")
    assert raw.rest() == b"+OK bye\r\n"
    assert isinstance(proxied.recorder, Recorder) and proxied.recorder.ended()


@pytest.mark.parametrize("then", [b"", b"this is not a TLS handshake\r\n"])
def test_a_client_that_fails_its_stls_handshake(then: bytes, server: ServerThread, make_proxy: MakeProxy) -> None:
    proxied = make_proxy(server.port, "plain", "stls")
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    raw.send(b"STLS\r\n")
    assert raw.line() == texts.STLS_OK.encode()
    if then:
        raw.send(then)
        assert raw.rest() == b""  # the proxy gives up on this client
    raw.close()
    (transcript,) = proxied.recorder.ended()
    assert transcript.lines[-1].closed
    wait_until(lambda: proxied.proxy.session_count() == 0 and server.session_count() == 0)
    if then:
        assert texts.CLIENT_TLS_FAILED in proxied.recorder.notes()
