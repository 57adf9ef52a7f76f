"""Server status lines explained: the greeting, +OK to each verb (one-line, or the status line that opens a
multi-line reply) and -ERR (the Why comes from :mod:`poplab.annotate.why`)."""

from __future__ import annotations

from poplab.annotate.facts import Context, message_number, number_and_rest
from poplab.annotate.model import Finding, Severity, Why
from poplab.i18n import N_, NP_
from poplab.protocol import rfc
from poplab.protocol.client import ServerReply
from poplab.protocol.sasl import greeting_timestamp, greeting_timestamps
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS

_OK: dict[str, tuple[str, str]] = {
    "greeting": (
        N_("The server is ready: the session begins in AUTHORIZATION."),
        N_(
            "Every POP3 session starts with a greeting from the server, on TCP port 110 (plain text, upgraded with "
            "STLS) or on port 995 (implicit TLS: encrypted from the first byte). A greeting that contains a "
            "timestamp in angle brackets, like <1896.697170952@dbc.mtview.ca.us>, means that the server offers APOP."
        ),
    ),
    "login": (
        N_("Login succeeded: the session is now in TRANSACTION."),
        N_(
            "From now on the mailbox commands (STAT, LIST, RETR, DELE ...) are valid. RFC 1939 §4 has the server "
            "lock the maildrop now, so that a second session for the same mailbox is refused until this one ends; "
            "poplab does, but not every server does (Dovecot, for one, does not lock by default)."
        ),
    ),
    "USER": (
        N_("The server accepts the name and waits for PASS."),
        N_("This +OK does not prove that the user exists: many servers check name and password together."),
    ),
    "STLS": (
        N_("The server agrees: the TLS handshake starts right after this line."),
        N_(
            "Bytes sent before the handshake must not be read after it (CVE-2011-0411). Once TLS is up, the "
            "client should ask CAPA again. RFC 8314 §3 prefers implicit TLS on port 995 to STLS on port 110: "
            "there nothing travels in plain text at all."
        ),
    ),
    "QUIT": (
        N_("The server says goodbye and closes the connection."),
        N_("The session ended before login, so the maildrop did not change."),
    ),
    "QUIT update": (
        N_("The server entered UPDATE: the marked messages are removed and the connection closes."),
        N_("Only now, after QUIT, does the server remove the messages marked with DELE and release the lock."),
    ),
    "STAT": (
        N_("The answer to STAT."),
        N_(
            "Sizes count every line end as CRLF (RFC 1939 §11), but not the dots that byte-stuffing adds on the "
            "wire, so a RETR can bring a few octets more; messages marked as deleted are not counted."
        ),
    ),
    "LIST msg": (N_("The size of message {msg}."), N_("The number is the size in octets, line ends counted as CRLF.")),
    "UIDL msg": (
        N_("The unique id of message {msg} is {uid}."),
        N_("The id stays the same in every session, while message numbers are counted afresh each time."),
    ),
    "DELE": (
        N_("Message {msg} is marked as deleted; it will be removed at QUIT."),
        N_(
            "The mark holds only for this session: RSET removes it, and a connection that ends without QUIT "
            "deletes nothing."
        ),
    ),
    "NOOP": (N_("The server is still there."), N_("NOOP changes nothing.")),
    "UTF8": (
        N_("The session now speaks UTF-8 (RFC 6856)."),
        N_(
            "From here on user names, passwords and the server's texts may be UTF-8, and messages with UTF-8 "
            "headers are sent as they are stored, without downgrading."
        ),
    ),
    "LANG": (
        N_("The list of languages follows."),
        N_("Each line: a language tag and its name; a line with a single dot ends the list."),
    ),
    "LANG arg": (
        N_("The server changed the language of its texts."),
        N_("Only the human-readable texts after +OK and -ERR change; the commands stay as they are."),
    ),
    "RSET": (
        N_("All deletion marks are removed."),
        N_("The maildrop is as it was at login; many servers tell its size again."),
    ),
    "CAPA": (
        N_("The capability list follows."),
        N_("Each following line names one capability; a line with a single dot ends the list."),
    ),
    "LIST": (
        N_("The listing follows: one line per message, with its number and size."),
        N_("A line with a single dot ends the listing."),
    ),
    "UIDL": (
        N_("The unique-id listing follows: one line per message, with its number and unique id."),
        N_("A line with a single dot ends the listing."),
    ),
    "RETR": (
        N_("Message {msg} follows, up to a line with a single dot."),
        N_("Lines of the message that begin with a dot arrive with one more dot (byte-stuffing)."),
    ),
    "TOP": (
        N_("The header of message {msg} and up to {lines} lines of its body follow."),
        N_("A line with a single dot ends the reply; lines that begin with a dot are byte-stuffed."),
    ),
    "AUTH": (
        N_("The list of SASL mechanisms follows."),
        N_("A line with a single dot ends the list."),
    ),
    "multi-line": (
        N_("A multi-line reply follows, up to a line with a single dot."),
        N_("The server accepted the command."),
    ),
    "generic": (N_("The server accepted the command."), N_("+OK means success.")),
}


