"""``lab.smtp_session()``: an SMTP session typed by hand in a notebook — each ``send(line)`` shows the line, the
server's reply and the annotator's explanation of it (RFC 5321 sections, reasons for 4xx/5xx). After DATA's 354
the lines sent are the message, without replies, up to the line with only a dot. Like the POP3 sessions, it never
raises for a learner's mistake: a closed connection becomes an exchange that says what to do."""

from __future__ import annotations

import html
from dataclasses import dataclass

from poplab.annotate import annotate
from poplab.client import SmtpSession
from poplab.client.wire import SessionError
from poplab.notebook import render as r


@dataclass(frozen=True)
class SmtpExchange:
    """One line sent and what came back: ``code`` 0 and no ``reply`` for a line of the message (no reply is
    due), ``problem`` when the connection is gone."""

    sent: str
    reply: tuple[str, ...] = ()
    code: int = 0
    explanation: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool | None:
        """2xx or 3xx: True; 4xx/5xx or no connection: False; a line of the message: None."""
        if self.problem:
            return False
        return None if not self.reply else 200 <= self.code < 400

    def __repr__(self) -> str:
        lines = [f"C: {self.sent}", *(f"S: {line}" for line in self.reply)]
        if self.problem:
            lines.append(f"   {self.problem}")
        elif self.explanation:
            lines.append(f"   ↳ {self.explanation}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [r.code(self.sent, r.CLIENT, bold=True)]
        colour = r.ERROR if self.code >= 400 or self.problem else r.TEXT
        rows += [r.code(line, colour) for line in self.reply]
        if self.problem or self.explanation:
            rows.append(r.muted(self.problem or self.explanation))
        return r.box("<br>".join(rows), "smtp")


class LabSmtpSession:
    """A session to the lab's SMTP server (or any SMTP server): ``send(line)``, ``quit()``, ``drop()``."""

    def __init__(self, host: str, port: int, lang: str, timeout: float = 10.0) -> None:
        self.lang = lang
        self.inner = SmtpSession.connect(host, port, timeout=timeout)
        greeting = self.inner.greeting
        self.greeting = _lines(greeting.lines) if greeting is not None else ()

    def send(self, line: str) -> SmtpExchange:
        """Send one line as typed (CR LF is added); the reply and its explanation (none for a line of mail)."""
        try:
            reply = self.inner.send(line)
        except SessionError as problem:
            return SmtpExchange(line, problem=str(problem))
        if reply is None:
            return SmtpExchange(line)
        return SmtpExchange(line, _lines(reply.lines), reply.code, self._explain())

    def _explain(self) -> str:
        lines = [line for line in self.inner.lines if line.raw]
        notes = [note for note in annotate(lines, self.lang) if note.direction == "S"]
        if not notes:
            return ""
        last = notes[-1]
        return last.why.reason if last.why is not None else last.summary

    def quit(self) -> SmtpExchange:
        return self.send("QUIT")

    def drop(self) -> None:
        """Cut the connection without QUIT (a message not finished with its dot is not delivered)."""
        if not self.inner.closed:
            self.inner.close()

    @property
    def closed(self) -> bool:
        return self.inner.closed

    def __repr__(self) -> str:
        return "\n".join(f"{line.direction}: {_text(line.raw)}" for line in self.inner.lines if line.raw)

    def _repr_html_(self) -> str:
        rows = [
            r.code(_text(line.raw), r.CLIENT if line.direction == "C" else r.TEXT, bold=line.direction == "C")
            for line in self.inner.lines
            if line.raw
        ]
        return r.box("<br>".join(rows) or html.escape("—"), "smtp")


def _text(raw: bytes) -> str:
    return raw.rstrip(b"\r\n").decode("utf-8", "replace")


def _lines(raw: tuple[bytes, ...]) -> tuple[str, ...]:
    return tuple(_text(line) for line in raw)
