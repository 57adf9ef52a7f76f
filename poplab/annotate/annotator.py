"""The annotator: a pure observer that reads a transcript of any POP3 server line by line and explains each
line. The state is tracked by the core's :class:`~poplab.protocol.client.ClientConnection` (which reads the one
command table), so the annotator, the learner's client and the server cannot disagree.

:class:`Annotator` takes lines one at a time (for a live view); :func:`annotate` reads a whole transcript.
Neither raises on any input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from poplab.annotate import bodies, commands, replies, sasl_text, why
from poplab.annotate.facts import Context, Facts
from poplab.annotate.model import Annotation, Finding, Kind, Severity, Why
from poplab.annotate.smtp_annotator import SmtpAnnotator, starts_smtp
from poplab.i18n import N_, NP_, Translator, translator
from poplab.protocol import rfc
from poplab.protocol.client import ClientConnection, SentCommand, ServerReply
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS, state_after
from poplab.transcript import TranscriptLine, display, redact_command, split_lines

EXCERPT_LINES = 24
"""A body's annotation shows at most this many of its lines."""


@dataclass
class _Open:
    """The status line of a multi-line reply was read; its body is arriving."""

    command: SentCommand
    index: int
    """Where the body's annotation goes: its first line, or (no line yet) its status line."""
    status_index: int
    state: State
    tls: bool
    lines: list[bytes] = field(default_factory=list)


