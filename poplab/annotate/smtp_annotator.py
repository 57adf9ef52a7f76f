"""The annotator's SMTP side: it explains the lines of an SMTP session (EHLO, MAIL FROM, RCPT TO, DATA, the
message, the dot, QUIT; each reply by its code), so one transcript can hold a mail's whole journey — sent with
SMTP, fetched with POP3. :class:`~poplab.annotate.annotator.Annotator` hands it the lines of a connection that
opened with an SMTP greeting (``220``) or an EHLO/HELO; pure, and it never raises."""

from __future__ import annotations

import re
from collections import deque
from typing import Literal, cast

from poplab.annotate import smtp_replies as replies
from poplab.annotate import smtp_table as table
from poplab.annotate.model import Annotation, Finding, Kind, Severity, Why
from poplab.annotate.smtp_table import SmtpState
from poplab.i18n import N_, NP_, Translator
from poplab.protocol.rfc import RfcRef
from poplab.protocol.states import State
from poplab.transcript import TranscriptLine, display, redact_command, split_lines

EXCERPT_LINES = 24
MAX_TEXT_LINE = 1000
"""Octets in a line of mail data, CR LF included (RFC 5321 §4.5.3.1.6)."""
_REPLY_START = re.compile(rb"\d{3}([ -]|\r?\n|$)")
_HELLO = (b"EHLO", b"HELO")


def starts_smtp(line: TranscriptLine) -> bool:
    """Whether the first line of a connection is SMTP's: a reply code (the greeting) or EHLO/HELO."""
    if line.direction == "S":
        return _REPLY_START.match(line.raw) is not None
    return line.raw.split(b" ", 1)[0].strip().upper() in _HELLO


def _state(state: SmtpState) -> State:
    """Annotations keep their state in ``state_before``/``state_after``, typed as POP3's :class:`State`; an SMTP
    line carries an :class:`SmtpState` there instead (the faces show states with ``str()``)."""
    return cast(State, state)


