"""Real mail programs against the teaching server: mpop over STLS into a Maildir, fetchmail over implicit TLS
(it verifies the lab's certificate and logs in with CRAM-MD5)."""

from __future__ import annotations

import mailbox
import shutil
import subprocess
from pathlib import Path

import pytest

from poplab.protocol.octets import to_crlf
from poplab.server.certs import CertificateFiles
from poplab.server.runner import ServerThread
from poplab.store.memory import MemoryStore


@pytest.mark.skipif(shutil.which("mpop") is None, reason="mpop is installed by .ci/run")
def test_mpop_fetches_every_message_over_stls(
    server: ServerThread, certificate: CertificateFiles, store: MemoryStore, tmp_path: Path
) -> None:
    maildir = tmp_path / "maildir"
    mailbox.Maildir(maildir, create=True)
    config = tmp_path / "mpoprc"
    config.write_text(
        f"account lab\nhost 127.0.0.1\nport {server.port}\nuser alice@example.com\npassword wonderland\n"
        f"tls on\ntls_starttls on\ntls_trust_file {certificate.cert}\n"
        f"delivery maildir {tmp_path / 'maildir'}\nkeep on\nuidls_file {tmp_path / 'uidls'}\n"
    )
    config.chmod(0o600)
    subprocess.run(["mpop", "-C", str(config), "-q", "lab"], check=True, timeout=60, capture_output=True)
    fetched = [to_crlf(path.read_bytes()) for path in (maildir / "new").iterdir()]
    assert len(fetched) == 6
    originals = list(store.stored("alice@example.com").values())
    for original in originals:
        assert any(received.endswith(to_crlf(original)) for received in fetched)  # mpop adds a Received line
    assert len(store.stored("alice@example.com")) == 6  # keep on: nothing deleted


@pytest.mark.skipif(shutil.which("fetchmail") is None, reason="fetchmail is installed by .ci/run")
def test_fetchmail_fetches_and_deletes_over_implicit_tls(
    server: ServerThread, certificate: CertificateFiles, store: MemoryStore, tmp_path: Path
) -> None:
    out = tmp_path / "fetched.eml"
    config = tmp_path / "fetchmailrc"
    config.write_text(
        f'poll localhost service {server.tls_port} protocol POP3 user "wiki@example.com" '
        f'password "passwort_im_klartext" ssl sslcertck sslcertfile {certificate.cert} '
        f'mda "cat > {out}"\n'
    )
    config.chmod(0o600)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(["fetchmail", "-f", str(config), "--nosyslog"], env=env, timeout=60, capture_output=True)
    assert out.read_bytes().replace(b"\r\n", b"\n").endswith(b"\n\nDies ist eine Test-E-Mail\n")
    assert store.stored("wiki@example.com") == {}  # fetchmail deletes what it fetched, with DELE and QUIT