class Annotator:
    """Feed it transcript lines in order; it returns the annotations each line completes, always in transcript
    order.

    A multi-line body gives nothing until its terminating line arrives, then one annotation. Lines that arrive
    while a body is open (a pipelining client's next command, or what follows a body that never ends) are held
    back until the body's annotation is out, so the annotations never come out of order. Call :meth:`finish`
    when the transcript or the connection ends.
    """

    def __init__(self, lang: str | None = "en") -> None:
        self.t: Translator = translator(lang)
        self.index = -1
        self._finished = False
        self._held: list[Annotation] = []
        self.smtp = SmtpAnnotator(self.t)
        """A connection that opens with SMTP (a 220 greeting, or EHLO/HELO) is explained by the SMTP side."""
        self._new_session()

    def _new_session(self) -> None:
        self.connection = ClientConnection()
        self.facts = Facts()
        self._open: _Open | None = None

    @property
    def state(self) -> State:
        return self.connection.state

    def feed(self, line: TranscriptLine) -> list[Annotation]:
        """Annotate one transcript line (several, if its bytes hold several lines)."""
        self.index += 1
        if self._smtp_line(line):
            return self._in_order(self.smtp.feed(line, self.index))
        if line.closed:
            return self._in_order(self._closed(line))
        out: list[Annotation] = []
        for piece in split_lines(line.raw):
            if line.direction == "C":
                out.append(self._client(piece, line))
            else:
                out.extend(self._server(piece, line))
        return self._in_order(out)

    def finish(self) -> list[Annotation]:
        """The end of the transcript: a cut-off body, deletions lost because the session did not end with QUIT."""
        if self._finished:
            return []
        self._finished = True
        out = [*self.smtp.finish(self.index + 1), *self._cut_off(self.index + 1)]
        if not self.facts.ended and self.connection.greeted:
            out.extend(self._ending(self.index + 1, None, Kind.END))
        return self._in_order(out)

    def _smtp_line(self, line: TranscriptLine) -> bool:
        if not self.smtp.active and (self.facts.ended or not self.connection.greeted) and starts_smtp(line):
            self.smtp.begin()
        return self.smtp.active

    def _in_order(self, new: list[Annotation]) -> list[Annotation]:
        """What may be handed out now, in transcript order: while a body is open, only what comes before it (its
        own status line included); the rest waits for the body's annotation."""
        ready = sorted([*self._held, *new], key=lambda annotation: annotation.index)  # stable: a line's order kept
        barrier = self._open.status_index if self._open is not None else None
        if barrier is None:
            self._held = []
            return ready
        self._held = [annotation for annotation in ready if annotation.index > barrier]
        return [annotation for annotation in ready if annotation.index <= barrier]

    # ---- context --------------------------------------------------------------------------------------

    def _context(self, line: TranscriptLine) -> Context:
        if line.tls:
            self.facts.secure = True
        state = self.connection.state
        possible = {state}
        for command in self.connection.pending:
            spec = COMMANDS.get(command.verb or "")
            if spec is not None and spec.success_state is not None:
                possible.add(spec.success_state)
        return Context(self.t, self.facts, state, frozenset(possible), self.facts.secure, self.facts.ended)

    # ---- client lines ---------------------------------------------------------------------------------

    def _client(self, piece: bytes, line: TranscriptLine) -> Annotation:
        first = not self.connection.greeted
        self.connection.greeted = True
        ctx = self._context(line)
        before_tls = any(command.verb == "STLS" for command in self.connection.pending)
        sent = self.connection.send(piece)
        findings = commands.command_findings(sent, piece, ctx)
        if before_tls and not sent.sasl_response:
            findings.append(Finding("sent-before-tls", Severity.WARNING, self.t(_SENT_BEFORE_TLS), rfc.STLS))
        if first:
            text = self.t(N_("The transcript starts without the server's greeting."))
            findings.insert(0, Finding("no-greeting", Severity.INFO, text, rfc.GREETING))
        summary, detail, ref = commands.explain_command(sent, ctx)
        self.facts.sent(sent)
        return Annotation(
            index=self.index,
            direction="C",
            kind=Kind.SASL_RESPONSE if sent.sasl_response else Kind.COMMAND,
            lines=(display(redact_command(piece, sent.sasl_response)),),
            line_count=1,
            raw=piece,
            summary=summary,
            detail=detail,
            ref=ref,
            state_before=ctx.state,
            state_after=ctx.state,
            octets=len(piece),
            octets_note=self.t(_COMMAND_OCTETS),
            verb=sent.verb,
            tls=ctx.secure,
            findings=tuple(findings),
        )

    # ---- server lines ---------------------------------------------------------------------------------

    def _server(self, piece: bytes, line: TranscriptLine) -> list[Annotation]:
        fed = piece if piece.endswith(b"\n") else piece + b"\r\n"
        if self._open is not None:
            return self._body_line(piece, fed)
        if self.facts.ended:
            self._new_session()
        ctx = self._context(line)
        greeting = not self.connection.greeted
        injected = self._answers_discarded(greeting)
        pending = self.connection.pending
        command = pending[0] if pending and not greeting else None
        received = self.connection.receive_data(fed)
        if received:
            reply = received[0]
            annotation = self._status(reply, piece, ctx, greeting, multiline=False, injected=injected)
            self.facts.learn(reply)
            return [annotation]
        if command is None:  # only a pending command opens a body; never reached
            return []
        after = state_after(command.verb or "", ctx.state, True, len(command.args))
        self._open = _Open(command, self.index, self.index, after, ctx.secure)
        opened = ServerReply(command, fed, True, None, ctx.state, after)
        return [self._status(opened, piece, ctx, False, True, injected=injected)]

    def _answers_discarded(self, greeting: bool) -> bool:
        """A reply while nothing waits, after STLS threw commands away: the server answers one of them after the
        handshake (CVE-2011-0411). It is read as that command's reply."""
        discarded = self.connection.discarded
        if greeting or self.connection.pending or not discarded or self.connection.in_sasl:
            return False
        self.connection.discarded = discarded[1:]
        self.connection.requeue(discarded[0])
        return True

    def _status(
        self, reply: ServerReply, piece: bytes, ctx: Context, greeting: bool, multiline: bool, injected: bool = False
    ) -> Annotation:
        kind, summary, detail, ref, problem = self._explain_status(reply, ctx, greeting, multiline)
        findings = commands.line_findings(piece, ctx, client=False)
        if injected:
            verb = reply.command.verb if reply.command and reply.command.verb else "?"
            text = self.t(_ANSWERED_BEFORE_TLS, verb=verb)
            findings.append(Finding("stls-injection", Severity.ERROR, text, rfc.STLS))
        if greeting and reply.ok:
            findings += replies.greeting_findings(reply, ctx)
        if kind is Kind.UNEXPECTED:
            text = self.t(N_("No command was waiting for this line."))
            findings.append(Finding("unexpected-line", Severity.ERROR, text, rfc.BASIC_OPERATION))
        if not piece.startswith((b"+", b"-ERR")):
            text = self.t(N_("This is not a POP3 status line: a reply must begin with +OK or -ERR."))
            findings.append(Finding("not-a-status", Severity.ERROR, text, rfc.BASIC_OPERATION))
        return Annotation(
            index=self.index,
            direction="S",
            kind=kind,
            lines=(display(piece),),
            line_count=1,
            raw=piece,
            summary=summary,
            detail=detail,
            ref=ref,
            state_before=reply.state_before,
            state_after=reply.state_after,
            octets=len(piece),
            octets_note=self.t(_STATUS_OCTETS),
            verb=reply.command.verb if reply.command else None,
            ok=reply.ok,
            tls=ctx.secure,
            findings=tuple(findings),
            why=problem,
        )

    def _explain_status(
        self, reply: ServerReply, ctx: Context, greeting: bool, multiline: bool
    ) -> tuple[Kind, str, str, rfc.RfcRef, Why | None]:
        if not greeting and reply.command is None:
            problem = why.explain(reply, ctx, greeting) if reply.ok is False else None
            summary = self.t(N_("A line no command was waiting for."))
            detail = self.t(_UNEXPECTED)
            return Kind.UNEXPECTED, summary, detail, rfc.BASIC_OPERATION, problem
        if reply.ok is None:
            summary, detail = sasl_text.explain_challenge(reply.text, ctx)
            self.facts.challenge = (sasl_text.decode(reply.text.strip()) or b"").decode("utf-8", "replace")
            return Kind.CONTINUATION, summary, detail, rfc.AUTH, None
        kind = Kind.GREETING if greeting else Kind.STATUS
        if reply.ok:
            return (kind, *replies.explain_ok(reply, ctx, greeting, multiline), None)
        problem = why.explain(reply, ctx, greeting)
        return (kind, *replies.explain_err(reply, ctx, problem, greeting), problem)

    def _body_line(self, piece: bytes, fed: bytes) -> list[Annotation]:
        opened = self._open
        if opened is None:
            return []
        if not opened.lines:
            opened.index = self.index
        opened.lines.append(piece)
        received = self.connection.receive_data(fed)
        if not received:
            return []
        self._open = None
        annotation = self._body(opened, bodies.Body(tuple(opened.lines), complete=True))
        self.facts.learn(received[0])
        return [annotation]

    def _body(self, opened: _Open, body: bodies.Body) -> Annotation:
        ctx = Context(self.t, self.facts, opened.state, frozenset({opened.state}), opened.tls, self.facts.ended)
        summary, detail, ref = bodies.explain_body(opened.command, body, ctx)
        return Annotation(
            index=opened.index,
            direction="S",
            kind=bodies.kind_of(opened.command, body),
            lines=tuple(display(raw) for raw in body.lines[:EXCERPT_LINES]),
            line_count=len(body.lines),
            raw=b"".join(body.lines),
            summary=summary,
            detail=detail,
            ref=ref,
            state_before=opened.state,
            state_after=opened.state,
            octets=body.wire,
            octets_note=body.octets_note(ctx),
            verb=opened.command.verb,
            ok=True,
            tls=opened.tls,
            findings=tuple(bodies.body_findings(opened.command, body, ctx)),
        )

    # ---- the end of a connection ----------------------------------------------------------------------

    def _cut_off(self, end: int) -> list[Annotation]:
        """A body that never got its terminating line; one that got no line at all is placed at ``end``, where
        the transcript or the connection ends."""
        opened, self._open = self._open, None
        if opened is None:
            return []
        if not opened.lines:
            opened.index = end
        return [self._body(opened, bodies.Body(tuple(opened.lines), complete=False))]

    def _closed(self, line: TranscriptLine) -> list[Annotation]:
        out = self._cut_off(self.index)
        out.extend(self._ending(self.index, line.direction, Kind.CLOSED))
        self.facts.ended = True
        return out

    def _ending(self, index: int, side: Literal["C", "S"] | None, kind: Kind) -> list[Annotation]:
        t, facts, state = self.t, self.facts, self.connection.state
        summary = t(_ENDINGS[side])
        findings: list[Finding] = []
        if facts.ended:
            detail = t(N_("The session had already ended."))
        elif state is State.TRANSACTION and not facts.quit_sent:
            detail, findings = self._lost(facts)
        elif facts.quit_sent:
            detail = t(N_("QUIT was sent, but its reply is missing: whether messages were removed is unknown."))
        else:
            detail = t(N_("The session ended before login; nothing changed."))
        if kind is Kind.END and not findings and state is not State.TRANSACTION:
            return []
        annotation = Annotation(
            index=index,
            direction=side,
            kind=kind,
            lines=(),
            line_count=0,
            raw=b"",
            summary=summary,
            detail=detail,
            ref=rfc.UPDATE,
            state_before=state,
            state_after=state,
            octets=0,
            octets_note="",
            tls=facts.secure,
            findings=tuple(findings),
        )
        return [annotation]

    def _lost(self, facts: Facts) -> tuple[str, list[Finding]]:
        t = self.t
        detail = t(
            N_(
                "Without QUIT the server never enters UPDATE: it releases the lock and removes nothing. Deletion "
                "marks hold only for the session."
            )
        )
        if not facts.deleted:
            return detail, []
        forms = NP_(
            "The session ended without QUIT: the deletion of message {numbers} is lost.",
            "The session ended without QUIT: the deletion of messages {numbers} is lost.",
        )
        numbers = ", ".join(map(str, sorted(facts.deleted)))
        text = t.plural(forms, len(facts.deleted), numbers=numbers)
        return detail, [Finding("deletes-lost", Severity.WARNING, text, rfc.UPDATE)]


