"""Fixtures for proxy tests: a teaching server in a thread (plain with STLS, and implicit TLS, the lab's own
certificate), a proxy in front of it whose events are recorded, and what the server itself saw, to compare."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

from poplab.proxy import ProxySettings, ProxyThread, Upstream
from poplab.server.certs import CertificateFiles, client_context, ensure_certificate, server_context
from poplab.server.runner import ServerThread
from poplab.store.memory import MemoryStore
from tests.proxy.helpers import MakeProxy, Proxied, Recorder, Seen, server_settings


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    return ensure_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore.with_demo()


@pytest.fixture
def server(store: MemoryStore, certificate: CertificateFiles) -> Iterator[ServerThread]:
    with ServerThread(store, server_settings(certificate)) as running:
        yield running


@pytest.fixture
def seen(server: ServerThread) -> Seen:
    recorder = Seen()
    server.subscribe(recorder)
    return recorder


@pytest.fixture
def make_proxy(certificate: CertificateFiles) -> Iterator[MakeProxy]:
    """``make_proxy(upstream_port, "plain"|"stls"|"tls", client="plain"|"stls"|"tls")``: a running proxy."""
    running: list[ProxyThread] = []

    def make(port: int, security: str = "plain", client: str = "plain", **settings: object) -> Proxied:
        context = client_context(certificate.cert) if security != "plain" else None
        upstream = Upstream("127.0.0.1", port, security, context)  # type: ignore[arg-type]
        lab = server_context(certificate)
        proxy_settings = ProxySettings(
            upstream,
            port=0,
            client_tls=lab if client == "tls" else None,
            client_stls=lab if client == "stls" else None,
            **settings,  # type: ignore[arg-type]
        )
        proxy = ProxyThread(proxy_settings).start()
        running.append(proxy)
        recorder = Recorder()
        proxy.subscribe(recorder)
        return Proxied(proxy, recorder)

    yield make
    for proxy in running:
        proxy.stop()


@pytest.fixture
def client_tls(certificate: CertificateFiles) -> ssl.SSLContext:
    return client_context(certificate.cert)
