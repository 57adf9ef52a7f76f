"""Client lines explained: what each command asks for (one sentence and a longer text per verb, with the RFC
section from the core's table), SASL responses, and the warnings a teacher wants on a command line."""

from __future__ import annotations

from poplab.annotate import sasl_text, spelling
from poplab.annotate.facts import MESSAGE_VERBS, Context, message_number
from poplab.annotate.model import Finding, Severity
from poplab.i18n import N_, NP_
from poplab.protocol import rfc
from poplab.protocol.client import SentCommand
from poplab.protocol.commands import has_control_bytes
from poplab.protocol.limits import MAX_ARGUMENT, MAX_COMMAND_LINE
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS, CommandSpec

W = Severity.WARNING

_TEXTS: dict[str, tuple[str, str]] = {
    "USER": (
        N_("USER names the mailbox to log in to: {name}."),
        N_(
            "USER is the first half of the plain login; PASS must follow. The name crosses the network as typed. "
            "Many servers answer +OK even for unknown names, so as not to reveal which accounts exist."
        ),
    ),
    "PASS": (
        N_("PASS sends the password for the user named with USER."),
        N_(
            "PASS completes the USER/PASS login. The rest of the line, spaces included, is the password, sent "
            "exactly as typed. If it is right, the server locks the maildrop and the session enters TRANSACTION."
        ),
    ),
    "APOP": (
        N_("APOP logs in as {name} with an MD5 digest instead of the password."),
        N_(
            "The digest is the MD5 of the timestamp from the server's greeting followed by the shared secret, "
            "written as 32 lower-case hex digits. The secret itself never crosses the network, but MD5 is weak "
            "today: prefer TLS."
        ),
    ),
    "AUTH": (
        N_("AUTH without arguments asks which SASL mechanisms the server offers."),
        N_(
            "Many servers answer with a list of mechanisms, ended by a line with a single dot. The standard way "
            "to learn them is the SASL line of CAPA."
        ),
    ),
    "AUTH mechanism": (
        N_("AUTH starts a SASL login with the {mechanism} mechanism."),
        N_(
            "The server answers with a challenge line that begins with '+ ', or at once with +OK or -ERR when "
            "an initial response was sent. All data is base64: an encoding, not encryption. A line with a "
            "single '*' cancels the exchange."
        ),
    ),
    "STLS": (
        N_("STLS asks the server to switch this connection to TLS."),
        N_(
            "After +OK both sides start the TLS handshake at once; everything after it is encrypted. The client "
            "must then forget what it learned before (CAPA) and ask again, because an attacker could have "
            "changed the unencrypted part."
        ),
    ),
    "CAPA": (
        N_("CAPA asks which extensions the server supports."),
        N_(
            "The answer is a list of capabilities, one per line, ended by a line with a single dot. Servers "
            "without RFC 2449 answer -ERR. The list can change after login and after STLS."
        ),
    ),
    "QUIT": (
        N_("QUIT ends the session; the maildrop is not changed."),
        N_("QUIT before login only says goodbye: the server answers +OK and closes the connection."),
    ),
    "QUIT update": (
        N_("QUIT ends the session and makes the server remove the messages marked as deleted."),
        N_(
            "QUIT in TRANSACTION moves the session into UPDATE: only now are the marked messages really "
            "removed; then the server releases the lock and closes the connection. Without QUIT nothing is "
            "deleted."
        ),
    ),
    "STAT": (
        N_("STAT asks for the number of messages and their total size."),
        N_(
            "The answer is +OK followed by two numbers: how many messages the maildrop holds and their size in "
            "octets. Messages marked as deleted are not counted."
        ),
    ),
    "LIST": (
        N_("LIST asks for the size of every message."),
        N_(
            "The answer is a multi-line listing: one line per message with its number and its size in octets, "
            "ended by a line with a single dot. Messages marked as deleted are left out."
        ),
    ),
    "LIST msg": (
        N_("LIST {msg} asks for the size of message {msg}."),
        N_("The answer is a single line: +OK, the message number and the size in octets."),
    ),
    "RETR": (
        N_("RETR {msg} asks for the whole of message {msg}."),
        N_(
            "The server sends +OK and then the message, line by line, ended by a line with a single dot. Lines "
            "of the message that begin with a dot get one more dot (byte-stuffing)."
        ),
    ),
    "DELE": (
        N_("DELE {msg} marks message {msg} as deleted."),
        N_(
            "The message is removed only when the session ends with QUIT (the UPDATE state). Until then RSET "
            "undoes every mark, and a dropped connection deletes nothing. Message numbers do not shift."
        ),
    ),
    "NOOP": (
        N_("NOOP does nothing: the server only answers +OK."),
        N_("Clients use it to check that the connection is still alive and to reset the server's idle timer."),
    ),
    "RSET": (
        N_("RSET removes every deletion mark of this session."),
        N_("Messages marked with DELE are no longer marked. Nothing was deleted yet: that happens only at QUIT."),
    ),
    "TOP": (
        N_("TOP {msg} {lines} asks for the header of message {msg} and the first {lines} lines of its body."),
        N_(
            "The answer is multi-line like RETR's: the header lines, the blank line and the requested number of "
            "body lines, ended by a line with a single dot. TOP with 0 lines gives just the header."
        ),
    ),
    "UIDL": (
        N_("UIDL asks for the unique id of every message."),
        N_(
            "Unlike the message number, a unique id stays the same across sessions, so a client can tell which "
            "messages it has already downloaded (\u201cleave mail on server\u201d)."
        ),
    ),
    "UIDL msg": (
        N_("UIDL {msg} asks for the unique id of message {msg}."),
        N_("The answer is a single line: +OK, the message number and its unique id."),
    ),
    "UTF8": (
        N_("UTF8 switches this session to UTF-8 (RFC 6856)."),
        N_(
            "Plain POP3 is ASCII. After +OK to UTF8 the client may send user names and passwords in UTF-8 (when "
            "CAPA lists UTF8 USER), the server may write its texts in UTF-8, and messages whose headers hold UTF-8 "
            "arrive as they are stored instead of being downgraded to ASCII forms. UTF8 is valid only before "
            "login, and only on a server whose CAPA lists it; it cannot be switched off again."
        ),
    ),
    "LANG": (
        N_("LANG asks in which languages the server can write its texts."),
        N_(
            "The answer is a listing: one language tag per line with its name, ended by a line with a single "
            "dot. LANG is an extension of RFC 6856: only servers whose CAPA lists LANG know it."
        ),
    ),
    "LANG arg": (
        N_("LANG {lang} asks the server to write its texts in {lang}."),
        N_(
            "The server answers +OK with the language it chose, or -ERR when none fits. Only the human-readable "
            "texts after +OK and -ERR change; the commands and the status indicators stay as they are."
        ),
    ),
    "unknown": (
        N_("{verb} is not a POP3 command."),
        N_(
            "The server will answer -ERR. POP3 commands are case-insensitive keywords of three or four letters, "
            "optionally followed by arguments separated by single spaces."
        ),
    ),
    "leading blank": (
        N_("The line begins with a space, so its command keyword is empty."),
        N_("The server will answer -ERR: a command begins with its keyword, right at the start of the line."),
    ),
    "empty": (
        N_("An empty line is not a command."),
        N_("The server will answer -ERR (some servers ignore the line). Every command starts with a keyword."),
    ),
}


