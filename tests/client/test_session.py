"""The learner session against the bundled server: the same exchange over plain, STLS and implicit TLS, raw
malformed lines, pipelining, SASL, a dropped connection, and what is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.client import Session, SessionClosed, SessionError, tls_context
from poplab.protocol import Account, ServerConfig, State
from poplab.server import ServerSettings, ServerThread
from poplab.server.certs import CertificateFiles, ensure_certificate, server_context
from poplab.store.memory import MemoryStore

MESSAGE = b"Subject: dots\n\n.starts with a dot\n..two dots\nend\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    return ensure_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.add_account(Account("learner", "secret"), [MESSAGE, b"Subject: two\n\nsecond\n"])
    return store


@pytest.fixture
def server(store: MemoryStore, certificate: CertificateFiles) -> Iterator[ServerThread]:
    config = ServerConfig(tls_available=True, failed_login_delay=0)
    settings = ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)
    with ServerThread(store, settings) as running:
        yield running


@pytest.fixture(params=["plain", "stls", "tls"])
def session(request: pytest.FixtureRequest, server: ServerThread, certificate: CertificateFiles) -> Iterator[Session]:
    port = server.tls_port if request.param == "tls" else server.port
    assert port is not None
    with Session.connect("127.0.0.1", port, request.param, context=tls_context(certificate.cert)) as connected:
        yield connected


def test_the_same_exchange_over_every_transport(session: Session) -> None:
    assert session.greeting is not None and session.greeting.status_line == b"+OK example.com POP3-Server\r\n"
    assert session.send("STAT").status_line == b"-ERR command not valid in this state\r\n"
    assert session.login("learner", "secret").status_line == b"+OK mailbox locked and ready\r\n"
    assert session.state is State.TRANSACTION
    listing = session.list()
    assert listing.body == b"1 54\r\n2 24\r\n"
    retrieved = session.retr(1)
    assert retrieved.body == MESSAGE.replace(b"\n", b"\r\n")
    assert retrieved.body_lines is not None and retrieved.body_lines[2] == b"..starts with a dot\r\n"
    assert session.quit().status_line == b"+OK bye\r\n"
    assert session.closed and session.state is State.UPDATE


def test_tls_sessions_show_the_certificate(session: Session) -> None:
    session.noop()
    if not session.lines[-1].tls:
        assert session.certificate is None
        return
    assert session.certificate is not None
    assert session.certificate.self_signed and "localhost" in session.certificate.names


def test_raw_malformed_lines_are_sent_exactly_as_typed(session: Session) -> None:
    assert session.send(b"stat\n").status_line == b"-ERR command not valid in this state\r\n"
    assert session.send("").status_line == b"-ERR empty command\r\n"
    sent = [line.raw for line in session.lines if line.direction == "C"]
    assert sent[-2:] == [b"stat\n", b"\r\n"]


def test_pipelined_commands_get_their_replies_in_order(session: Session) -> None:
    replies = session.pipeline(["USER learner", "PASS secret", "STAT", "UIDL 2", "QUIT"])
    assert [r.status_line.split(b" ")[0] for r in replies] == [b"+OK"] * 5
    assert replies[2].status_line == b"+OK 2 78\r\n"
    assert [(r.state_before, r.state_after) for r in replies][1:3] == [
        (State.AUTHORIZATION, State.TRANSACTION),
        (State.TRANSACTION, State.TRANSACTION),
    ]


def test_auth_plain_and_a_sasl_exchange_by_hand(session: Session) -> None:
    challenge = session.send("AUTH PLAIN")
    assert challenge.ok is None and challenge.status_line == b"+ \r\n"
    assert session.send("AGxlYXJuZXIAc2VjcmV0").status_line == b"+OK mailbox locked and ready\r\n"
    assert session.state is State.TRANSACTION


def test_a_dropped_connection_deletes_nothing_and_further_sends_fail(session: Session, store: MemoryStore) -> None:
    session.login("learner", "secret")
    session.dele(1)
    session.close()
    assert (session.lines[-1].direction, session.lines[-1].raw) == ("C", b"")  # the client closed
    with pytest.raises(SessionClosed):
        session.stat()
    assert len(store.stored("learner")) == 2


def test_the_server_closing_after_bad_commands_is_reported(session: Session) -> None:
    session.send("FOO")
    session.send("BAR")
    closing = session.send("BAZ")
    assert closing.status_line == b"-ERR unknown command; too many bad commands, closing connection\r\n"
    with pytest.raises(SessionClosed, match="closed"):
        session.noop()
    assert session.transcript[-1].closed


def test_an_untrusted_certificate_is_refused_unless_the_learner_accepts_it(server: ServerThread) -> None:
    assert server.tls_port is not None
    with pytest.raises(SessionError, match="certificate not trusted"):
        Session.connect("127.0.0.1", server.tls_port, "tls")
    with Session.connect("127.0.0.1", server.tls_port, "tls", context=tls_context(verify=False)) as accepted:
        assert accepted.certificate is not None and accepted.certificate.self_signed


def test_connecting_nowhere_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match=r"cannot connect to 127\.0\.0\.1:1: "):
        Session.connect("127.0.0.1", 1, timeout=2)


@pytest.mark.parametrize("faults", [frozenset(), frozenset({"apop-quirk"})], ids=["apop", "apop-quirk"])
def test_apop_helper_takes_the_msg_id_timestamp(store: MemoryStore, faults: frozenset[str]) -> None:
    """The helper digests the last <...@...> of the greeting, so a decoy <...> before it does not fool it."""
    config = ServerConfig(apop=True, faults=faults, failed_login_delay=0)
    with ServerThread(store, ServerSettings(port=0, tls_port=None, protocol=config)) as running:
        with Session.connect("127.0.0.1", running.port) as session:
            assert session.greeting is not None and session.greeting.text.count("<") == len(faults) + 1
            assert session.apop("learner", "secret").status_line == b"+OK mailbox locked and ready\r\n"
