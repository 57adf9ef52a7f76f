"""curl, a real client with its own POP3 and SASL code, against the teaching server: pop3://, pop3:// with
STLS (--ssl-reqd) and pop3s://, every demo message byte-exact."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from poplab.protocol.octets import to_crlf
from poplab.server.certs import CertificateFiles
from poplab.server.runner import ServerThread
from poplab.store.memory import MemoryStore

CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(CURL is None, reason="curl is installed by .ci/run")


def curl(url: str, user: str, password: str, *extra: str) -> bytes:
    assert CURL is not None
    command = [CURL, "--silent", "--show-error", "--max-time", "20", "--user", f"{user}:{password}", *extra, url]
    return subprocess.run(command, capture_output=True, check=True, timeout=30).stdout


@pytest.fixture(params=["pop3", "pop3+stls", "pop3s"])
def url_and_options(
    request: pytest.FixtureRequest, server: ServerThread, certificate: CertificateFiles
) -> tuple[str, tuple[str, ...]]:
    tls = ("--cacert", str(certificate.cert))
    if request.param == "pop3":
        return f"pop3://127.0.0.1:{server.port}", ()
    if request.param == "pop3+stls":
        return f"pop3://127.0.0.1:{server.port}", ("--ssl-reqd", *tls)
    return f"pop3s://127.0.0.1:{server.tls_port}", tls


def test_curl_lists_and_retrieves_every_message(
    url_and_options: tuple[str, tuple[str, ...]], store: MemoryStore
) -> None:
    base, options = url_and_options
    user, password = "alice@example.com", "wonderland"
    stored = list(store.stored(user).values())
    listing = curl(f"{base}/", user, password, *options)
    assert listing == b"".join(f"{n} {len(to_crlf(m))}\r\n".encode() for n, m in enumerate(stored, 1))
    for number, original in enumerate(stored, 1):
        assert curl(f"{base}/{number}", user, password, *options) == to_crlf(original)


def test_curl_seed_message_and_a_wrong_password(url_and_options: tuple[str, tuple[str, ...]]) -> None:
    base, options = url_and_options
    message = curl(f"{base}/1", "wiki@example.com", "passwort_im_klartext", *options)
    assert len(message) == 236 and message.endswith(b"\r\n\r\nDies ist eine Test-E-Mail\r\n")
    with pytest.raises(subprocess.CalledProcessError) as failed:
        curl(f"{base}/1", "wiki@example.com", "falsch", *options)
    assert failed.value.returncode == 67  # CURLE_LOGIN_DENIED