_UNEXPECTED = N_(
    "Either the server sent more than it was asked for, or the transcript lacks a command; the state stays as it was."
)
_SENT_BEFORE_TLS = N_(
    "This line was sent after STLS, before the server's +OK arrived: a correct server throws it away when TLS "
    "starts. A client must wait for +OK and the handshake; a server that read it after the handshake would let "
    "an attacker in the path inject commands (CVE-2011-0411)."
)
_ANSWERED_BEFORE_TLS = N_(
    "This answers the {verb} that was sent in plain text before the TLS handshake: the server read bytes from "
    "before STLS as if they had come through TLS, so an attacker in the path can inject commands (CVE-2011-0411). "
    "A server must discard them (RFC 2595 §4)."
)
_COMMAND_OCTETS = N_("the command line with its line end")
_STATUS_OCTETS = N_("the status line with its line end")
_ENDINGS: dict[Literal["C", "S"] | None, str] = {
    "C": N_("The client closed the connection."),
    "S": N_("The server closed the connection."),
    None: N_("The transcript ends here."),
}


def annotate(transcript: Iterable[TranscriptLine], lang: str | None = "en") -> list[Annotation]:
    """Every annotation of a transcript, in order, the end of the transcript included."""
    annotator = Annotator(lang)
    out: list[Annotation] = []
    for line in transcript:
        out.extend(annotator.feed(line))
    out.extend(annotator.finish())
    return out