def _key(reply: ServerReply, greeting: bool, multiline: bool) -> str:
    command = reply.command
    verb = command.verb if command else None
    if greeting:
        return "greeting"
    if reply.state_before is State.AUTHORIZATION and reply.state_after is State.TRANSACTION:
        return "login"
    if verb == "QUIT" and reply.state_before is State.TRANSACTION:
        return "QUIT update"
    if verb in ("LIST", "UIDL") and command is not None and command.args and not multiline:
        return f"{verb} msg"
    if verb == "LANG":
        return "LANG" if multiline else "LANG arg"
    if verb in ("CAPA", "LIST", "UIDL", "RETR", "TOP", "AUTH"):
        return verb if multiline else "generic"
    if verb is not None and verb in _OK:
        return verb
    return "multi-line" if multiline else "generic"


def _checked(key: str, reply: ServerReply, multiline: bool) -> str:
    """A text that names the message (and TOP's line count) only where the command gave them as numbers; a
    server that says +OK to ``RETR x`` or ``DELE`` gets the general text, never an empty placeholder."""
    args = reply.command.args if reply.command else ()
    numbers = [message_number(arg) for arg in args]
    if key == "UIDL msg":
        usable = number_and_rest(reply.text) is not None
    elif key == "LIST msg":
        usable = number_and_rest(reply.text) is not None or (bool(numbers) and numbers[0] is not None)
    elif key in ("DELE", "RETR"):
        usable = bool(numbers) and numbers[0] is not None
    elif key == "TOP":
        usable = len(numbers) == 2 and None not in numbers
    else:
        return key
    if usable:
        return key
    return "multi-line" if multiline else "generic"


def explain_ok(reply: ServerReply, ctx: Context, greeting: bool, multiline: bool) -> tuple[str, str, rfc.RfcRef]:
    """One sentence, a longer text and the RFC section for a positive status line."""
    key = _checked(_key(reply, greeting, multiline), reply, multiline)
    summary, detail = _OK[key]
    args = reply.command.args if reply.command else ()
    pair = number_and_rest(reply.text)
    values: dict[str, object] = {"msg": args[0] if args else "", "lines": args[1] if len(args) > 1 else ""}
    if key in ("LIST msg", "UIDL msg") and pair is not None:
        values.update(msg=pair[0], uid=pair[1])
    text = ctx.t(summary, **values)
    long = ctx.t(detail, **values)
    if key == "STAT":
        text = _stat(reply.text, ctx) or text
    elif key == "LIST msg":
        text = _size(reply.text, ctx) or text
    elif key == "QUIT update":
        long = f"{long} {_removed(ctx)}"
    elif key == "greeting":
        long = f"{long} {_greeting_apop(reply, ctx)}"
    return text, long, _ref(reply, key)


