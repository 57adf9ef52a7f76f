"""Multi-line bodies summarised as one annotation: listings (LIST, UIDL, CAPA, AUTH) and message data (RETR,
TOP) with line counts, octets and byte-stuffed lines, closed by the terminating ``.`` line."""

from __future__ import annotations

from dataclasses import dataclass

from poplab.annotate.facts import Context, message_number, number_and_rest
from poplab.annotate.model import Finding, Kind, Severity
from poplab.i18n import N_, NP_
from poplab.protocol import rfc
from poplab.protocol.client import SentCommand
from poplab.protocol.octets import unstuff_line
from poplab.protocol.table import COMMANDS

_MESSAGE_VERBS = frozenset({"RETR", "TOP"})
_NAMES_SHOWN = 12


@dataclass(frozen=True)
class Body:
    """The lines of a multi-line body as received, with the counts a learner is shown."""

    lines: tuple[bytes, ...]
    complete: bool

    @property
    def content(self) -> tuple[bytes, ...]:
        return self.lines[:-1] if self.complete else self.lines

    @property
    def texts(self) -> list[str]:
        return [unstuff_line(line).rstrip(b"\r\n").decode("utf-8", "replace") for line in self.content]

    @property
    def wire(self) -> int:
        return sum(map(len, self.lines))

    @property
    def dots(self) -> int:
        return sum(1 for line in self.content if line.startswith(b".."))

    @property
    def unstuffed(self) -> int:
        """Content lines that begin with a single dot: the server forgot to stuff them."""
        return sum(1 for line in self.content if line.startswith(b".") and not line.startswith(b".."))

    @property
    def bare_lf(self) -> int:
        return sum(1 for line in self.lines if not line.endswith(b"\r\n"))

    @property
    def size(self) -> int:
        """The size RFC 1939 §11 counts: unstuffed content with every line end as CRLF."""
        return sum(len(unstuff_line(line).rstrip(b"\r\n")) + 2 for line in self.content)

    def octets_note(self, ctx: Context) -> str:
        terminator = len(self.lines[-1]) if self.complete else 0
        content = self.wire - self.dots - terminator
        text = N_("content {content} + stuffing dots {dots} + final dot line {terminator}")
        return ctx.t(text, content=content, dots=self.dots, terminator=terminator)


def kind_of(command: SentCommand | None, body: Body) -> Kind:
    if body.complete and not body.content:
        return Kind.TERMINATOR
    verb = command.verb if command else None
    return Kind.MESSAGE if verb in _MESSAGE_VERBS else Kind.LISTING


def explain_body(command: SentCommand | None, body: Body, ctx: Context) -> tuple[str, str, rfc.RfcRef]:
    """One sentence, a longer text and the RFC section for a body and its terminator."""
    t = ctx.t
    verb = command.verb if command and command.verb else ""
    spec = COMMANDS.get(verb)
    ref = spec.ref if spec is not None else rfc.BASIC_OPERATION
    if not body.complete:
        summary = t(N_("The reply was cut off: the line with a single dot never arrived."))
        return summary, _lines_and_octets(body, ctx), ref
    if not body.content:
        return _empty(verb, ctx), t(N_("A line that holds only a dot ends every multi-line reply.")), ref
    if verb in _MESSAGE_VERBS and command is not None:
        return _message(command, body, ctx)
    explain = _LISTINGS.get(verb)
    if explain is None:
        return _lines_and_octets(body, ctx), t(N_("A line with a single dot ends the reply.")), ref
    summary, detail = explain(body, ctx)
    return summary, f"{detail} {t(N_('A line with a single dot ends the list.'))}", ref


def _lines_and_octets(body: Body, ctx: Context) -> str:
    lines = ctx.t.plural(NP_("{count} line", "{count} lines"), len(body.content))
    octets = ctx.t.plural(NP_("{count} octet", "{count} octets"), body.size)
    return ctx.t(N_("{lines}, {octets}."), lines=lines, octets=octets)


def _empty(verb: str, ctx: Context) -> str:
    if verb in ("LIST", "UIDL"):
        return ctx.t(N_("The listing is empty: no messages (or all are marked as deleted)."))
    return ctx.t(N_("The line with a single dot ends the reply: the body is empty."))


def _names(body: Body) -> tuple[int, str]:
    names = [text.strip() for text in body.texts if text.strip()]
    shown = ", ".join(names[:_NAMES_SHOWN]) + (", …" if len(names) > _NAMES_SHOWN else "")
    return len(names), shown


def _list(body: Body, ctx: Context) -> tuple[str, str]:
    pairs = [pair for pair in map(number_and_rest, body.texts) if pair is not None]
    total = sum(message_number(size) or 0 for _, size in pairs)
    forms = NP_("{count} message listed, {size} octets in total.", "{count} messages listed, {size} octets in total.")
    detail = N_("Each line: the message number, a space, the size in octets. Messages marked as deleted are left out.")
    return ctx.t.plural(forms, len(body.content), size=total), ctx.t(detail)


def _uidl(body: Body, ctx: Context) -> tuple[str, str]:
    forms = NP_("{count} unique id listed.", "{count} unique ids listed.")
    detail = N_(
        "Each line: the message number, a space and the unique id (1 to 70 printable characters), which stays "
        "the same across sessions."
    )
    return ctx.t.plural(forms, len(body.content)), ctx.t(detail)


