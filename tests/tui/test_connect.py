"""``poplab connect``: the same tutor against another server — here a second poplab server with implicit TLS and
with STLS — showing its certificate, with the server-side panes saying they are unavailable."""

from __future__ import annotations

import argparse
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from poplab.client.certificate import describe
from poplab.commands import tutor
from poplab.commands.common import CliError
from poplab.protocol.config import ServerConfig
from poplab.server.certs import CertificateFiles, ensure_certificate, server_context
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from poplab.tui.app import TutorApp
from poplab.tui.lab import Endpoint
from poplab.tui.widgets.mailbox_table import MailboxTable
from tests.tui.conftest import MakeApp
from tests.tui.helpers import badge, notes, screen_text, started, type_line, wire_lines


@pytest.fixture
def certificate(tmp_path: Path) -> CertificateFiles:
    return ensure_certificate(tmp_path / "other-tls")


@pytest.fixture
def other_server(certificate: CertificateFiles) -> Iterator[ServerThread]:
    config = ServerConfig(tls_available=True, failed_login_delay=0.0)
    settings = ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)
    with ServerThread(MemoryStore.with_demo(), settings) as running:
        yield running


def parse(*words: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="poplab")
    tutor.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["connect", *words])


async def test_implicit_tls_shows_the_certificate(
    make_app: MakeApp, other_server: ServerThread, certificate: CertificateFiles
) -> None:
    args = parse("127.0.0.1", str(other_server.tls_port), "--tls", "--cafile", str(certificate.cert))
    assert args.run is tutor.run_connect
    app: TutorApp = make_app(endpoint=tutor.endpoint_from(args))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        shown = notes(app)
        assert shown[0] == f"Connecting to 127.0.0.1:{other_server.tls_port} (implicit TLS) …"
        assert shown[1] == f"TLS certificate: {describe(certificate.cert.read_bytes()).summary()}"
        assert shown[1].startswith("TLS certificate: CN=localhost,O=poplab teaching server (self-signed); names: ")
        screen = screen_text(app)
        assert f" AUTHORIZATION  127.0.0.1:{other_server.tls_port} · 🔒 TLS " in screen
        await type_line(pilot, app, "USER wiki@example.com")
        await type_line(pilot, app, "PASS passwort_im_klartext")
        await type_line(pilot, app, "STAT")
        assert wire_lines(app)[-1] == "S: +OK 1 236"
        assert badge(app) == "TRANSACTION"
        assert app.main.query_one(MailboxTable).rows() == []
        title = str(app.main.query_one("#mailbox-title", Static).content)
        assert title == (
            "The server-side view is available only with the bundled server; "
            f"127.0.0.1:{other_server.tls_port} is another server."
        )
        await type_line(pilot, app, "/lesson seed")
        assert notes(app)[-1] == "Lessons need the bundled server (start poplab without connect)."


async def test_starttls_and_an_untrusted_certificate(make_app: MakeApp, other_server: ServerThread) -> None:
    app: TutorApp = make_app(endpoint=tutor.endpoint_from(parse("127.0.0.1", str(other_server.port), "--starttls")))
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        assert wire_lines(app) == ["S: +OK example.com POP3-Server", "C: STLS", "S: +OK Begin TLS negotiation"]
        assert notes(app)[-1].startswith("Could not connect: TLS handshake failed: certificate not trusted")
        assert badge(app) == "closed"


async def test_insecure_accepts_the_self_signed_certificate(
    make_app: MakeApp, other_server: ServerThread, certificate: CertificateFiles
) -> None:
    endpoint = Endpoint("127.0.0.1", other_server.port, "stls", insecure=True)
    app: TutorApp = make_app(endpoint=endpoint)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        assert notes(app)[-1] == f"TLS certificate: {describe(certificate.cert.read_bytes()).summary()}"
        await type_line(pilot, app, "CAPA")
        assert "S: STLS" not in wire_lines(app)


def test_connect_refuses_a_bad_port_and_a_missing_cafile(tmp_path: Path) -> None:
    with pytest.raises(CliError, match="PORT must be between 1 and 65535, not 0"):
        tutor.endpoint_from(parse("127.0.0.1", "0"))
    with pytest.raises(CliError, match="no such file"):
        tutor.endpoint_from(parse("127.0.0.1", "995", "--tls", "--cafile", str(tmp_path / "none.pem")))
    with pytest.raises(SystemExit):
        parse("127.0.0.1", "995", "--tls", "--starttls")


async def test_nothing_listening_is_one_clear_line(make_app: MakeApp) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app: TutorApp = make_app(endpoint=Endpoint("127.0.0.1", port))
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        assert notes(app)[-1] == f"Could not connect: cannot connect to 127.0.0.1:{port}: Connection refused"
        assert badge(app) == "closed"
        await type_line(pilot, app, "STAT")
        assert notes(app)[-1] == "Not sent: not connected; reconnect first"