_FORMS: dict[str, str] = {
    "USER missing": N_("USER names the mailbox to log in to, but the name is missing."),
    "PASS missing": N_("PASS sends the password for the user named with USER, but the password is missing."),
    "APOP missing": N_(
        "APOP logs in with a name and an MD5 digest instead of the password, but the name and the digest are missing."
    ),
    "APOP no digest": N_(
        "APOP logs in as {name} with an MD5 digest instead of the password, but the digest is missing."
    ),
    "LIST junk": N_("LIST with an argument asks for the size of one message, but '{arg}' is not a message number."),
    "UIDL junk": N_(
        "UIDL with an argument asks for the unique id of one message, but '{arg}' is not a message number."
    ),
    "RETR missing": N_("RETR asks for a whole message, but the message number is missing."),
    "RETR junk": N_("RETR asks for a whole message, but '{arg}' is not a message number."),
    "DELE missing": N_("DELE marks a message as deleted, but the message number is missing."),
    "DELE junk": N_("DELE marks a message as deleted, but '{arg}' is not a message number."),
    "TOP missing": N_(
        "TOP asks for the header and the first body lines of a message, but the message number and the number "
        "of lines are missing."
    ),
    "TOP junk": N_(
        "TOP asks for the header and the first body lines of a message, but '{arg}' is not a message number."
    ),
    "TOP no lines": N_(
        "TOP asks for the header of message {msg} and its first body lines, but the number of lines is missing."
    ),
    "TOP junk lines": N_(
        "TOP asks for the header of message {msg} and its first body lines, but '{arg}' is not a number of lines "
        "(0 or more)."
    ),
}
"""What a command asks for when its argument is missing or is no number: the summary names what is wrong,
never an empty or meaningless placeholder. The longer text stays the verb's own."""