def _capa(body: Body, ctx: Context) -> tuple[str, str]:
    count, names = _names(body)
    forms = NP_("{count} capability: {names}.", "{count} capabilities: {names}.")
    detail = ctx.t(
        N_(
            "Capabilities tell the client what it may use: TOP, UIDL, USER, SASL with its mechanisms, STLS, "
            "PIPELINING and more. After STLS and after login the list can change."
        )
    )
    if any(text.split()[:1] == ["STLS"] for text in body.texts):
        detail += " " + ctx.t(N_("STLS is offered: the client can switch this connection to TLS."))
    if any(text.split()[:1] == ["UTF8"] for text in body.texts):
        detail += " " + ctx.t(N_("UTF8 is offered: the client can switch the session to UTF-8 (RFC 6856)."))
    return ctx.t.plural(forms, count, names=names), detail


def _auth(body: Body, ctx: Context) -> tuple[str, str]:
    count, names = _names(body)
    forms = NP_("{count} SASL mechanism: {names}.", "{count} SASL mechanisms: {names}.")
    return ctx.t.plural(forms, count, names=names), ctx.t(N_("Any of them can follow AUTH."))


def _lang(body: Body, ctx: Context) -> tuple[str, str]:
    count, names = _names(body)
    forms = NP_("{count} language: {names}.", "{count} languages: {names}.")
    return ctx.t.plural(forms, count, names=names), ctx.t(N_("LANG with one of these tags switches the language."))


_LISTINGS = {"LIST": _list, "UIDL": _uidl, "CAPA": _capa, "AUTH": _auth, "LANG": _lang}


def _message(command: SentCommand, body: Body, ctx: Context) -> tuple[str, str, rfc.RfcRef]:
    t, msg = ctx.t, command.args[0] if command.args else ""
    lines = t.plural(NP_("{count} line", "{count} lines"), len(body.content))
    octets = t.plural(NP_("{count} octet", "{count} octets"), body.size)
    numbered = message_number(msg) is not None
    if command.verb == "TOP":
        text = N_("Header and first body lines of message {msg}: {lines}, {octets}.")
        if not numbered:
            text = N_("Header and first body lines of the message: {lines}, {octets}.")
    else:
        text = N_("Message {msg}: {lines}, {octets}.") if numbered else N_("The message: {lines}, {octets}.")
    summary = t(text, msg=msg, lines=lines, octets=octets)
    parts = [_structure(body, ctx)]
    if body.dots:
        forms = NP_(
            "{count} line began with a dot and arrived with one more (byte-stuffing); the client removes it.",
            "{count} lines began with a dot and arrived with one more (byte-stuffing); the client removes it.",
        )
        parts.append(t.plural(forms, body.dots))
    if command.verb == "RETR":
        parts.append(_compare_size(msg, body, ctx))
    parts.append(t(N_("The line with a single dot ends the message; it is not part of it.")))
    return summary, " ".join(part for part in parts if part), rfc.RETR if command.verb == "RETR" else rfc.TOP


def _structure(body: Body, ctx: Context) -> str:
    texts = body.texts
    if "" not in texts:
        return ctx.t(N_("There is no blank line, so it is all header."))
    blank = texts.index("")
    header = ctx.t.plural(NP_("{count} header line", "{count} header lines"), blank)
    rest = ctx.t.plural(NP_("{count} body line", "{count} body lines"), len(texts) - blank - 1)
    text = N_("A message is header lines, a blank line and the body: here {header}, the blank line and {body}.")
    return ctx.t(text, header=header, body=rest)


def _compare_size(msg: str, body: Body, ctx: Context) -> str:
    number = message_number(msg)
    listed = ctx.facts.sizes.get(number) if number is not None else None
    if listed is None:
        return ""
    if listed == body.size:
        return ctx.t(N_("LIST announced {size} octets for it: the sizes match."), size=listed)
    return ctx.t(N_("LIST announced {listed} octets, but {size} arrived."), listed=listed, size=body.size)


def body_findings(command: SentCommand | None, body: Body, ctx: Context) -> list[Finding]:
    """A cut-off body, lines not stuffed, bare LF, a size that differs from LIST's."""
    t, out = ctx.t, []
    if not body.complete:
        text = t(N_("The reply was cut off: the line with a single dot never arrived."))
        out.append(Finding("body-incomplete", Severity.WARNING, text, rfc.BASIC_OPERATION))
    if body.unstuffed:
        forms = NP_(
            "{count} line begins with a dot but is not byte-stuffed: a client removes that dot.",
            "{count} lines begin with a dot but are not byte-stuffed: a client removes that dot.",
        )
        out.append(Finding("not-stuffed", Severity.ERROR, t.plural(forms, body.unstuffed), rfc.BASIC_OPERATION))
    if body.bare_lf:
        forms = NP_(
            "{count} line ends with a bare LF: servers must send CRLF.",
            "{count} lines end with a bare LF: servers must send CRLF.",
        )
        out.append(Finding("bare-lf", Severity.ERROR, t.plural(forms, body.bare_lf), rfc.BASIC_OPERATION))
    return out
