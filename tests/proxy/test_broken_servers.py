"""The proxy in front of a broken server relays what the server really sends, so the learner sees the fault in
their own client's session, flagged by the annotator."""

from __future__ import annotations

import poplib
from collections.abc import Iterator

import pytest

from poplab.annotate import Kind, Severity, annotate
from poplab.protocol.config import ServerConfig
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from tests.proxy.helpers import MakeProxy


@pytest.fixture
def broken(request: pytest.FixtureRequest) -> Iterator[ServerThread]:
    config = ServerConfig(faults=frozenset({request.param}))
    with ServerThread(MemoryStore.with_demo(), ServerSettings(port=0, tls_port=None, protocol=config)) as server:
        yield server


@pytest.mark.parametrize("broken", ["bare-lf"], indirect=True)
def test_bare_lf_from_the_server_reaches_the_client_and_is_flagged(broken: ServerThread, make_proxy: MakeProxy) -> None:
    proxied = make_proxy(broken.port)
    client = poplib.POP3("127.0.0.1", proxied.port, timeout=10)
    client.user("wiki@example.com")
    client.pass_("passwort_im_klartext")
    assert client.retr(1)[1][-1] == b"Dies ist eine Test-E-Mail"
    client.quit()
    (transcript,) = proxied.recorder.ended()
    server_lines = [line.raw for line in transcript if line.direction == "S" and line.raw]
    assert server_lines[0] == b"+OK example.com POP3-Server\n" and all(b"\r" not in raw for raw in server_lines)
    flagged = [a for a in annotate(transcript) if "bare-lf" in a.codes and a.direction == "S"]
    assert len(flagged) == 6 and all(a.severity is Severity.ERROR for a in flagged)


@pytest.mark.parametrize("broken", ["no-stuffing"], indirect=True)
def test_missing_byte_stuffing_reaches_the_client_and_is_flagged(broken: ServerThread, make_proxy: MakeProxy) -> None:
    proxied = make_proxy(broken.port)
    client = poplib.POP3("127.0.0.1", proxied.port, timeout=10)
    client.user("alice@example.com")
    client.pass_("wonderland")
    assert client.retr(3)[1][-1].endswith(b"The next line is a single dot:")  # the message ends too early
    client.close()
    (transcript,) = proxied.recorder.ended()
    annotations = annotate(transcript)
    unexpected = [a for a in annotations if a.kind is Kind.UNEXPECTED]
    assert unexpected and all("not-a-status" in a.codes for a in unexpected)
    assert {f.severity for a in unexpected for f in a.findings} == {Severity.ERROR}