_NUMBERED = frozenset({"RETR", "DELE", "TOP"})


def _key(command: SentCommand, state: State) -> str:
    verb = command.verb
    if verb is None:
        if not command.raw.strip():
            return "empty"
        return "leading blank" if spelling.begins_with_blank(command.raw) else "unknown"
    args = command.args
    if verb in ("LIST", "UIDL") and args:
        return f"{verb} msg" if message_number(args[0]) is not None else f"{verb} junk"
    if verb == "AUTH" and args:
        return "AUTH mechanism"
    if verb == "LANG" and args:
        return "LANG arg"
    if verb == "QUIT" and state is State.TRANSACTION:
        return "QUIT update"
    if verb in _NUMBERED and args and message_number(args[0]) is None:
        return f"{verb} junk"
    if verb == "APOP" and len(args) == 1:
        return "APOP no digest"
    if len(args) < COMMANDS[verb].min_args:
        return "TOP no lines" if verb == "TOP" and args else f"{verb} missing"
    if verb == "TOP" and message_number(args[1]) is None:
        return "TOP junk lines"
    return verb


def _values(command: SentCommand, key: str) -> dict[str, object]:
    """The ``{names}`` of a command's texts; only filled where the text that uses them is chosen."""
    args = command.args
    keyword = spelling.typed_keyword(command.raw)
    junk = args[1] if key == "TOP junk lines" else args[0] if args else ""
    return {
        "verb": keyword,
        "name": args[0] if args else "",
        "msg": args[0] if args else "",
        "lines": args[1] if len(args) > 1 else "",
        "mechanism": args[0].upper() if args else "",
        "lang": args[0][:MAX_ARGUMENT] if args else "",
        "arg": junk[:MAX_ARGUMENT],
    }


def explain_command(command: SentCommand, ctx: Context) -> tuple[str, str, rfc.RfcRef]:
    """One sentence, a longer text and the RFC section for a command line."""
    if command.sasl_response:
        return sasl_text.explain_response(command, ctx)
    key = _key(command, ctx.state)
    values = _values(command, key)
    if key in _FORMS:
        summary, detail = _FORMS[key], _TEXTS[command.verb or ""][1]
    else:
        summary, detail = _TEXTS[key]
    args = command.args
    long = ctx.t(detail, **values)
    if command.verb == "AUTH" and len(args) > 1:
        long = f"{long} {sasl_text.initial_response(args[0].upper(), args[1], ctx)}"
    if command.verb == "APOP":
        long = f"{long} {_apop_timestamp(ctx)}"
    return ctx.t(summary, **values), long, _ref(command, ctx.state)


def _ref(command: SentCommand, state: State) -> rfc.RfcRef:
    if command.verb == "QUIT" and state is State.TRANSACTION:
        return rfc.UPDATE
    spec = COMMANDS.get(command.verb or "")
    return spec.ref if spec is not None else rfc.BASIC_OPERATION


