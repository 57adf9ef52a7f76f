"""Slots are limited from accept: per client address, in total also before a TLS handshake, with a time limit
for the handshake and a total time limit for the login; running out of file descriptors pauses accepting with one
log line (issue 13)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import pytest

from poplab.protocol.config import ServerConfig
from poplab.server.certs import CertificateFiles, server_context
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore

GREETING = b"+OK example.com POP3-Server\r\n"


def settings(certificate: CertificateFiles | None = None, **limits: object) -> ServerSettings:
    tls = server_context(certificate) if certificate is not None else None
    config = ServerConfig(tls_available=tls is not None, failed_login_delay=0)
    return ServerSettings(port=0, tls_port=0, tls=tls, protocol=config, **limits)  # type: ignore[arg-type]


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore.with_demo()


def connect(port: int, source: str = "127.0.0.1") -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))


def closed_within(sock: socket.socket, seconds: float) -> bytes:
    """Everything the server sent until it closed (fails when it is still open after ``seconds``)."""
    sock.settimeout(seconds)
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def test_one_address_holds_at_most_its_share(store: MemoryStore) -> None:
    with ServerThread(store, settings(max_per_address=3)) as server:
        mine = [connect(server.port) for _ in range(3)]
        for sock in mine:
            assert sock.recv(100) == GREETING
        with connect(server.port) as fourth:
            assert (
                closed_within(fourth, 10)
                == b"-ERR [SYS/TEMP] too many connections from your address, try again later\r\n"
            )
        with connect(server.port, "127.0.0.2") as elsewhere:  # another address still gets in
            assert elsewhere.recv(100) == GREETING
        mine.pop().close()
        deadline = time.monotonic() + 10
        while server.session_count() > 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        with connect(server.port) as again:  # a slot given back can be taken again
            assert again.recv(100) == GREETING
        for sock in mine:
            sock.close()


def test_tls_connections_count_from_accept_and_their_handshake_is_timed(
    store: MemoryStore, certificate: CertificateFiles
) -> None:
    limits = settings(certificate, max_connections=4, tls_handshake_timeout=0.5, login_timeout=60)
    with ServerThread(store, limits) as server:
        assert server.tls_port is not None
        silent = [connect(server.tls_port) for _ in range(4)]  # TCP up, never a ClientHello
        deadline = time.monotonic() + 10
        while server.session_count() < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        with connect(server.port) as plain:  # every slot is taken by a handshake that never started
            assert closed_within(plain, 10) == b"-ERR [SYS/TEMP] too many connections, try again later\r\n"
        for sock in silent:
            assert closed_within(sock, 10) == b""  # cut off after the handshake time, without a word
        deadline = time.monotonic() + 10
        while server.session_count() and time.monotonic() < deadline:
            time.sleep(0.01)
        with connect(server.port) as plain:
            assert plain.recv(100) == GREETING


def test_a_login_has_a_total_time_limit_that_trickling_bytes_does_not_extend(store: MemoryStore) -> None:
    with ServerThread(store, settings(login_timeout=0.6)) as server, connect(server.port) as slow:
        assert slow.recv(100) == GREETING
        started = time.monotonic()
        try:
            for byte in b"USER wiki@example.com":  # a byte every 0.1 s, for longer than the limit
                slow.send(bytes([byte]))
                time.sleep(0.1)
        except OSError:
            pass  # closed while we were still trickling
        assert closed_within(slow, 10) == b"-ERR no login within 0.6 seconds, closing connection\r\n"
        assert time.monotonic() - started < 2.1  # the trickle alone would have taken 2.1 s


def test_a_logged_in_session_has_no_login_time_limit(store: MemoryStore) -> None:
    with ServerThread(store, settings(login_timeout=0.3)) as server, connect(server.port) as sock:
        assert sock.recv(100) == GREETING
        sock.sendall(b"USER wiki@example.com\r\nPASS passwort_im_klartext\r\n")
        time.sleep(0.6)
        sock.sendall(b"STAT\r\nQUIT\r\n")
        assert closed_within(sock, 10).endswith(b"+OK 1 236\r\n+OK bye\r\n")


OUT_OF_FILES = textwrap.dedent(
    """
    import logging, resource, socket, sys, time
    from poplab.protocol.config import ServerConfig
    from poplab.server.runner import ServerThread
    from poplab.server.settings import ServerSettings
    from poplab.store.memory import MemoryStore

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    resource.setrlimit(resource.RLIMIT_NOFILE, (48, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    config = ServerConfig(failed_login_delay=0)
    settings = ServerSettings(port=0, tls_port=None, protocol=config, raise_fd_limit=False)
    with ServerThread(MemoryStore.with_demo(), settings) as server:
        print(server.port, flush=True)
        sys.stdin.readline()  # the parent has run the process out of files, then let go
        time.sleep(1.5)
        print(server.session_count(), flush=True)
        sys.stdin.readline()
    """
)


def test_running_out_of_file_descriptors_pauses_accepting_with_one_log_line() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", OUT_OF_FILES], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    try:
        port = int(child.stdout.readline())
        held = [connect(port, f"127.0.0.{2 + n % 3}") for n in range(60)]  # more than the child may open
        time.sleep(1.5)  # about three pauses
        for sock in held:
            sock.close()
        child.stdin.write(b"\n")
        child.stdin.flush()
        assert int(child.stdout.readline()) == 0
        with connect(port) as sock:  # accepting again
            assert sock.recv(100) == GREETING
        child.stdin.write(b"\n")
        child.stdin.flush()
        log = child.stderr.read().decode()
        child.wait(10)
    finally:
        child.kill()
    assert log.count("cannot accept connections (EMFILE)") == 1, log
    assert "Traceback" not in log and log.count("\n") <= 3, log


@pytest.fixture
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CertificateFiles]:
    from poplab.server.certs import ensure_certificate

    yield ensure_certificate(tmp_path_factory.mktemp("limits-tls"))