def _greeting_apop(reply: ServerReply, ctx: Context) -> str:
    """Whether this greeting offers APOP, read from the greeting itself (the session's facts learn it only after
    the greeting is explained)."""
    timestamp = greeting_timestamp(reply.text)
    if timestamp is None:
        return ctx.t(N_("This greeting has no timestamp, so this server does not offer APOP."))
    text = N_("This greeting carries the timestamp {timestamp}: this server offers APOP.")
    return ctx.t(text, timestamp=timestamp)


def _ref(reply: ServerReply, key: str) -> rfc.RfcRef:
    if key == "greeting":
        return rfc.GREETING
    if key == "QUIT update":
        return rfc.UPDATE
    spec = COMMANDS.get(reply.command.verb or "") if reply.command else None
    return spec.ref if spec is not None else rfc.BASIC_OPERATION


def _stat(text: str, ctx: Context) -> str | None:
    words = text.split()
    if len(words) < 2 or message_number(words[0]) is None or message_number(words[1]) is None:
        return ctx.t(N_("The server answered STAT, but not with two numbers as RFC 1939 asks."))
    forms = NP_(
        "The maildrop holds {count} message, {size} octets in total.",
        "The maildrop holds {count} messages, {size} octets in total.",
    )
    return ctx.t.plural(forms, message_number(words[0]) or 0, size=words[1])


def _size(text: str, ctx: Context) -> str | None:
    pair = number_and_rest(text)
    size = message_number(pair[1]) if pair else None
    if pair is None or size is None:
        return None
    forms = NP_("Message {msg} is {count} octet long.", "Message {msg} is {count} octets long.")
    return ctx.t.plural(forms, size, msg=pair[0])


def _removed(ctx: Context) -> str:
    deleted = sorted(ctx.facts.deleted)
    if not deleted:
        return ctx.t(N_("No message was marked, so nothing was removed."))
    forms = NP_("Removed: message {numbers}.", "Removed: messages {numbers}.")
    return ctx.t.plural(forms, len(deleted), numbers=", ".join(map(str, deleted)))


def explain_err(reply: ServerReply, ctx: Context, why: Why, greeting: bool) -> tuple[str, str, rfc.RfcRef]:
    """A negative status line: its summary is the reason; the detail says what -ERR leaves unchanged."""
    t = ctx.t
    if greeting:
        detail = t(N_("A -ERR greeting means the server will not talk to this client; it closes the connection."))
    elif reply.command is not None and reply.command.verb == "QUIT" and reply.state_after is State.UPDATE:
        detail = t(
            N_(
                "The session is in UPDATE all the same (RFC 1939 §6): the server tried to remove the marked "
                "messages and failed. It closes the connection."
            )
        )
    elif reply.command is not None and reply.command.verb == "QUIT":
        detail = t(N_("After QUIT the server closes the connection, even after -ERR."))
    else:
        detail = t(
            N_("After -ERR nothing has changed: the session stays in {state} and the client may go on."),
            state=reply.state_after,
        )
    return why.reason, detail, why.ref or rfc.BASIC_OPERATION


def greeting_findings(reply: ServerReply, ctx: Context) -> list[Finding]:
    """A greeting with more than one ``<...>``: clients that take the first one (or everything from the first
    ``<`` to the last ``>``) compute a wrong APOP digest."""
    stamps = greeting_timestamps(reply.text)
    if len(stamps) < 2:
        return []
    text = N_(
        "The greeting holds more than one <…>: {stamps}. The APOP timestamp is {timestamp} (a msg-id with @), but "
        "clients that take the first <…>, or everything from the first < to the last >, compute a wrong digest."
    )
    found = ctx.t(text, stamps=", ".join(stamps), timestamp=greeting_timestamp(reply.text) or stamps[0])
    return [Finding("ambiguous-timestamp", Severity.WARNING, found, rfc.APOP)]
