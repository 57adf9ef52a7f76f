"""Exact bytes on a raw socket: the seed session, STLS buffering, oversized lines, many idle connections."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

from poplab.server.runner import ServerThread

SEED = Path(__file__).parent / "seed-session.txt"


def converse(sock: socket.socket, script: list[tuple[str, str]]) -> bytes:
    """Send each C line and read until the expected S bytes have arrived; return everything read."""
    received = b""
    for direction, text in script:
        data = text.encode() + b"\r\n"
        if direction == "C":
            sock.sendall(data)
            continue
        received += read_exactly(sock, len(data))
    return received


def read_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def seed_script() -> list[tuple[str, str]]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [(line[0], line[3:]) for line in lines if line[:3] in ("S: ", "C: ") or line in ("S:",)]


def expected_server_bytes() -> bytes:
    return b"".join(text.encode() + b"\r\n" for direction, text in seed_script() if direction == "S")


def test_seed_session_replays_byte_for_byte_over_plain(server: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        assert converse(sock, seed_script()) == expected_server_bytes()
        assert sock.recv(1) == b""  # the server closed after QUIT


def test_seed_session_replays_byte_for_byte_over_implicit_tls(server: ServerThread, client_tls: ssl.SSLContext) -> None:
    assert server.tls_port is not None
    with socket.create_connection(("127.0.0.1", server.tls_port), timeout=10) as raw:
        with client_tls.wrap_socket(raw, server_hostname="127.0.0.1") as sock:
            assert converse(sock, seed_script()) == expected_server_bytes()


def test_stls_discards_pipelined_plaintext(server: ServerThread, client_tls: ssl.SSLContext) -> None:
    """CVE-2011-0411: a CAPA sent in the same packet as STLS must not be answered after the handshake."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        assert sock.recv(100) == b"+OK example.com POP3-Server\r\n"
        sock.sendall(b"STLS\r\nCAPA\r\n")
        answer = b"+OK Begin TLS negotiation\r\n"
        assert read_exactly(sock, len(answer)) == answer
        with client_tls.wrap_socket(sock, server_hostname="127.0.0.1") as secure:
            secure.sendall(b"NOOP\r\n")
            assert secure.recv(200) == b"-ERR command not valid in this state\r\n"
            secure.sendall(b"STLS\r\n")
            assert secure.recv(200) == b"-ERR TLS is already active\r\n"


def test_a_1mb_line_gets_err_and_the_server_serves_the_next_client(server: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.recv(100)
        sock.sendall(b"X" * 1_000_000)
        assert sock.recv(200) == b"-ERR line too long (at most 255 octets)\r\n"
        sock.sendall(b"\r\nNOOP\r\n")
        assert sock.recv(200) == b"-ERR command not valid in this state\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as other:
        assert other.recv(100) == b"+OK example.com POP3-Server\r\n"
        other.sendall(b"QUIT\r\n")
        assert other.recv(100) == b"+OK bye\r\n"


def test_binary_junk_gets_err_and_never_crashes(server: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.recv(100)
        sock.sendall(b"\x00\xff\xfe junk\r\n")
        assert sock.recv(200) == b"-ERR command contains control characters\r\n"
        sock.sendall(b"\xc3\x28\r\n")
        assert sock.recv(200) == b"-ERR command is not valid UTF-8\r\n"
        sock.sendall(b"HELO\r\n")
        assert sock.recv(200) == b"-ERR unknown command; too many bad commands, closing connection\r\n"
        assert sock.recv(10) == b""


def test_200_idle_connections_do_not_block_a_new_session(server: ServerThread) -> None:
    # from four loopback addresses: one address may hold at most 100 connections
    sources = [(f"127.0.0.{2 + n % 4}", 0) for n in range(200)]
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10, source_address=s) for s in sources]
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            assert converse(sock, seed_script()) == expected_server_bytes()
        assert server.session_count() >= 200
    finally:
        for sock in idle:
            sock.close()