class SmtpAnnotator:
    """One SMTP connection at a time; :meth:`feed` returns its annotations in transcript order."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.active = False
        self._start()

    def _start(self) -> None:
        self.state = SmtpState.START
        self.greeted = False
        self.secure = False
        self.pending: deque[str] = deque()
        self.reply: list[bytes] = []
        self.reply_index = 0
        self.data: list[bytes] = []
        self.data_index = 0
        self.sasl = False

    def begin(self) -> None:
        self.active = True
        self._start()

    # ---- lines in ---------------------------------------------------------------------------------------

    def feed(self, line: TranscriptLine, index: int) -> list[Annotation]:
        self.secure = self.secure or line.tls
        if line.closed:
            out = self._flush(index)
            out.append(self._closed(line.direction, index))
            self.active = False
            return out
        out = []
        for piece in split_lines(line.raw):
            if line.direction == "C":
                out.extend(self._client(piece, index))
            else:
                out.extend(self._server(piece, index))
        return out

    def finish(self, index: int) -> list[Annotation]:
        """The transcript ends: a reply or a message cut off."""
        return self._flush(index) if self.active else []

    def _flush(self, index: int) -> list[Annotation]:
        out = []
        if self.data:
            out.append(self._message(self.data_index, complete=False))
        if self.reply:
            out.append(self._reply_annotation(self.reply_index))
        return out

    # ---- the client ---------------------------------------------------------------------------------------

    def _client(self, piece: bytes, index: int) -> list[Annotation]:
        out = self._flush(index) if self.reply else []
        if self.state is SmtpState.DATA:
            if piece.rstrip(b"\r\n") != b".":
                if not self.data:
                    self.data_index = index
                self.data.append(piece)
                return out
            if self.data:
                out.append(self._message(self.data_index, complete=True))
            self.pending.append(".")
            out.append(self._dot(piece, index))
            return out
        out.append(self._command(piece, index))
        return out

    def _command(self, piece: bytes, index: int) -> Annotation:
        t, state = self.t, self.state
        findings = self._line_findings(piece)
        if self.sasl:
            self.sasl = False
            self.pending.append("sasl")
            summary = t(N_("The client's answer to the server's challenge, base64-encoded (a part of the login)."))
            return self._annotation(index, "C", Kind.SASL_RESPONSE, piece, summary, "", table.AUTH, findings,
                                    shown=redact_command(piece, sasl_response=True))  # fmt: skip
        words = piece.split(maxsplit=2)
        verb = words[0].decode("ascii", "replace").upper() if words else ""
        command = table.COMMANDS.get(verb)
        self.pending.append(verb)
        if any(pending == "STARTTLS" for pending in list(self.pending)[:-1]):
            findings.append(Finding("smtp-sent-before-tls", Severity.WARNING, t(_BEFORE_TLS), table.STARTTLS))
        if command is None:
            summary = t(N_("{verb} is not a command this lab explains; the server's reply says what it made of it."),
                        verb=verb or "?")  # fmt: skip
            return self._annotation(index, "C", Kind.COMMAND, piece, summary, "", table.REPLIES, findings, verb=verb)
        if state not in command.states:
            text = t(_OUT_OF_ORDER, verb=verb, state=str(state))
            findings.append(Finding("smtp-out-of-order", Severity.WARNING, text, table.ORDER))
        if verb == "AUTH" and not self.secure and len(words) > 1 and words[1].upper() in (b"PLAIN", b"LOGIN"):
            findings.append(Finding("smtp-clear-text-password", Severity.WARNING, t(_CLEAR_TEXT), table.AUTH))
        return self._annotation(index, "C", Kind.COMMAND, piece, t(command.summary), "", command.ref, findings,
                                verb=verb, shown=redact_command(piece))  # fmt: skip

    def _dot(self, piece: bytes, index: int) -> Annotation:
        t = self.t
        summary = t(N_("The end of the message: a line with only a dot (CR LF . CR LF)."))
        detail = t(N_("Now the server answers once for the whole message: 250 means it took it over."))
        return self._annotation(index, "C", Kind.TERMINATOR, piece, summary, detail, table.DATA, [], verb=".")

    def _message(self, index: int, complete: bool) -> Annotation:
        t, lines = self.t, self.data
        self.data = []
        count = len(lines)
        summary = t.plural(
            NP_(
                "The message itself: {count} line, header and body, exactly as it will be stored.",
                "The message itself: {count} lines, header and body, exactly as it will be stored.",
            ),
            count,
        )
        detail = t(_MESSAGE_DETAIL)
        findings = []
        stuffed = sum(1 for line in lines if line.startswith(b".."))
        if stuffed:
            text = t.plural(_STUFFED, stuffed)
            findings.append(Finding("smtp-byte-stuffed", Severity.INFO, text, table.TRANSPARENCY))
        if any(len(line) > MAX_TEXT_LINE for line in lines):
            findings.append(Finding("smtp-long-line", Severity.WARNING, t(_LONG_LINE), table.TEXT_LINE))
        if any(not line.endswith(b"\r\n") for line in lines):
            findings.append(Finding("smtp-bare-lf", Severity.WARNING, t(_BARE_LF), table.LINES))
        if not complete:
            findings.append(Finding("smtp-cut-off", Severity.WARNING, t(_CUT_OFF), table.DATA))
        raw = b"".join(lines)
        return Annotation(
            index=index, direction="C", kind=Kind.MESSAGE, lines=tuple(display(line) for line in lines[:EXCERPT_LINES]),
            line_count=count, raw=raw, summary=summary, detail=detail, ref=table.TRACE,
            state_before=_state(SmtpState.DATA), state_after=_state(SmtpState.DATA), octets=len(raw),
            octets_note=t(N_("the message lines as sent, byte-stuffing included")), verb="DATA", tls=self.secure,
            findings=tuple(findings),
        )  # fmt: skip

    # ---- the server ---------------------------------------------------------------------------------------

    def _server(self, piece: bytes, index: int) -> list[Annotation]:
        out = []
        if self.data:  # a reply in the middle of the data: the server gave up waiting
            out.append(self._message(self.data_index, complete=False))
        if not self.reply:
            self.reply_index = index
        self.reply.append(piece)
        if piece[3:4] == b"-" and _REPLY_START.match(piece) and len(self.reply) < 1000:
            return out
        out.append(self._reply_annotation(self.reply_index))
        return out

    def _reply_annotation(self, index: int) -> Annotation:
        t, lines = self.t, self.reply
        self.reply = []
        first = lines[0]
        code = int(first[:3]) if first[:3].isdigit() else 0
        verb = "greeting" if not self.greeted else (self.pending.popleft() if self.pending else None)
        self.greeted = True
        before = self.state
        self._advance(verb, code)
        why: Why | None = None
        findings: list[Finding] = []
        if code == 0:
            findings.append(Finding("smtp-not-a-reply", Severity.ERROR, t(_NOT_A_REPLY), table.REPLIES))
        if 200 <= code < 400 or code == 0:
            extensions = ", ".join(_extensions(lines)) or "-"
            summary, ref = replies.explain_ok(t, verb, code, extensions)
        else:
            why = replies.explain_failure(t, verb, code, first)
            summary, ref = why.reason, why.ref or table.REPLIES
        kind = Kind.GREETING if verb == "greeting" else Kind.CONTINUATION if code == 334 else Kind.STATUS
        raw = b"".join(lines)
        return Annotation(
            index=index, direction="S", kind=kind, lines=tuple(display(line) for line in lines), line_count=len(lines),
            raw=raw, summary=summary, detail=replies.detail(t, code, first), ref=ref, state_before=_state(before),
            state_after=_state(self.state), octets=len(raw), octets_note=t(N_("the reply lines with their line ends")),
            verb=verb if verb not in ("greeting", "sasl", ".") else None, ok=200 <= code < 400, tls=self.secure,
            findings=tuple(findings), why=why,
        )  # fmt: skip

    def _advance(self, verb: str | None, code: int) -> None:
        if code == 421:
            self.state = SmtpState.END
            return
        good = 200 <= code < 400
        if verb in ("AUTH", "sasl"):
            self.sasl = code == 334
            return
        if verb == "." or (verb == "RSET" and good and self.state is not SmtpState.START):
            self.state = SmtpState.READY
            return
        command = table.COMMANDS.get(verb or "")
        if good and command is not None and command.success is not None and (verb != "DATA" or code == 354):
            self.state = command.success

    # ---- the end of a connection ----------------------------------------------------------------------------

    def _closed(self, side: Literal["C", "S"], index: int) -> Annotation:
        t = self.t
        summary = t(N_("The client closed the connection.") if side == "C" else N_("The server closed the connection."))
        if self.state is SmtpState.DATA:
            detail, code = t(_CLOSED_IN_DATA), "smtp-closed-in-data"
        elif self.state in (SmtpState.MAIL, SmtpState.RCPT):
            detail, code = t(N_("The transaction under way is dropped: nothing was delivered.")), "smtp-closed-in-mail"
        else:
            detail, code = "", ""
        findings = (Finding(code, Severity.WARNING, detail, table.DATA),) if code else ()
        return Annotation(
            index=index, direction=side, kind=Kind.CLOSED, lines=(), line_count=0, raw=b"", summary=summary,
            detail=detail, ref=table.TERMINATING, state_before=_state(self.state), state_after=_state(SmtpState.END),
            octets=0, octets_note="", tls=self.secure, findings=findings,
        )  # fmt: skip

    # ---- helpers ---------------------------------------------------------------------------------------------

    def _line_findings(self, piece: bytes) -> list[Finding]:
        if piece.endswith(b"\r\n") or not piece.endswith(b"\n"):
            return []
        return [Finding("smtp-bare-lf", Severity.WARNING, self.t(_BARE_LF), table.LINES)]

    def _annotation(
        self, index: int, direction: Literal["C", "S"], kind: Kind, piece: bytes, summary: str, detail: str,
        ref: RfcRef, findings: list[Finding], verb: str | None = None, shown: bytes | None = None,
    ) -> Annotation:  # fmt: skip
        return Annotation(
            index=index, direction=direction, kind=kind, lines=(display(shown if shown is not None else piece),),
            line_count=1, raw=piece, summary=summary, detail=detail, ref=ref, state_before=_state(self.state),
            state_after=_state(self.state), octets=len(piece), octets_note=self.t(_COMMAND_OCTETS), verb=verb,
            tls=self.secure, findings=tuple(findings),
        )  # fmt: skip


def _extensions(lines: list[bytes]) -> list[str]:
    """The extension keywords of a multi-line EHLO reply (its first line is the server's name)."""
    return [line[4:].split()[0].decode("ascii", "replace") for line in lines[1:] if len(line) > 4 and line[4:].split()]


_BEFORE_TLS = N_(
    "This line was sent after STARTTLS, before the server's 220: a correct server throws it away when TLS starts "
    "(RFC 3207 §4.2; reading it would let an attacker in the path inject commands, CVE-2011-0411)."
)
_OUT_OF_ORDER = N_("{verb} is out of order in {state}: the order is EHLO, MAIL FROM, RCPT TO, DATA.")
_CLEAR_TEXT = N_(
    "The password crosses the network only base64-encoded, which anyone can decode: use STARTTLS first. This lab "
    "allows it on loopback only."
)
_MESSAGE_DETAIL = N_(
    "Between 354 and the dot everything is the message, not commands. The server adds a Received: line at the top "
    "(RFC 5321 §4.4); a POP3 RETR shows it later."
)
_STUFFED = NP_(
    "{count} line begins with a dot: the client doubled it (byte-stuffing), the server removes one.",
    "{count} lines begin with a dot: the client doubled it (byte-stuffing), the server removes one.",
)
_LONG_LINE = N_("A line is longer than 1000 octets, the limit for a line of mail data.")
_BARE_LF = N_("SMTP lines end with CR LF; a bare LF is not a line end.")
_CUT_OFF = N_("The message ended before its dot: it is not delivered.")
_CLOSED_IN_DATA = N_("The connection ended inside DATA, before the dot: the server delivers nothing, not even half.")
_NOT_A_REPLY = N_("This is not an SMTP reply: a reply begins with three digits.")
_COMMAND_OCTETS = N_("the command line with its line end")
