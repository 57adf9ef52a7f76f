"""The transcript value type: every line that crossed the wire, in order, with its direction (C for client, S for
server), its exact bytes, the time it was seen and whether TLS was active — and its exports.

It owns the JSON form (raw bytes round-trip exactly: text where they are UTF-8, base64 otherwise), the
Markdown and standalone-HTML forms a teacher pastes into a worksheet, the ``S: ...`` / ``C: ...`` text form
used in docs, tests and hand-written transcripts of other servers, and password redaction (on by default in
every export). A line with empty ``raw`` marks the end of the connection, closed by that side.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, cast

Direction = Literal["C", "S"]
FORMAT = "poplab-transcript"
VERSION = 1
REDACTED = "[redacted]"
TLS_MARK = "--- TLS ---"
CLOSED_MARK = "--- {direction} closed ---"
_KEEP_SASL = frozenset({b"*", b"="})
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class TranscriptError(ValueError):
    """A transcript could not be read: the message says where and why, in one line."""


@dataclass(frozen=True)
class TranscriptLine:
    """One line as it crossed the wire, with its line end. Empty ``raw``: ``direction`` closed the connection."""

    direction: Direction
    raw: bytes
    time: float = 0.0
    tls: bool = False

    def __post_init__(self) -> None:
        if self.direction not in ("C", "S"):
            raise ValueError(f"direction must be 'C' or 'S', not {self.direction!r}")
        if not isinstance(self.raw, bytes):
            raise TypeError("raw must be bytes")
        if not math.isfinite(self.time):
            raise ValueError("time must be a finite number")

    @property
    def closed(self) -> bool:
        """This line marks the end of the connection."""
        return not self.raw

    @property
    def text(self) -> str:
        """The line for display: line end removed, bytes that are not UTF-8 and control characters escaped."""
        return display(self.raw)


def line_end(raw: bytes) -> bytes:
    """The line end of one line: CRLF, a bare LF, or nothing."""
    return b"\r\n" if raw.endswith(b"\r\n") else b"\n" if raw.endswith(b"\n") else b""


def display(raw: bytes) -> str:
    """Readable text of one line: the line end removed, other control bytes and non-UTF-8 bytes as ``\\xNN``."""
    content = raw[: len(raw) - len(line_end(raw))]
    text = content.decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def split_lines(raw: bytes) -> list[bytes]:
    """The lines in ``raw``, each with its line end (LF or CRLF); a last part without one is kept as it is."""
    parts = raw.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    return [*lines, parts[-1]] if parts[-1] else lines


# ---- redaction ----------------------------------------------------------------------------------------------


def redact_command(raw: bytes, sasl_response: bool = False) -> bytes:
    """A client line with its secret replaced by :data:`REDACTED`: the PASS argument, the APOP digest, the AUTH
    initial response, or (``sasl_response``) the whole SASL response except ``*`` (cancel) and ``=`` (empty)."""
    content = raw.rstrip(b"\r\n")
    end = raw[len(content) :]
    secret = REDACTED.encode("ascii")
    if sasl_response:
        return raw if content.strip() in _KEEP_SASL or not content.strip() else secret + end
    words = list(re.finditer(rb"\S+", content))
    verb = words[0].group().upper() if words else b""
    keep = _SECRET_AFTER.get(verb)
    if keep is None or len(words) <= keep:
        return raw
    start = words[keep].start()
    if verb == b"AUTH" and content[start:].strip() in _KEEP_SASL:
        return raw
    return content[:start] + secret + end


_SECRET_AFTER = {b"PASS": 1, b"APOP": 2, b"AUTH": 2}
"""After how many words the secret starts."""


class _Redactor:
    """Follows just enough of a session to know which client lines are SASL responses (after a ``+`` challenge
    to an AUTH command) — stdlib only, so the transcript needs nothing from the protocol package."""

    def __init__(self) -> None:
        self.in_auth = False
        self.challenged = False

    def line(self, line: TranscriptLine) -> TranscriptLine:
        if line.direction == "S":
            self._server(line.raw)
            return line
        parts = [self._client(part) for part in split_lines(line.raw)]
        return TranscriptLine(line.direction, b"".join(parts), line.time, line.tls)

    def _server(self, raw: bytes) -> None:
        if raw.startswith((b"+OK", b"-ERR")):
            self.in_auth = self.challenged = False
        elif raw.startswith(b"+") and self.in_auth:
            self.challenged = True

    def _client(self, raw: bytes) -> bytes:
        if self.challenged:
            self.challenged = False
            return redact_command(raw, sasl_response=True)
        words = raw.split()
        if words and words[0].upper() == b"AUTH" and len(words) > 1:
            self.in_auth = True
        return redact_command(raw)


def redacted(lines: Iterable[TranscriptLine]) -> list[TranscriptLine]:
    """The lines with every password, APOP digest and SASL credential replaced by :data:`REDACTED`."""
    redactor = _Redactor()
    return [redactor.line(line) for line in lines]


# ---- the transcript -----------------------------------------------------------------------------------------


class Transcript:
    """An ordered, growing list of :class:`TranscriptLine` with its exports."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, lines: Iterable[TranscriptLine] = ()) -> None:
        self._lines: list[TranscriptLine] = list(lines)

    def append(self, line: TranscriptLine) -> None:
        self._lines.append(line)

    def add(self, direction: Direction, raw: bytes, time: float = 0.0, tls: bool = False) -> TranscriptLine:
        """Append a line made from its parts and return it."""
        line = TranscriptLine(direction, raw, time, tls)
        self._lines.append(line)
        return line

    @property
    def lines(self) -> tuple[TranscriptLine, ...]:
        return tuple(self._lines)

    def __iter__(self) -> Iterator[TranscriptLine]:
        return iter(tuple(self._lines))

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> TranscriptLine:
        return self._lines[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Transcript) and self._lines == other._lines

    def __repr__(self) -> str:
        return f"Transcript({len(self._lines)} lines)"

    def redacted(self) -> Transcript:
        return Transcript(redacted(self._lines))

    def _export(self, redact: bool) -> list[TranscriptLine]:
        return redacted(self._lines) if redact else list(self._lines)

    # ---- JSON -------------------------------------------------------------------------------------------

    def to_json(self, redact: bool = True) -> str:
        """One JSON object, one line per transcript line; importing and exporting it again gives the same text."""
        rows = [json.dumps(_line_to_json(line), ensure_ascii=False) for line in self._export(redact)]
        body = ",\n".join(f"    {row}" for row in rows)
        lines = f"[\n{body}\n  ]" if rows else "[]"
        return f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n  "lines": {lines}\n}}\n'

    @classmethod
    def from_json(cls, text: str | bytes) -> Transcript:
        """Read the JSON form; raises :class:`TranscriptError` with a one-line reason."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as problem:
            raise TranscriptError(f"not valid JSON: {problem}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise TranscriptError(f'not a poplab transcript (expected "format": "{FORMAT}")')
        if data.get("version") != VERSION:
            raise TranscriptError(f"unsupported transcript version {data.get('version')!r} (expected {VERSION})")
        rows = data.get("lines")
        if not isinstance(rows, list):
            raise TranscriptError('"lines" must be a list')
        return cls(_line_from_json(row, number) for number, row in enumerate(rows, 1))

    # ---- text, Markdown, HTML ---------------------------------------------------------------------------

    @classmethod
    def from_text(cls, text: str, line_end: bytes = b"\r\n") -> Transcript:
        """Build a transcript from ``S: ...`` / ``C: ...`` lines (each sent with ``line_end``); a line
        ``--- TLS ---`` switches TLS on for what follows, ``--- S closed ---`` closes the connection. Blank
        lines are skipped; anything else raises :class:`TranscriptError`."""
        transcript, tls = cls(), False
        for number, row in enumerate(text.splitlines(), 1):
            if not row.strip():
                continue
            if row.strip() == TLS_MARK:
                tls = True
            elif row.strip() in _CLOSED:
                transcript.add(_CLOSED[row.strip()], b"", tls=tls)
                tls = False
            elif row[:2] in ("C:", "S:") and row[2:3] in ("", " "):
                transcript.add(cast(Direction, row[0]), row[3:].encode("utf-8") + line_end, tls=tls)
            else:
                raise TranscriptError(f"line {number}: expected 'C: ...' or 'S: ...', got {row[:40]!r}")
        return transcript

    def to_text(self, redact: bool = True) -> str:
        """The ``S: ...`` / ``C: ...`` form, with the TLS and closed marks (line ends and times are left out)."""
        rows, tls = [], False
        for line in self._export(redact):
            if line.tls and not tls:
                rows.append(TLS_MARK)
            tls = line.tls
            rows.append(CLOSED_MARK.format(direction=line.direction) if line.closed else _prefixed(line))
            tls = tls and not line.closed
        return "".join(f"{row}\n" for row in rows)

    def to_markdown(self, redact: bool = True, title: str | None = None) -> str:
        """A fenced code block of the text form (with a heading if ``title`` is given), safe to paste."""
        text = self.to_text(redact)
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        heading = f"### {title}\n\n" if title else ""
        return f"{heading}{fence}text\n{text}{fence}\n"

    def to_html(self, redact: bool = True, title: str = "POP3 session", standalone: bool = True) -> str:
        """A ``<pre>`` of the session (client lines in blue), as a whole page with inline CSS by default."""
        rows, tls = [], False
        for line in self._export(redact):
            if line.tls and not tls:
                rows.append(f'<span class="mark">{html.escape(TLS_MARK)}</span>')
            tls = line.tls
            text = CLOSED_MARK.format(direction=line.direction) if line.closed else _prefixed(line)
            kind = "mark" if line.closed else line.direction.lower()
            rows.append(f'<span class="{kind}">{html.escape(text)}</span>')
            tls = tls and not line.closed
        pre = '<pre class="poplab-transcript">\n' + "\n".join(rows) + "\n</pre>\n"
        if not standalone:
            return pre
        return _PAGE.format(title=html.escape(title), style=_STYLE, pre=pre)


_CLOSED: dict[str, Direction] = {CLOSED_MARK.format(direction=side): side for side in ("C", "S")}
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    ".poplab-transcript{font-family:ui-monospace,Menlo,Consolas,monospace;background:#f6f8fa;"
    "padding:1em;border-radius:6px;white-space:pre-wrap}"
    ".poplab-transcript .c{color:#0550ae;font-weight:bold}.poplab-transcript .s{color:#1a1a1a}"
    ".poplab-transcript .mark{color:#6e7781;font-style:italic}"
)
_PAGE = (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
    "<style>{style}</style>\n</head>\n<body>\n<h1>{title}</h1>\n{pre}</body>\n</html>\n"
)


def _prefixed(line: TranscriptLine) -> str:
    text = line.text
    return f"{line.direction}: {text}" if text else f"{line.direction}:"


def _line_to_json(line: TranscriptLine) -> dict[str, Any]:
    row: dict[str, Any] = {"direction": line.direction}
    try:
        row["text"] = line.raw.decode("utf-8")
    except UnicodeDecodeError:
        row["base64"] = base64.b64encode(line.raw).decode("ascii")
    row["time"] = line.time
    row["tls"] = line.tls
    return row


def _line_from_json(row: object, number: int) -> TranscriptLine:
    where = f"line {number}"
    if not isinstance(row, dict):
        raise TranscriptError(f"{where}: expected an object")
    direction, time, tls = row.get("direction"), row.get("time", 0.0), row.get("tls", False)
    if direction not in ("C", "S"):
        raise TranscriptError(f'{where}: "direction" must be "C" or "S"')
    if isinstance(time, bool) or not isinstance(time, int | float) or not math.isfinite(time):
        raise TranscriptError(f'{where}: "time" must be a number')
    if not isinstance(tls, bool):
        raise TranscriptError(f'{where}: "tls" must be true or false')
    return TranscriptLine(cast(Direction, direction), _raw_from_json(row, where), float(time), tls)


def _raw_from_json(row: dict[str, Any], where: str) -> bytes:
    text, encoded = row.get("text"), row.get("base64")
    if isinstance(text, str) and encoded is None:
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            raise TranscriptError(f'{where}: "text" is not valid Unicode') from None
    if isinstance(encoded, str) and text is None:
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise TranscriptError(f'{where}: "base64" is not valid base64') from None
    raise TranscriptError(f'{where}: needs exactly one of "text" (a string) or "base64"')