def _apop_timestamp(ctx: Context) -> str:
    timestamp = ctx.facts.apop_timestamp
    if timestamp is None:
        return ctx.t(N_("But the greeting had no timestamp, so this server does not offer APOP."))
    return ctx.t(N_("The greeting's timestamp is {timestamp}."), timestamp=timestamp)


# ---- findings ---------------------------------------------------------------------------------------------------


def line_findings(piece: bytes, ctx: Context, client: bool) -> list[Finding]:
    """Warnings about the bytes of a line, whichever side sent it."""
    t, out = ctx.t, []
    if piece.endswith(b"\n") and not piece.endswith(b"\r\n") and not client:
        text = t(N_("This line ends with a bare LF: a server must end every line with CRLF."))
        out.append(Finding("bare-lf", Severity.ERROR, text, _B))
    elif piece.endswith(b"\n") and not piece.endswith(b"\r\n"):
        out.append(Finding("bare-lf", W, t(N_("This line ends with a bare LF: POP3 lines end with CRLF.")), _B))
    elif not piece.endswith(b"\n"):
        text = N_("This line has no line end: the other side waits for CRLF before it reads the line.")
        out.append(Finding("no-line-end", W, t(text), _B))
    if client and has_control_bytes(piece.rstrip(b"\r\n")):
        out.append(Finding("control-bytes", W, t(N_("The line contains control characters.")), _B))
    if client and not _is_utf8(piece):
        out.append(Finding("not-utf8", W, t(N_("The line contains bytes that are not UTF-8.")), _B))
    return out


_B = rfc.BASIC_OPERATION


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def command_findings(command: SentCommand, piece: bytes, ctx: Context) -> list[Finding]:
    """Everything worth a warning on a client line."""
    t = ctx.t
    out = line_findings(piece, ctx, client=True)
    if ctx.ended:
        out.append(Finding("after-close", W, t(N_("This line was sent after the session had ended.")), rfc.UPDATE))
    if command.sasl_response:
        return out + sasl_text.response_findings(command, ctx)
    if command.verb is None:
        return out + _unknown(command, ctx)
    spec = COMMANDS[command.verb]
    if not command.sasl_response and len(piece) > MAX_COMMAND_LINE:
        text = t(N_("The command line is {octets} octets long; RFC 2449 allows 255, CRLF included."), octets=len(piece))
        out.append(Finding("line-too-long", W, text, rfc.LINE_LENGTH))
    out += _argument_findings(command, spec, ctx) + _extension_findings(spec, ctx)
    if not ctx.possible & spec.states and not ctx.ended:
        out.append(_wrong_state(command.verb, spec, ctx))
    out += _number_findings(command, ctx) + _security_findings(command, ctx)
    return out


def _unknown(command: SentCommand, ctx: Context) -> list[Finding]:
    t, raw = ctx.t, command.raw
    if not raw.strip():
        return [Finding("empty-command", W, t(N_("An empty line is not a command.")), _B)]
    if spelling.begins_with_blank(raw):
        text = t(N_("The line begins with a space: the server sees no command keyword and will answer -ERR."))
        return [Finding("leading-blank", W, text, _B)]
    keyword = spelling.typed_keyword(raw)
    text = t(N_("{verb} is not a POP3 command; the server will answer -ERR."), verb=keyword)
    out = [Finding("unknown-command", W, text, _B)]
    meant = spelling.suggestion(keyword, ctx.state)
    if meant is not None:
        out.append(Finding("did-you-mean", Severity.INFO, t(_DID_YOU_MEAN, verb=meant), COMMANDS[meant].ref))
    return out


_DID_YOU_MEAN = N_("Did you mean {verb}?")


