"""Capturing the lab's sessions as ``poplab serve --capture DIR`` does — :class:`LabCapture`: one pcap file per
session of what the server really read and wrote, TLS records encrypted, and the ``SSLKEYLOGFILE`` key log — and
reading them, as an eavesdropper and as someone who holds the key log: :func:`what_each_side_sent` joins the TCP
segments of each side (dpkt reads the file); :func:`decrypt_with_keys` decrypts its TLS 1.3 records with the
secrets the key log holds for that connection — what Wireshark does with ``tls.keylog_file`` — so lesson 10 runs
without tshark. Plain text before STLS stays as it is.

Only what a lesson needs: TLS 1.3 (AES-GCM, ChaCha20-Poly1305), the lab's own captures; anything else is
:class:`CannotDecrypt` with a sentence saying why."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import dpkt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from poplab.capture.live import CaptureFolder

Aead = type[AESGCM] | type[ChaCha20Poly1305]
SUITES: dict[int, tuple[Aead, int, type[hashes.HashAlgorithm]]] = {
    0x1301: (AESGCM, 16, hashes.SHA256),
    0x1302: (AESGCM, 32, hashes.SHA384),
    0x1303: (ChaCha20Poly1305, 32, hashes.SHA256),
}
"""TLS 1.3 cipher suites (RFC 8446 §B.4): the AEAD, its key length, the hash of its key schedule."""
HANDSHAKE, APPLICATION = 22, 23


SETTLE_SECONDS = 5.0
"""How long :meth:`LabCapture.files` waits for sessions still closing (their files are complete only then)."""


class LabCapture:
    """``capture = LabCapture(lab)``: from now on every session with ``lab`` goes into ``capture.folder`` (one
    ``session-NNNN-….pcap`` each) and the TLS secrets into ``capture.keylog``; :meth:`stop` ends it."""

    def __init__(self, lab: Any) -> None:
        self.lab = lab
        self.capture = CaptureFolder(lab.folder / "capture")
        server = lab.server.server
        server.tap = self.capture.tap
        server.settings.tls.keylog_filename = str(self.capture.keylog)

    @property
    def folder(self) -> Path:
        return self.capture.folder

    @property
    def keylog(self) -> Path:
        return self.capture.keylog

    def files(self) -> list[Path]:
        """The pcap files so far, oldest first, once the sessions that are closing have closed."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while self.lab.server.server.sessions and time.monotonic() < deadline:
            time.sleep(0.02)
        return sorted(self.folder.glob("session-*.pcap"))

    def stop(self) -> None:
        self.lab.server.server.tap = None
        self.lab.server.server.settings.tls.keylog_filename = None


class CannotDecrypt(Exception):
    """Why the session could not be decrypted (no TLS in it, no keys for it, not TLS 1.3)."""


def what_each_side_sent(pcap: str | Path) -> dict[str, bytes]:
    """``{"client": ..., "server": ...}``: every byte each side sent, in order, as the segments in the file carry
    them (the first packet is the client's SYN, so its destination is the server)."""
    sent = {"client": b"", "server": b""}
    server_port = None
    with open(pcap, "rb") as stream:
        for _, frame in dpkt.pcap.Reader(stream):
            segment = dpkt.ethernet.Ethernet(frame).data.data
            server_port = segment.dport if server_port is None else server_port
            sent["server" if segment.sport == server_port else "client"] += bytes(segment.data)
    return sent


def decrypt_with_keys(pcap: str | Path, keylog: str | Path) -> dict[str, bytes]:
    """What each side sent, with its TLS records decrypted by the key log's secrets for this connection."""
    sent = what_each_side_sent(pcap)
    client_start, server_start = sent["client"].find(b"\x16\x03"), sent["server"].find(b"\x16\x03")
    if client_start < 0 or server_start < 0:
        raise CannotDecrypt("there is no TLS in this capture: everything is already readable")
    client_records = _records(sent["client"][client_start:])
    server_records = _records(sent["server"][server_start:])
    client_random = client_records[0][1][6:38]  # handshake type, length (3), version (2), then the random
    secrets = _secrets(Path(keylog).read_text(encoding="ascii"), client_random.hex())
    suite = _suite(server_records[0][1])
    return {
        "client": sent["client"][:client_start] + _open(client_records, suite, secrets, "CLIENT"),
        "server": sent["server"][:server_start] + _open(server_records, suite, secrets, "SERVER"),
    }


def _records(data: bytes) -> list[tuple[bytes, bytes]]:
    """(header, body) of each TLS record in one side's stream."""
    records, at = [], 0
    while at + 5 <= len(data):
        length = int.from_bytes(data[at + 3 : at + 5], "big")
        records.append((data[at : at + 5], data[at + 5 : at + 5 + length]))
        at += 5 + length
    return records


def _secrets(keylog: str, client_random: str) -> dict[str, bytes]:
    found = {}
    for line in keylog.splitlines():
        words = line.split()
        if len(words) == 3 and words[1].lower() == client_random:
            found[words[0]] = bytes.fromhex(words[2])
    if not found:
        raise CannotDecrypt("the key log holds no keys for this connection")
    if "CLIENT_TRAFFIC_SECRET_0" not in found:
        raise CannotDecrypt("this connection is not TLS 1.3")
    return found


def _suite(server_hello: bytes) -> int:
    session_id = server_hello[38]  # type, length (3), version (2), random (32), then the session id's length
    return int.from_bytes(server_hello[39 + session_id : 41 + session_id], "big")


def _expand(secret: bytes, label: str, length: int, hash_type: type[hashes.HashAlgorithm]) -> bytes:
    """HKDF-Expand-Label (RFC 8446 §7.1) with an empty context."""
    full = b"tls13 " + label.encode()
    info = length.to_bytes(2, "big") + bytes([len(full)]) + full + b"\x00"
    return HKDFExpand(hash_type(), length, info).derive(secret)


def _open(records: list[tuple[bytes, bytes]], suite: int, secrets: dict[str, bytes], side: str) -> bytes:
    """The application data of one side: its encrypted records opened with the handshake secret, then (when that
    no longer fits) the first traffic secret, each with its own record counter (RFC 8446 §5.3)."""
    if suite not in SUITES:
        raise CannotDecrypt(f"cipher suite {suite:#06x} is not one this reader knows")
    aead, key_length, hash_type = SUITES[suite]
    keys: list[tuple[AESGCM | ChaCha20Poly1305, bytes]] = []
    for label in (f"{side}_HANDSHAKE_TRAFFIC_SECRET", f"{side}_TRAFFIC_SECRET_0"):
        secret = secrets[label]
        keys.append((aead(_expand(secret, "key", key_length, hash_type)), _expand(secret, "iv", 12, hash_type)))
    plain, phase, counter = b"", 0, 0
    for header, body in records:
        if header[0] != APPLICATION:
            continue  # the hellos and the compatibility ChangeCipherSpec travel unencrypted
        while True:
            cipher, iv = keys[phase]
            nonce = bytes(a ^ b for a, b in zip(iv, counter.to_bytes(12, "big"), strict=True))
            try:
                inner = cipher.decrypt(nonce, body, header).rstrip(b"\x00")
                break
            except InvalidTag:
                if phase == len(keys) - 1:
                    raise CannotDecrypt("these keys do not open this connection's records") from None
                phase, counter = phase + 1, 0
        counter += 1
        if inner[-1] == APPLICATION:
            plain += inner[:-1]
    return plain
