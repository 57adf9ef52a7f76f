"""Real clients behind the proxy, in front of the teaching server: poplib, curl, mpop and fetchmail get every
message intact over each way of reaching the server (plain, STLS, implicit TLS) and of reaching the proxy, and
the transcript the proxy records is exactly the traffic the server saw, annotated without a single error."""

from __future__ import annotations

import mailbox
import poplib
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from poplab.annotate import Kind, Severity, annotate
from poplab.protocol.octets import to_crlf
from poplab.server.certs import CertificateFiles
from poplab.server.runner import ServerThread
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript
from tests.proxy.helpers import MakeProxy, Proxied, Seen

ALICE, WONDERLAND = "alice@example.com", "wonderland"
STLS_OK = b"+OK Begin TLS negotiation\r\n"


@pytest.fixture(params=["plain", "stls", "tls"])
def upstream(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def proxied(upstream: str, server: ServerThread, make_proxy: MakeProxy) -> Proxied:
    port = server.tls_port if upstream == "tls" else server.port
    assert port is not None
    return make_proxy(port, upstream)


def sent(transcript: Transcript, direction: str) -> bytes:
    return b"".join(line.raw for line in transcript if line.direction == direction)


def assert_matches_traffic(transcripts: list[Transcript], seen: Seen, upstream: str) -> None:
    """The client's lines reached the server unchanged, and the server's reached the client unchanged (but for
    the proxy's own STLS towards an STLS upstream, which the client never sees), session after session."""
    client, server = b"", b""
    for transcript in transcripts:
        to_server, to_client = sent(transcript, "C"), sent(transcript, "S")
        if upstream == "stls":
            greeting_end = to_client.index(b"\r\n") + 2
            to_server = b"STLS\r\n" + to_server
            to_client = to_client[:greeting_end] + STLS_OK + to_client[greeting_end:]
        client, server = client + to_server, server + to_client
    assert seen.sent("C") == client
    assert seen.sent("S").replace(b"\r\nSTLS\r\n", b"\r\n") == server  # STLS: the proxy cannot do it with the client


def assert_annotated_cleanly(transcript: Transcript) -> None:
    annotations = annotate(transcript)
    assert not [a for a in annotations if a.severity is Severity.ERROR and a.why is None]
    messages = [a for a in annotations if a.kind is Kind.MESSAGE and a.verb == "RETR"]
    assert messages and all("the sizes match" in a.detail for a in messages if "LIST announced" in a.detail)


def test_poplib_gets_every_message_intact_and_the_transcript_is_the_traffic(
    proxied: Proxied, upstream: str, store: MemoryStore, seen: Seen
) -> None:
    originals = list(store.stored(ALICE).values())
    client = poplib.POP3("127.0.0.1", proxied.port, timeout=10)
    client.user(ALICE)
    client.pass_(WONDERLAND)
    assert client.stat() == (6, sum(len(to_crlf(message)) for message in originals))
    for number, original in enumerate(originals, 1):
        client.list(number)
        assert b"\r\n".join(client.retr(number)[1]) + b"\r\n" == to_crlf(original)
    client.quit()
    (transcript,) = proxied.recorder.ended()
    assert_matches_traffic([transcript], seen, upstream)
    assert_annotated_cleanly(transcript)
    assert sum("the sizes match" in a.detail for a in annotate(transcript)) == 6
    assert transcript[0].raw == b"+OK example.com POP3-Server\r\n"
    assert '"text": "PASS [redacted]\\r\\n"' in transcript.to_json()
    assert WONDERLAND not in transcript.to_json() and WONDERLAND in transcript.to_json(redact=False)


CURL = shutil.which("curl")


def curl(url: str, *extra: str) -> bytes:
    assert CURL is not None
    command = [CURL, "--silent", "--show-error", "--max-time", "20", "--user", f"{ALICE}:{WONDERLAND}", *extra, url]
    return subprocess.run(command, capture_output=True, check=True, timeout=30).stdout


@pytest.mark.skipif(CURL is None, reason="curl is installed by .ci/run")
def test_curl_lists_and_retrieves_through_the_proxy(
    proxied: Proxied, upstream: str, store: MemoryStore, seen: Seen
) -> None:
    originals = list(store.stored(ALICE).values())
    listing = curl(f"pop3://127.0.0.1:{proxied.port}/")
    assert listing == b"".join(f"{n} {len(to_crlf(m))}\r\n".encode() for n, m in enumerate(originals, 1))
    assert curl(f"pop3://127.0.0.1:{proxied.port}/5") == to_crlf(originals[4])
    first, second = proxied.recorder.ended(2)
    assert [line.raw for line in first if line.direction == "C" and line.raw][-2:] == [b"LIST\r\n", b"QUIT\r\n"]
    assert b"RETR 5\r\n" in sent(second, "C")
    assert_matches_traffic([first, second], seen, upstream)
    assert_annotated_cleanly(second)


@pytest.mark.skipif(CURL is None, reason="curl is installed by .ci/run")
@pytest.mark.parametrize("client", ["stls", "tls"])
def test_curl_over_tls_to_the_proxy_with_the_labs_certificate(
    client: str, server: ServerThread, make_proxy: MakeProxy, certificate: CertificateFiles, store: MemoryStore
) -> None:
    proxied = make_proxy(server.port, "plain", client)
    scheme, extra = ("pop3s", ()) if client == "tls" else ("pop3", ("--ssl-reqd",))
    body = curl(f"{scheme}://127.0.0.1:{proxied.port}/1", "--cacert", str(certificate.cert), *extra)
    assert body == to_crlf(next(iter(store.stored(ALICE).values())))
    (transcript,) = proxied.recorder.ended()
    annotations = annotate(transcript)
    login = next(a for a in annotations if a.verb == "PASS" or (a.verb == "AUTH" and a.direction == "C"))
    assert login.tls and "cleartext-password" not in login.codes
    if client == "stls":
        assert [line.raw for line in transcript][1:4] == [b"CAPA\r\n", b"+OK Capability list follows\r\n", b"TOP\r\n"]
        assert b"STLS\r\n" in sent(transcript, "C") and transcript.lines[-1].tls


MPOP = shutil.which("mpop")


@pytest.mark.skipif(MPOP is None, reason="mpop is installed by .ci/run")
def test_mpop_fetches_everything_with_stls_to_the_proxy_and_tls_upstream(
    server: ServerThread, make_proxy: MakeProxy, certificate: CertificateFiles, store: MemoryStore, tmp_path: Path
) -> None:
    assert server.tls_port is not None
    proxied = make_proxy(server.tls_port, "tls", "stls")
    maildir = tmp_path / "maildir"
    mailbox.Maildir(maildir, create=True)
    config = tmp_path / "mpoprc"
    config.write_text(
        f"account lab\nhost 127.0.0.1\nport {proxied.port}\nuser {ALICE}\npassword {WONDERLAND}\n"
        f"tls on\ntls_starttls on\ntls_trust_file {certificate.cert}\n"
        f"delivery maildir {maildir}\nkeep on\nuidls_file {tmp_path / 'uidls'}\n"
    )
    config.chmod(0o600)
    subprocess.run([MPOP or "mpop", "-C", str(config), "-q", "lab"], check=True, timeout=60, capture_output=True)
    fetched = [to_crlf(path.read_bytes()) for path in (maildir / "new").iterdir()]
    originals = list(store.stored(ALICE).values())
    assert len(fetched) == len(originals) == 6
    assert all(any(received.endswith(to_crlf(original)) for received in fetched) for original in originals)
    (transcript,) = proxied.recorder.ended()
    assert transcript[1].raw.upper().startswith(b"CAPA") and b"STLS\r\n" in sent(transcript, "S")
    assert_annotated_cleanly(transcript)


FETCHMAIL = shutil.which("fetchmail")


@pytest.mark.skipif(FETCHMAIL is None, reason="fetchmail is installed by .ci/run")
def test_fetchmail_fetches_and_deletes_over_implicit_tls_to_the_proxy(
    server: ServerThread, make_proxy: MakeProxy, certificate: CertificateFiles, store: MemoryStore, tmp_path: Path
) -> None:
    proxied = make_proxy(server.port, "stls", "tls")
    out = tmp_path / "fetched.eml"
    config = tmp_path / "fetchmailrc"
    config.write_text(
        f'poll localhost service {proxied.port} protocol POP3 user "wiki@example.com" '
        f'password "passwort_im_klartext" ssl sslcertck sslcertfile {certificate.cert} mda "cat > {out}"\n'
    )
    config.chmod(0o600)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [FETCHMAIL or "fetchmail", "-f", str(config), "--nosyslog"], env=env, timeout=60, capture_output=True
    )
    assert out.read_bytes().replace(b"\r\n", b"\n").endswith(b"\n\nDies ist eine Test-E-Mail\n")
    assert store.stored("wiki@example.com") == {}  # DELE and QUIT went through the proxy
    (transcript,) = proxied.recorder.ended()
    assert all(line.tls for line in transcript)
    assert b"DELE 1\r\n" in sent(transcript, "C") and b"+OK bye\r\n" in sent(transcript, "S")