def _argument_findings(command: SentCommand, spec: CommandSpec, ctx: Context) -> list[Finding]:
    out = []
    if not spec.min_args <= len(command.args) <= spec.max_args:
        text = ctx.t(N_("Wrong number of arguments for {verb}; use: {syntax}."), verb=spec.verb, syntax=spec.syntax)
        out.append(Finding("wrong-arguments", W, text, spec.ref))
    if argument_too_long(command, ctx):
        text = ctx.t(
            N_(
                "An argument is longer than 40 characters, the limit of RFC 1939 §3. A server that answers CAPA "
                "accepts longer ones (RFC 2449 §4: command lines of up to 255 octets): ask CAPA first."
            )
        )
        out.append(Finding("argument-too-long", W, text, rfc.ARGUMENT_LENGTH))
    return out


def argument_too_long(command: SentCommand, ctx: Context) -> bool:
    """An argument over RFC 1939's 40 characters, sent to a server not known to support CAPA (RFC 2449 §4 raises
    the limits for those). PASS and AUTH data are not arguments in that sense."""
    if command.verb in ("AUTH", "PASS") or ctx.facts.capa_supported:
        return False
    return any(len(arg) > MAX_ARGUMENT for arg in command.args)


def _extension_findings(spec: CommandSpec, ctx: Context) -> list[Finding]:
    """An extension command (UTF8, LANG) that the server's CAPA list did not name."""
    listed = ctx.facts.capabilities
    if spec.capability is None or listed is None or spec.capability in listed:
        return []
    text = ctx.t(
        N_("{verb} is an extension ({source}) that this server's CAPA did not list: it will answer -ERR."),
        verb=spec.verb,
        source=str(spec.ref),
    )
    return [Finding("extension-not-offered", W, text, spec.ref)]


def _wrong_state(verb: str, spec: CommandSpec, ctx: Context) -> Finding:
    states = " / ".join(state.value for state in State if state in spec.states)
    text = ctx.t(N_("{verb} is not valid in {state}: only in {states}."), verb=verb, state=ctx.state, states=states)
    return Finding("wrong-state", W, text, spec.ref)


def _number_findings(command: SentCommand, ctx: Context) -> list[Finding]:
    if command.verb not in MESSAGE_VERBS or not command.args:
        return []
    t, arg, facts = ctx.t, command.args[0], ctx.facts
    number = message_number(arg)
    out = []
    if number is None:
        text = t(N_("'{arg}' is not a message number: message numbers are 1, 2, 3 ..."), arg=arg[:40])
        out.append(Finding("not-a-number", W, text, rfc.TRANSACTION))
    elif number == 0:
        out.append(Finding("number-zero", W, t(N_("Message numbers start at 1: there is no message 0.")), _B))
    elif number in facts.deleted:
        text = t(N_("Message {msg} is marked as deleted: the server will answer -ERR."), msg=number)
        out.append(Finding("deleted-message", W, text, rfc.DELE))
    elif facts.total is not None and number > facts.total:
        forms = NP_(
            "The maildrop holds only {count} message: there is no message {msg}.",
            "The maildrop holds only {count} messages: there is no message {msg}.",
        )
        out.append(Finding("no-such-message", W, t.plural(forms, facts.total, msg=number), rfc.TRANSACTION))
    if command.verb == "TOP" and len(command.args) > 1 and message_number(command.args[1]) is None:
        text = t(N_("'{arg}' is not a line count: TOP needs a number, 0 or more."), arg=command.args[1][:40])
        out.append(Finding("bad-line-count", W, text, rfc.TOP))
    return out


def _security_findings(command: SentCommand, ctx: Context) -> list[Finding]:
    t, facts, out = ctx.t, ctx.facts, []
    if not ctx.secure and command.verb == "PASS" and command.args:
        out.append(sasl_text.cleartext(ctx))
    plain = command.verb == "AUTH" and len(command.args) > 1 and command.args[0].upper() == "PLAIN"
    if not ctx.secure and plain and command.args[1] != "=":
        out.append(sasl_text.cleartext(ctx))
    if facts.stls_done and not facts.capa_after_stls and not facts.warned_stls_capa and command.verb != "CAPA":
        text = t(
            N_(
                "After STLS the client should send CAPA again first: what the server said before TLS may have "
                "been changed by an attacker."
            )
        )
        out.append(Finding("stls-without-capa", W, text, rfc.STLS))
    return out
