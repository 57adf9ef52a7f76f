"""``poplab serve --capture DIR``: one pcap file per session of what the server really read and wrote — plain POP3
readable by anyone, TLS records encrypted — and a key log with which tshark decrypts STLS and implicit-TLS
sessions to the same POP lines the server's transcript holds."""

from __future__ import annotations

import poplib
import time
from collections.abc import Iterator
from pathlib import Path

import dpkt
import pytest

from poplab.commands.serve import _capture
from poplab.protocol.config import ServerConfig
from poplab.server.certs import CertificateFiles, client_context, ensure_certificate, server_context
from poplab.server.events import LineEvent, ServerEvent
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript
from tests.capture.tshark import needs_tshark, pop_lines, status_lines


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    return ensure_certificate(tmp_path_factory.mktemp("tls"))


class Captured:
    def __init__(self, server: ServerThread, folder: Path, certificate: CertificateFiles) -> None:
        self.server, self.folder = server, folder
        self.client_tls = client_context(certificate.cert)
        self.lines: list[LineEvent] = []

    def observe(self, event: ServerEvent) -> None:
        if isinstance(event, LineEvent):
            self.lines.append(event)

    def session(self, transport: str) -> tuple[Path, Transcript]:
        """One session over ``transport`` (plain, stls, tls); its pcap file (once closed) and the server's lines."""
        before, count = len(self.lines), len(list(self.folder.glob("*.pcap")))
        if transport == "tls":
            assert self.server.tls_port is not None
            client = poplib.POP3_SSL("127.0.0.1", self.server.tls_port, context=self.client_tls, timeout=10)
        else:
            client = poplib.POP3("127.0.0.1", self.server.port, timeout=10)
            if transport == "stls":
                client.stls(self.client_tls)
        client.user("wiki@example.com")
        client.pass_("passwort_im_klartext")
        client.stat()
        client.list()
        client.quit()
        deadline = time.monotonic() + 10
        while self.server.server.sessions and time.monotonic() < deadline:
            time.sleep(0.02)
        files = sorted(self.folder.glob("*.pcap"))
        assert len(files) == count + 1
        transcript = Transcript()
        for event in self.lines[before:]:
            transcript.add(event.direction, event.raw, event.time, event.tls)
        return files[-1], transcript


@pytest.fixture
def captured(tmp_path: Path, certificate: CertificateFiles) -> Iterator[Captured]:
    config = ServerConfig(tls_available=True)
    settings = ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)
    thread = ServerThread(MemoryStore.with_demo(), settings)
    _capture(thread.server, tmp_path / "capture")
    with thread as running:
        capture = Captured(running, tmp_path / "capture", certificate)
        running.server.subscribe(capture.observe)
        yield capture


def payloads(pcap: Path) -> dict[str, bytes]:
    """Everything each side sent, from the file's TCP segments (the first packet is the client's SYN)."""
    sent = {"C": b"", "S": b""}
    client_port = None
    with pcap.open("rb") as stream:
        for _, frame in dpkt.pcap.Reader(stream):
            tcp = dpkt.ethernet.Ethernet(frame).data.data
            client_port = tcp.sport if client_port is None else client_port
            sent["C" if tcp.sport == client_port else "S"] += bytes(tcp.data)
    return sent


def test_a_plain_session_is_on_the_wire_as_sent(captured: Captured) -> None:
    pcap, transcript = captured.session("plain")
    sent = payloads(pcap)
    assert sent["C"] == b"".join(line.raw for line in transcript if line.direction == "C")
    assert sent["S"] == b"".join(line.raw for line in transcript if line.direction == "S")
    assert pcap.stat().st_mode & 0o777 == 0o600 and (captured.folder.stat().st_mode & 0o777) == 0o700


def test_tls_records_stay_encrypted(captured: Captured) -> None:
    pcap, _ = captured.session("tls")
    sent = payloads(pcap)
    assert b"passwort_im_klartext" not in sent["C"] and b"+OK" not in sent["S"]
    assert sent["C"][:1] == b"\x16"  # a TLS handshake record: the ClientHello
    assert b"CLIENT_HANDSHAKE_TRAFFIC_SECRET" in (captured.folder / "sslkeys.log").read_bytes()


@needs_tshark
def test_tshark_reads_the_plain_session(captured: Captured) -> None:
    pcap, transcript = captured.session("plain")
    assert pop_lines(pcap, "-d", f"tcp.port=={captured.server.port},pop") == status_lines(transcript)


@needs_tshark
@pytest.mark.parametrize("transport", ["stls", "tls"])
def test_the_key_log_decrypts_to_the_same_pop_lines(captured: Captured, transport: str) -> None:
    pcap, transcript = captured.session(transport)
    port = captured.server.port if transport == "stls" else captured.server.tls_port
    decode = ["-d", f"tcp.port=={port},pop"]  # poplab's ports are not 110/995: tell tshark what they carry
    if transport == "tls":
        decode = ["-d", f"tcp.port=={port},tls", "-d", f"tls.port=={port},pop"]
    keys = captured.folder / "sslkeys.log"
    assert "C: PASS passwort_im_klartext" not in pop_lines(pcap, *decode)
    lines = pop_lines(pcap, "-o", f"tls.keylog_file:{keys}", *decode)
    assert lines == status_lines(transcript)
    assert "C: PASS passwort_im_klartext" in lines
