"""What ``poplab replay FILE`` reads, without Textual: a transcript's JSON export (the tutor's F4, a proxy's
``--save``), the ``S: …`` / ``C: …`` text form, or a classroom record (one session a line, as the classroom server
writes ``records/<student>/<NN>.jsonl``). Every line is redacted as it is read: a password, APOP digest or SASL
credential is never held, shown or replayed.

A classroom record keeps only a reply's first line and its size; a multi-line reply gets a stand-in terminator
(so the annotator does not wait for a body that never comes) and a note of the octets that were not kept.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from poplab.exercises.record import SessionRecord, records_from_jsonl
from poplab.protocol.octets import wire_size
from poplab.transcript import FORMAT, Direction, Transcript, TranscriptError, TranscriptLine, redacted
from poplab.tui.mailbox_history import ServerLog

TERMINATOR = b".\r\n"


class RecordingError(ValueError):
    """A file that cannot be replayed; the message says why, in one line."""


@dataclass(frozen=True)
class Recording:
    """One session to replay. ``standins``: indexes of lines that were not on the wire (a record's terminators);
    ``kept_out``: (line index, octets) of replies whose body the record did not keep; ``log``: what the server
    logged (classroom records), else None; ``poplab``: whether a fresh bundled server can be brought to the same
    point ("try from here")."""

    name: str
    lines: tuple[TranscriptLine, ...]
    log: ServerLog | None = None
    standins: frozenset[int] = frozenset()
    kept_out: tuple[tuple[int, int], ...] = ()
    poplab: bool = True
    mailbox: tuple[tuple[str, bytes], ...] | None = None
    """The messages (UID, bytes) the account started with, when known (a classroom's variant): a branch serves
    them instead of the demo mailbox."""

    @property
    def implicit_tls(self) -> bool:
        return bool(self.lines) and self.lines[0].tls


def from_transcript(transcript: Transcript | list[TranscriptLine], name: str) -> Recording:
    lines = tuple(redacted(transcript))
    return Recording(name, lines, poplab=bool(lines) and lines[0].raw.startswith(b"+OK"))


def from_record(record: SessionRecord, name: str, messages: tuple[tuple[str, bytes], ...] | None = None) -> Recording:
    """A classroom record as a transcript (its lines were redacted when the server wrote them, and again here).
    ``messages``: the account's mailbox as served (UID, bytes), for the sizes and a branch."""
    sizes = {uid: wire_size(data) for uid, data in messages or ()}
    lines: list[TranscriptLine] = []
    standins: set[int] = set()
    kept_out: list[tuple[int, int]] = []
    for recorded in record.lines:
        lines.append(TranscriptLine(recorded.direction, recorded.raw, recorded.time, recorded.tls))
        rest = recorded.octets - len(recorded.raw)
        if recorded.direction == "S" and recorded.raw.startswith(b"+OK") and rest > 0:
            kept_out.append((len(lines) - 1, rest - len(TERMINATOR)))
            standins.add(len(lines))
            lines.append(TranscriptLine("S", TERMINATOR, recorded.time, recorded.tls))
    if record.end != "open":
        side: Direction = "C" if record.end == "dropped" else "S"
        lines.append(TranscriptLine(side, b"", record.closed or 0.0, bool(lines) and lines[-1].tls))
    log = ServerLog(record.snapshot, record.committed, sizes)
    pop3 = record.protocol == "pop3"  # an SMTP session cannot be tried again on a POP3 server
    recording = Recording(name, tuple(redacted(lines)), log, frozenset(standins), tuple(kept_out), poplab=pop3)
    return dataclasses.replace(recording, mailbox=messages)


def load_recording(
    path: Path, session: str | None = None, messages: tuple[tuple[str, bytes], ...] | None = None
) -> Recording:
    """Read ``path``; for a classroom record, session ``session`` (default: the last one): its number, or
    ``smtpN`` for an SMTP session (exercise 16's records hold both, numbered apart)."""
    try:
        data = path.read_bytes()
    except OSError as problem:
        raise RecordingError(f"cannot read {path}: {problem.strerror or problem}") from None
    text = data.decode("utf-8", "replace")
    stripped = text.lstrip()
    if stripped.startswith("{") and f'"{FORMAT}"' in stripped[:200]:
        try:
            return from_transcript(Transcript.from_json(data), path.name)
        except TranscriptError as problem:
            raise RecordingError(f"{path} is not a POP3 transcript: {problem}") from None
    if stripped.startswith("{"):
        return _from_records(path, text, session, messages)
    try:
        return from_transcript(Transcript.from_text(text), path.name)
    except TranscriptError as problem:
        raise RecordingError(f"{path} is not a POP3 transcript: {problem}") from None


def _from_records(
    path: Path, text: str, session: str | None, messages: tuple[tuple[str, bytes], ...] | None
) -> Recording:
    records = records_from_jsonl(text)
    if not records:
        try:
            records = records_from_jsonl(json.dumps(json.loads(text)))
        except ValueError:
            records = []
    if not records:
        raise RecordingError(f"{path} holds no transcript and no classroom session")
    if session is None:
        record = records[-1]
    else:
        found = [item for item in records if session == (_smtp_name(item) or str(item.id))]
        if not found:
            numbers = ", ".join(_smtp_name(item) or str(item.id) for item in records)
            raise RecordingError(f"{path} has no session {session} (it has {numbers})")
        record = found[0]
    name = _smtp_name(record) or f"#{record.id}"
    return from_record(record, f"{path.name} {name}", messages)


def _smtp_name(record: SessionRecord) -> str:
    """``smtp3`` for SMTP session 3 (its server numbers sessions apart from POP3's), else empty."""
    return f"smtp{record.id}" if record.protocol == "smtp" else ""
