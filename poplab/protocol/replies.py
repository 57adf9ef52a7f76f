"""Server replies and their exact bytes: status indicator, optional response code, text, CRLF, and for
multi-line replies a stuffed body closed by ``.`` CRLF."""

from __future__ import annotations

from dataclasses import dataclass

from poplab.protocol.octets import multiline_chunks


@dataclass(frozen=True)
class Reply:
    """One reply. ``body`` is the text of a multi-line reply — line ends as stored (they go out as CRLF), not yet
    stuffed — and ``None`` for a one-line reply."""

    ok: bool
    text: str = ""
    code: str | None = None
    body: bytes | None = None

    @property
    def status_line(self) -> bytes:
        parts = ["+OK" if self.ok else "-ERR"]
        if self.code:
            parts.append(f"[{self.code}]")
        if self.text:
            parts.append(self.text)
        return " ".join(parts).encode("utf-8") + b"\r\n"

    def to_bytes(self) -> bytes:
        if self.body is None:
            return self.status_line
        return b"".join([self.status_line, *multiline_chunks(self.body)])


@dataclass(frozen=True)
class Continuation:
    """A SASL challenge: ``+`` SP base64 CRLF (RFC 5034 §4)."""

    challenge: str = ""

    def to_bytes(self) -> bytes:
        return f"+ {self.challenge}\r\n".encode("ascii")


def ok(text: str = "", code: str | None = None) -> Reply:
    return Reply(True, text, code)


def err(text: str, code: str | None = None) -> Reply:
    return Reply(False, text, code)


def listing(text: str, lines: list[str]) -> Reply:
    """A multi-line listing (LIST, UIDL, CAPA): each line followed by CRLF."""
    return Reply(True, text, body="".join(f"{line}\r\n" for line in lines).encode("utf-8"))
