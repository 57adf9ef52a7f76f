"""Message bytes on the wire: CRLF line ends, octet counts, byte-stuffing (RFC 1939 §3 and §11)."""

from __future__ import annotations

TERMINATOR = b".\r\n"


def to_crlf(data: bytes) -> bytes:
    """Every line end as CRLF; a bare LF stored on disk is served as CRLF. A missing final line end is added."""
    if b"\r\n" in data:
        data = data.replace(b"\r\n", b"\n")
    data = data.replace(b"\n", b"\r\n")
    if data and not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data


def wire_size(data: bytes) -> int:
    """The size RFC 1939 §11 means: every line end counted as CRLF, stuffed dots not counted."""
    return len(to_crlf(data))


def stuff(crlf_data: bytes) -> bytes:
    """Byte-stuff a CRLF body: every line that begins with '.' gets one more '.' in front."""
    stuffed = crlf_data.replace(b"\r\n.", b"\r\n..")
    return b"." + stuffed if stuffed.startswith(b".") else stuffed


def unstuff_line(line: bytes) -> bytes:
    """Undo byte-stuffing of one received content line."""
    return line[1:] if line.startswith(b"..") else line


def multiline_body(crlf_data: bytes) -> bytes:
    """A CRLF body as sent in a multi-line reply: stuffed and closed by the terminator."""
    return stuff(crlf_data) + TERMINATOR


def split_header(crlf_data: bytes) -> tuple[bytes, bytes]:
    """Header block (with the blank line) and body of a CRLF message. A message with no blank line is all header."""
    if crlf_data.startswith(b"\r\n"):
        return b"\r\n", crlf_data[2:]
    cut = crlf_data.find(b"\r\n\r\n")
    if cut < 0:
        return crlf_data, b""
    return crlf_data[: cut + 4], crlf_data[cut + 4 :]


def top(crlf_data: bytes, lines: int) -> bytes:
    """RFC 1939 §7 TOP: the headers, the blank line, and the first ``lines`` lines of the body."""
    header, body = split_header(crlf_data)
    if lines <= 0 or not body:
        return header
    end = -1
    for _ in range(lines):
        end = body.find(b"\r\n", end + 1)
        if end < 0:
            return header + body
    return header + body[: end + 2]
