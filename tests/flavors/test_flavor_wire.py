"""Each flavour on the wire, through the real server: its own CAPA listing (before and after login), response
codes and refusals (bad login, a locked maildrop, an account without POP access, unknown commands), its STLS
behaviour, and whether it hangs up — exact bytes. Real clients (poplib, with STLS or implicit TLS) still work."""

from __future__ import annotations

import poplib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab import __version__
from poplab.protocol import faults
from poplab.protocol.config import ServerConfig
from poplab.protocol.flavors import FLAVORS
from poplab.server.certs import CertificateFiles, client_context, ensure_certificate, server_context
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore

LOGIN = [b"USER alice@example.com", b"PASS wonderland"]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    return ensure_certificate(Path(tmp_path_factory.mktemp("tls")))


def serve(name: str, certificate: CertificateFiles) -> ServerThread:
    config = ServerConfig(flavor=name, tls_available=True, failed_login_delay=0)
    settings = ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)
    return ServerThread(MemoryStore.with_demo(), settings)


@pytest.fixture(scope="module", params=list(FLAVORS))
def running(request: pytest.FixtureRequest, certificate: CertificateFiles) -> Iterator[tuple[str, ServerThread]]:
    with serve(request.param, certificate) as server:
        yield request.param, server


class Wire:
    """A raw client: send one line, read one reply as bytes (to the dot for multi-line ones)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer = sock, b""
        self.greeting = self.line()

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError(self.buffer)
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line + b"\r\n"

    def send(self, command: bytes, multiline: bool = False) -> bytes:
        self.sock.sendall(command + b"\r\n")
        reply = self.line()
        while multiline and reply.startswith(b"+OK") and not reply.endswith(b"\r\n.\r\n"):
            reply += self.line()
        return reply

    def run(self, commands: list[bytes]) -> list[bytes]:
        return [self.send(command) for command in commands]

    def closed(self) -> bool:
        self.sock.settimeout(5)
        return self.buffer == b"" and self.sock.recv(100) == b""


def connect(server: ServerThread) -> Wire:
    return Wire(socket.create_connection(("127.0.0.1", server.port), timeout=10))


def connect_tls(server: ServerThread, certificate: CertificateFiles) -> Wire:
    assert server.tls_port is not None
    raw = socket.create_connection(("127.0.0.1", server.tls_port), timeout=10)
    return Wire(client_context(certificate.cert).wrap_socket(raw, server_hostname="localhost"))


def listing(status: bytes, *caps: str) -> bytes:
    return status + b"\r\n" + b"".join(cap.encode() + b"\r\n" for cap in caps) + b".\r\n"


SEED_CAPS = ("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING")
DOVECOT_CAPS = ("CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE")
CYRUS_CAPS = ("EXPIRE NEVER", "LOGIN-DELAY 0", "TOP", "UIDL", "PIPELINING", "RESP-CODES", "AUTH-RESP-CODE")
GMAIL_CAPS = ("RESP-CODES", "EXPIRE 0", "LOGIN-DELAY 300", "TOP", "UIDL", "X-GOOGLE-RICO")
IMPLEMENTATION = f"IMPLEMENTATION poplab-{__version__}"
MECHANISMS = "SASL PLAIN LOGIN CRAM-MD5"

CAPA_BEFORE_LOGIN = {
    "seed": listing(b"+OK Capability list follows", "TOP", "USER", *SEED_CAPS[1:], MECHANISMS, "STLS", IMPLEMENTATION),
    "dovecot": listing(b"+OK", *DOVECOT_CAPS, "STLS", "USER", MECHANISMS),
    "cyrus": listing(
        b"+OK List of capabilities follows", MECHANISMS, "STLS", *CYRUS_CAPS, "USER", "IMPLEMENTATION Cyrus POP3 3.12.3"
    ),
    "exchange": listing(b"+OK", "TOP", "UIDL", "SASL PLAIN", "USER", "STLS"),
    "gmail": listing(b"+OK Capability list follows", "USER", *GMAIL_CAPS, "SASL PLAIN"),
}
CAPA_AFTER_LOGIN = {
    "seed": listing(b"+OK Capability list follows", *SEED_CAPS, IMPLEMENTATION),
    "dovecot": listing(b"+OK", *DOVECOT_CAPS),
    "cyrus": listing(b"+OK List of capabilities follows", *CYRUS_CAPS, "IMPLEMENTATION Cyrus POP3 3.12.3"),
    "exchange": listing(b"+OK", "TOP", "UIDL"),
    "gmail": listing(b"+OK Capability list follows", *GMAIL_CAPS),
}


def test_capa_before_and_after_login(running: tuple[str, ServerThread]) -> None:
    name, server = running
    wire = connect(server)
    assert wire.send(b"CAPA", multiline=True) == CAPA_BEFORE_LOGIN[name]
    assert wire.run(LOGIN)[1].startswith(b"+OK")
    assert wire.send(b"CAPA", multiline=True) == CAPA_AFTER_LOGIN[name]
    assert wire.send(b"QUIT").startswith(b"+OK")


def test_capa_over_implicit_tls(running: tuple[str, ServerThread], certificate: CertificateFiles) -> None:
    """No STLS once TLS is on; Cyrus lists SASL after login only over TLS."""
    name, server = running
    wire = connect_tls(server, certificate)
    before = CAPA_BEFORE_LOGIN[name].replace(b"STLS\r\n", b"")
    assert wire.send(b"CAPA", multiline=True) == before
    wire.run(LOGIN)
    after = CAPA_AFTER_LOGIN[name]
    if name == "cyrus":
        after = after.replace(b"follows\r\n", b"follows\r\n" + MECHANISMS.encode() + b"\r\n")
    assert wire.send(b"CAPA", multiline=True) == after


BAD_LOGIN = {
    "seed": b"-ERR [AUTH] invalid user name or password\r\n",
    "dovecot": b"-ERR [AUTH] Authentication failed.\r\n",
    "cyrus": b"-ERR [AUTH] Invalid login\r\n",
    "exchange": b"-ERR Logon failure: unknown user name or bad password.\r\n",
    "gmail": b"-ERR [AUTH] Username and password not accepted.\r\n",
}


def test_bad_login(running: tuple[str, ServerThread]) -> None:
    name, server = running
    wire = connect(server)
    assert wire.run([b"USER alice@example.com", b"PASS wrong"])[1] == BAD_LOGIN[name]


POP_DISABLED = {
    "seed": b"-ERR [AUTH] POP3 access is disabled for this account\r\n",
    "dovecot": b"-ERR [AUTH] Login disabled for this user\r\n",
    "cyrus": b"-ERR [SYS/TEMP] Access to this service has been blocked\r\n",
    "exchange": b"-ERR Logon failure: unknown user name or bad password.\r\n",
    "gmail": b"-ERR [SYS/PERM] Your account is not enabled for POP access. "
    b"Please visit your Gmail settings page and enable your account for POP access.\r\n",
}


def test_an_account_without_pop_access(running: tuple[str, ServerThread]) -> None:
    """carol@example.com has the right password but POP3 switched off (as Exchange's PopEnabled=$false)."""
    name, server = running
    wire = connect(server)
    assert wire.run([b"USER carol@example.com", b"PASS carol123"])[1] == POP_DISABLED[name]
    if name == "cyrus":  # user_deny.db: Cyrus says so and hangs up
        assert wire.closed()
    else:
        assert wire.send(b"NOOP").startswith(b"-ERR")  # still AUTHORIZATION, still connected


IN_USE = {
    "seed": b"-ERR [IN-USE] mailbox already locked by another session\r\n",
    "dovecot": b"-ERR [IN-USE] Mailbox is locked by another POP3 session.\r\n",
    "cyrus": b"-ERR [IN-USE] Unable to lock maildrop: Mailbox is locked\r\n",
    "exchange": b"-ERR The mailbox is in use by another session.\r\n",
    "gmail": b"-ERR [IN-USE] Mailbox in use by another session.\r\n",
}


def test_a_locked_maildrop(running: tuple[str, ServerThread]) -> None:
    name, server = running
    first, second = connect(server), connect(server)
    assert first.run(LOGIN)[1].startswith(b"+OK")
    assert second.run(LOGIN)[1] == IN_USE[name]
    if name == "dovecot":  # pop3/main.c: the session is destroyed after the -ERR
        assert second.closed()
    else:
        assert second.send(b"NOOP").startswith(b"-ERR")
    assert first.send(b"QUIT").startswith(b"+OK")


UNKNOWN = {
    "seed": (b"-ERR unknown command\r\n", b"-ERR unknown command\r\n"),
    "dovecot": (b"-ERR Unknown command.\r\n", b"-ERR Unknown command: foo\r\n"),
    "cyrus": (b"-ERR Unrecognized command\r\n", b"-ERR Unrecognized command\r\n"),
    "exchange": (b"-ERR Protocol error. 19\r\n", b"-ERR Protocol error. 19\r\n"),
    "gmail": (b"-ERR bad command\r\n", b"-ERR Command not understood\r\n"),
}
WRONG_STATE = {
    "seed": (b"-ERR command not valid in this state\r\n", b"-ERR command not valid in this state\r\n"),
    "dovecot": (b"-ERR Unknown command.\r\n", b"-ERR Unknown command: USER\r\n"),
    "cyrus": (b"-ERR Unrecognized command\r\n", b"-ERR Unrecognized command\r\n"),
    "exchange": (b"-ERR Command is not valid in this state.\r\n", b"-ERR Command is not valid in this state.\r\n"),
    "gmail": (b"-ERR bad command\r\n", b"-ERR Command not understood\r\n"),
}


def test_unknown_commands_and_wrong_states(running: tuple[str, ServerThread]) -> None:
    name, server = running
    wire = connect(server)
    before = (wire.send(b"foo"), wire.send(b"STAT"))
    wire.run(LOGIN)
    after = (wire.send(b"foo"), wire.send(b"USER bob@example.com"))
    assert (before[0], after[0]) == UNKNOWN[name]
    assert (before[1], after[1]) == WRONG_STATE[name]


STLS_WHEN_SECURE = {
    "seed": b"-ERR TLS is already active\r\n",
    "dovecot": b"-ERR TLS is already active.\r\n",
    "cyrus": b"-ERR Already successfully executed STLS\r\n",
    "exchange": b"-ERR Command is not valid in this state.\r\n",
    "gmail": b"-ERR bad command\r\n",
}


def test_stls_once_tls_is_on(running: tuple[str, ServerThread], certificate: CertificateFiles) -> None:
    name, server = running
    assert connect_tls(server, certificate).send(b"STLS") == STLS_WHEN_SECURE[name]


def test_gmail_has_no_stls(certificate: CertificateFiles) -> None:
    """pop.gmail.com is implicit TLS only: CAPA never lists STLS and STLS is a command it does not know, even
    where the teaching server has a certificate; the session goes on in clear text (on loopback)."""
    with serve("gmail", certificate) as server:
        wire = connect(server)
        assert b"STLS" not in wire.send(b"CAPA", multiline=True)
        assert wire.send(b"STLS") == b"-ERR bad command\r\n"
        assert wire.run(LOGIN) == [b"+OK send PASS\r\n", b"+OK Welcome.\r\n"]
        client = poplib.POP3("127.0.0.1", server.port, timeout=10)
        with pytest.raises(poplib.error_proto, match="STLS not supported"):  # poplib reads CAPA first
            client.stls(client_context(certificate.cert))
        client.quit()


def test_sasl_offers_only_the_flavours_mechanisms(certificate: CertificateFiles) -> None:
    """Exchange and Gmail offer SASL PLAIN (of what poplab implements): AUTH CRAM-MD5 is refused, AUTH PLAIN
    logs in."""
    with serve("exchange", certificate) as server:
        wire = connect(server)
        assert wire.send(b"AUTH", multiline=True) == listing(b"+OK SASL mechanisms follow", "PLAIN")
        assert wire.send(b"AUTH CRAM-MD5") == b"-ERR unsupported authentication mechanism CRAM-MD5\r\n"
        assert wire.send(b"AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAHdvbmRlcmxhbmQ=") == (
            b"+OK User successfully logged on.\r\n"
        )


@pytest.mark.parametrize("name", list(FLAVORS))
def test_poplib_over_stls_or_implicit_tls(name: str, certificate: CertificateFiles) -> None:
    context = client_context(certificate.cert)
    with serve(name, certificate) as server:
        if name == "gmail":
            assert server.tls_port is not None
            client: poplib.POP3 = poplib.POP3_SSL("127.0.0.1", server.tls_port, context=context, timeout=10)
        else:
            client = poplib.POP3("127.0.0.1", server.port, timeout=10)
            client.stls(context)
        assert "TOP" in client.capa() and "UIDL" in client.capa()
        client.user("alice@example.com")
        client.pass_("wonderland")
        assert client.stat()[0] == 6 and len(client.uidl()[1]) == 6
        assert client.top(1, 0)[0].startswith(b"+OK")
        client.quit()


def test_the_login_delay_profile_replaces_a_flavours_own_announcement() -> None:
    assert faults.capabilities(["USER", "LOGIN-DELAY 300", "TOP"], frozenset({"login-delay"})) == [
        "USER",
        "LOGIN-DELAY 900",
        "TOP",
    ]
    assert faults.capabilities(["TOP", "IMPLEMENTATION x"], frozenset({"login-delay"})) == [
        "TOP",
        "LOGIN-DELAY 900",
        "IMPLEMENTATION x",
    ]
