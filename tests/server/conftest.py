"""Fixtures for adapter tests: a real server in a thread on port 0, with the lab's own generated certificate,
and poplib clients over the three transports (plain, STLS, implicit TLS) that verify it."""

from __future__ import annotations

import poplib
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from poplab.protocol.config import ServerConfig
from poplab.server.certs import CertificateFiles, client_context, ensure_certificate, server_context
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore

TRANSPORTS = ("plain", "stls", "tls")


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    return ensure_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def client_tls(certificate: CertificateFiles) -> ssl.SSLContext:
    return client_context(certificate.cert)


def make_settings(certificate: CertificateFiles, **protocol: object) -> ServerSettings:
    config = ServerConfig(tls_available=True, failed_login_delay=0.05, **protocol)  # type: ignore[arg-type]
    return ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore.with_demo()


@pytest.fixture
def server(store: MemoryStore, certificate: CertificateFiles) -> Iterator[ServerThread]:
    with ServerThread(store, make_settings(certificate)) as running:
        yield running


Connect = Callable[[], poplib.POP3]


@pytest.fixture(params=TRANSPORTS)
def connect(request: pytest.FixtureRequest, server: ServerThread, client_tls: ssl.SSLContext) -> Connect:
    """A function that opens a poplib client over this test's transport, TLS already up where it applies."""

    def open_client() -> poplib.POP3:
        if request.param == "tls":
            assert server.tls_port is not None
            return poplib.POP3_SSL("127.0.0.1", server.tls_port, context=client_tls, timeout=10)
        client = poplib.POP3("127.0.0.1", server.port, timeout=10)
        if request.param == "stls":
            client.stls(client_tls)
        return client

    return open_client


def data_path(name: str) -> Path:
    return Path(__file__).parent / name