@pytest.mark.skipif(FETCHMAIL is None, reason="fetchmail is installed by .ci/run")
def test_fetchmail_in_plain_text_sees_no_stls_the_proxy_cannot_do(
    server: ServerThread, make_proxy: MakeProxy, tmp_path: Path
) -> None:
    proxied = make_proxy(server.port, "plain", "plain")
    out = tmp_path / "fetched.eml"
    config = tmp_path / "fetchmailrc"
    config.write_text(
        f'poll localhost service {proxied.port} protocol POP3 user "wiki@example.com" '
        f'password "passwort_im_klartext" sslproto \'\' keep mda "cat > {out}"\n'
    )
    config.chmod(0o600)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [FETCHMAIL or "fetchmail", "-f", str(config), "--nosyslog"], env=env, timeout=60, capture_output=True
    )
    assert out.read_bytes().replace(b"\r\n", b"\n").endswith(b"\n\nDies ist eine Test-E-Mail\n")
    (transcript,) = proxied.recorder.ended()
    capa = sent(transcript, "S").split(b"+OK Capability list follows\r\n")[1].split(b".\r\n")[0]
    assert b"STLS" not in capa and b"UIDL\r\n" in capa


def test_poplib_stls_to_the_proxy(server: ServerThread, make_proxy: MakeProxy, client_tls: ssl.SSLContext) -> None:
    proxied = make_proxy(server.port, "plain", "stls")
    client = poplib.POP3("127.0.0.1", proxied.port, timeout=10)
    assert "STLS" in client.capa()
    client.stls(client_tls)
    assert "STLS" not in client.capa()
    client.user("wiki@example.com")
    client.pass_("passwort_im_klartext")
    assert client.stat() == (1, 236)
    client.quit()
    (transcript,) = proxied.recorder.ended()
    commands = [line for line in transcript if line.direction == "C" and line.raw[:4] in (b"STLS", b"USER")]
    assert [line.tls for line in commands] == [False, True]
