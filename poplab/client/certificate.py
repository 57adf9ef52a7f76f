"""What a learner is shown about a server's TLS certificate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    issuer: str
    names: tuple[str, ...]
    not_before: datetime.datetime
    not_after: datetime.datetime
    sha256: str
    self_signed: bool

    def summary(self) -> str:
        kind = "self-signed" if self.self_signed else f"issued by {self.issuer}"
        names = ", ".join(self.names) or "-"
        return (
            f"{self.subject} ({kind}); names: {names}; valid {self.not_before:%Y-%m-%d} to "
            f"{self.not_after:%Y-%m-%d}; SHA-256 {self.sha256}"
        )


def describe(pem_or_der: bytes) -> CertificateInfo:
    cert = (
        x509.load_pem_x509_certificate(pem_or_der)
        if pem_or_der.startswith(b"-----")
        else x509.load_der_x509_certificate(pem_or_der)
    )
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = tuple(str(n.value) for n in san)
    except x509.ExtensionNotFound:
        names = ()
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        names=names,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        sha256=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        self_signed=cert.subject == cert.issuer,
    )
