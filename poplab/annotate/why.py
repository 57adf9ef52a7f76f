"""Why -ERR? For every negative reply a reason and a hint, inferred from the command, the state and what the
session showed so far — never from the server's free text, so it works on any server's replies."""

from __future__ import annotations

from collections.abc import Callable

from poplab.annotate import commands, spelling
from poplab.annotate.facts import MESSAGE_VERBS, Context, message_number
from poplab.annotate.model import Why
from poplab.i18n import N_, NP_
from poplab.protocol import rfc
from poplab.protocol.client import ServerReply
from poplab.protocol.commands import has_control_bytes
from poplab.protocol.limits import MAX_COMMAND_LINE
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS, TRANSACTION_ONLY

Rule = Callable[[ServerReply, Context], Why | None]

_CODES: dict[str, tuple[str, str, rfc.RfcRef]] = {
    "IN-USE": (
        N_("[IN-USE]: the name and password were right, but another session holds the maildrop."),
        N_(
            "Authentication succeeded; only the lock could not be had (RFC 2449 §8.1.2). Close the other session "
            "(another mail client, another terminal) or wait until it ends, then log in again."
        ),
        rfc.IN_USE,
    ),
    "LOGIN-DELAY": (
        N_("[LOGIN-DELAY]: you logged in again too soon."),
        N_("The server allows a new login only after a while; wait, then try again."),
        rfc.LOGIN_DELAY,
    ),
    "SYS/TEMP": (
        N_("[SYS/TEMP]: a temporary problem on the server."),
        N_("It is not your mistake: try again later."),
        rfc.SYS_AUTH_CODES,
    ),
    "SYS/PERM": (
        N_("[SYS/PERM]: a permanent problem on the server."),
        N_("It is not your mistake, and trying again will not help: ask the administrator."),
        rfc.SYS_AUTH_CODES,
    ),
}


def explain(reply: ServerReply, ctx: Context, greeting: bool) -> Why:
    """The reason and hint for a -ERR reply (or for a line that is no status at all)."""
    if greeting:
        return _why(ctx, "greeting-refused", _GREETING, rfc.GREETING)
    if reply.command is None:
        return _why(ctx, "unsolicited", _UNSOLICITED, rfc.BASIC_OPERATION)
    for rule in _RULES:
        found = rule(reply, ctx)
        if found is not None:
            return found
    verb = reply.command.verb or ""
    return _why(ctx, "refused", _REFUSED, COMMANDS[verb].ref if verb in COMMANDS else rfc.BASIC_OPERATION, verb=verb)


def _why(ctx: Context, code: str, texts: tuple[str, str], ref: rfc.RfcRef | None, **values: object) -> Why:
    return Why(code, ctx.t(texts[0], **values), ctx.t(texts[1], **values), ref)


_GREETING = (
    N_("The server refuses this connection."),
    N_("It may be too busy, or your address may be blocked; try again later."),
)
_UNSOLICITED = (
    N_("-ERR without a command waiting for it."),
    N_(
        "Servers send this just before they close the connection, for example after too many bad commands; or "
        "the transcript lacks a line. An idle timeout closes the connection without any reply by RFC 1939 §3, "
        "though some servers say goodbye first."
    ),
)
_REFUSED = (
    N_("The server refused {verb}."),
    N_("The text after -ERR is the server's own explanation; read it for the details."),
)


def _code(reply: ServerReply, ctx: Context) -> Why | None:
    code = "".join((reply.code or "").upper().split()[:1])
    for known, (reason, hint, ref) in _CODES.items():
        if code == known or code.startswith(known + "/"):
            return Why(known.lower(), ctx.t(reason), ctx.t(hint), ref)
    if code != "AUTH" and not code.startswith("AUTH/"):
        return None
    verb = reply.command.verb if reply.command else None
    if verb == "USER":
        return _why(ctx, "auth-user", _AUTH_USER, rfc.SYS_AUTH_CODES)
    if "disabled" in reply.text.lower():
        return _why(ctx, "auth-disabled", _AUTH_DISABLED, rfc.SYS_AUTH_CODES)
    texts = _AUTH if ctx.secure else _AUTH_PLAIN
    return _why(ctx, "auth", texts, rfc.SYS_AUTH_CODES)


_AUTH_USER = (
    N_("[AUTH]: the server refuses a login with this name here."),
    N_(
        "If the connection is not encrypted, the server may allow logins only after STLS; or the account may "
        "not be allowed to use POP3."
    ),
)
_AUTH_DISABLED = (
    N_("[AUTH]: this account may not use POP3 (its POP access is switched off)."),
    N_(
        "An administrator switches it on again, as with Exchange's PopEnabled; in poplab: "
        "poplab accounts set NAME --pop-enabled true."
    ),
)
_AUTH = (
    N_("[AUTH]: wrong user name or password."),
    N_("Check both (upper and lower case count); the account may also not be allowed to use POP3."),
)
_AUTH_PLAIN = (
    N_("[AUTH]: wrong user name or password, or no login without encryption."),
    N_(
        "Check both (upper and lower case count). This connection is not encrypted, and many servers refuse "
        "clear-text logins: send STLS first."
    ),
)


def _sasl(reply: ServerReply, ctx: Context) -> Why | None:
    command = reply.command
    if command is None or command.verb != "AUTH" or not (ctx.facts.sasl_responses or ctx.facts.sasl_cancelled):
        return None
    if ctx.facts.sasl_cancelled:
        texts = (N_("You cancelled the authentication with '*'."), N_("Start again with AUTH and a mechanism."))
        return _why(ctx, "auth-cancelled", texts, rfc.AUTH)
    return _why(ctx, "login-failed", _LOGIN_FAILED if ctx.secure else _LOGIN_FAILED_PLAIN, rfc.AUTH)


_LOGIN_FAILED = (
    N_("The login failed."),
    N_("Check the user name and the password; upper and lower case count."),
)
_LOGIN_FAILED_PLAIN = (
    N_("The login failed."),
    N_(
        "Check the user name and the password; upper and lower case count. Some servers refuse logins on an "
        "unencrypted connection: send STLS first."
    ),
)


def _line(reply: ServerReply, ctx: Context) -> Why | None:
    raw = reply.command.raw if reply.command else b""
    content = raw.rstrip(b"\r\n")
    if has_control_bytes(content) or not _utf8(content):
        texts = (
            N_("The command contains control characters or bytes that are not UTF-8."),
            N_("Type the command again in plain text; some terminals send invisible bytes for arrow keys."),
        )
        return _why(ctx, "bad-bytes", texts, rfc.BASIC_OPERATION)
    if len(raw) > MAX_COMMAND_LINE:
        texts = (
            N_("The command line is longer than 255 octets."),
            N_("RFC 2449 allows command lines of up to 255 octets, CRLF included."),
        )
        return _why(ctx, "line-too-long", texts, rfc.LINE_LENGTH)
    return None


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unknown(reply: ServerReply, ctx: Context) -> Why | None:
    command = reply.command
    if command is None or command.verb is not None:
        return None
    listed = ctx.facts.capabilities or ()
    valid = ", ".join(
        verb
        for verb, spec in COMMANDS.items()
        if reply.state_before in spec.states and (spec.capability is None or spec.capability in listed)
    )
    if not command.raw.strip():
        texts = (N_("An empty line is not a command."), N_("Type a command keyword; valid now: {commands}."))
        return _why(ctx, "empty-command", texts, rfc.BASIC_OPERATION, commands=valid)
    state = reply.state_before
    if spelling.begins_with_blank(command.raw):
        texts = (
            N_("The line begins with a space, so the server sees no command keyword."),
            N_("Type the keyword right at the start of the line; valid in {state}: {commands}."),
        )
        return _why(ctx, "leading-blank", texts, rfc.BASIC_OPERATION, state=state, commands=valid)
    verb = spelling.typed_keyword(command.raw)
    meant = spelling.suggestion(verb, state)
    texts = (
        N_("The server does not know the command {verb}."),
        N_("Check the spelling; valid in {state}: {commands}.")
        if meant is None
        else N_("Did you mean {meant}? Check the spelling; valid in {state}: {commands}."),
    )
    values = {"verb": verb, "meant": meant, "state": state, "commands": valid}
    return _why(ctx, "unknown-command", texts, rfc.BASIC_OPERATION, **values)


def _wrong_state(reply: ServerReply, ctx: Context) -> Why | None:
    command = reply.command
    spec = COMMANDS.get(command.verb or "") if command else None
    if spec is None or reply.state_before in spec.states:
        return None
    verb, state = spec.verb, reply.state_before
    if spec.states == TRANSACTION_ONLY and state is State.AUTHORIZATION:
        texts = (
            N_("{verb} is only valid after login, in TRANSACTION."),
            N_("Log in first: {verb} is only valid in TRANSACTION (USER and PASS, APOP or AUTH get you there)."),
        )
        return _why(ctx, "login-first", texts, spec.ref, verb=verb)
    if state is State.TRANSACTION:
        texts = (
            N_("{verb} is only valid before login, in AUTHORIZATION."),
            N_("You are already logged in: {verb} belongs to the login phase."),
        )
        return _why(ctx, "already-logged-in", texts, spec.ref, verb=verb)
    texts = (N_("{verb} is not valid in {state}."), N_("The session has ended; connect again."))
    return _why(ctx, "wrong-state", texts, spec.ref, verb=verb, state=state)


def _arguments(reply: ServerReply, ctx: Context) -> Why | None:
    command = reply.command
    spec = COMMANDS.get(command.verb or "") if command else None
    if command is None or spec is None:
        return None
    if not spec.min_args <= len(command.args) <= spec.max_args:
        texts = (N_("{verb} got the wrong number of arguments."), N_("Use: {syntax}"))
        return _why(ctx, "wrong-arguments", texts, spec.ref, verb=spec.verb, syntax=spec.syntax)
    if commands.argument_too_long(command, ctx):
        texts = (
            N_("An argument is longer than 40 characters."),
            N_(
                "RFC 1939 §3 allows arguments of up to 40 characters; only servers that support CAPA must accept "
                "longer ones (RFC 2449 §4)."
            ),
        )
        return _why(ctx, "argument-too-long", texts, rfc.ARGUMENT_LENGTH)
    return None


def _message(reply: ServerReply, ctx: Context) -> Why | None:
    command = reply.command
    if command is None or command.verb not in MESSAGE_VERBS or not command.args:
        return None
    arg = command.args[0]
    number, facts = message_number(arg), ctx.facts
    if number is None:
        texts = (
            N_("'{arg}' is not a message number."),
            N_("Message numbers are 1, 2, 3 ...; STAT or LIST shows them."),
        )
        return _why(ctx, "not-a-number", texts, rfc.TRANSACTION, arg=arg[:40])
    if number == 0:
        texts = (N_("There is no message 0."), N_("Message numbers start at 1."))
        return _why(ctx, "number-zero", texts, rfc.TRANSACTION)
    if number in facts.deleted:
        texts = (N_("Message {msg} is marked as deleted."), N_("You marked {msg} as deleted; RSET undoes that."))
        return _why(ctx, "deleted-message", texts, rfc.DELE, msg=number)
    if facts.total is not None and number > facts.total:
        return _out_of_range(number, facts.total, ctx)
    if command.verb == "TOP" and len(command.args) > 1 and message_number(command.args[1]) is None:
        texts = (
            N_("'{arg}' is not a valid line count for TOP."),
            N_("Use a number, 0 or more: TOP {msg} 0 gives just the header."),
        )
        return _why(ctx, "bad-line-count", texts, rfc.TOP, arg=command.args[1][:40], msg=number)
    if facts.total is None:
        return _no_message_or_optional(command.verb, number, ctx)
    return None


def _no_message_or_optional(verb: str, number: int, ctx: Context) -> Why:
    """-ERR to a message command while the count is unknown. TOP and UIDL are optional (RFC 1939 §7): unless CAPA
    listed them, "not supported" is as likely as "no such message"."""
    listed = ctx.facts.capabilities
    if verb in _OPTIONAL and listed is not None and verb not in listed:
        texts = (
            N_("This server does not support {verb}: its CAPA did not list it."),
            N_("{verb} is optional (RFC 1939 §7); use RETR instead."),
        )
        return _why(ctx, "not-supported", texts, rfc.TOP if verb == "TOP" else rfc.UIDL, verb=verb)
    if verb in _OPTIONAL and listed is None:
        texts = (
            N_("Either the server has no message {msg}, or it does not support {verb} at all."),
            N_("{verb} is optional (RFC 1939 §7): CAPA shows whether it is offered, STAT which messages exist."),
        )
        return _why(
            ctx, "no-message-or-unsupported", texts, rfc.TOP if verb == "TOP" else rfc.UIDL, verb=verb, msg=number
        )
    texts = (N_("The server has no message {msg}."), N_("STAT or LIST shows which message numbers exist."))
    return _why(ctx, "no-such-message", texts, rfc.TRANSACTION, msg=number)


_OPTIONAL = frozenset({"TOP", "UIDL"})


def _out_of_range(number: int, total: int, ctx: Context) -> Why:
    t = ctx.t
    if total == 0:
        reason = t(N_("There is no message {msg}: the maildrop is empty."), msg=number)
        return Why("no-such-message", reason, t(N_("There is nothing to fetch.")), rfc.TRANSACTION)
    forms = NP_(
        "There is no message {msg}: the maildrop holds {count} message.",
        "There is no message {msg}: the maildrop holds {count} messages.",
    )
    hint = t(N_("Use a number from 1 to {total}; STAT or LIST shows what there is."), total=total)
    return Why("no-such-message", t.plural(forms, total, msg=number), hint, rfc.TRANSACTION)


def _verb(reply: ServerReply, ctx: Context) -> Why | None:
    verb = reply.command.verb if reply.command else None
    handler = _VERBS.get(verb or "")
    return handler(reply, ctx) if handler is not None else None


def _user(reply: ServerReply, ctx: Context) -> Why:
    texts = (
        N_("The server refused the user name."),
        N_(
            "Check the name. Some servers allow USER only on an encrypted connection (send STLS first), or "
            "offer only APOP or AUTH."
        ),
    )
    return _why(ctx, "user-refused", texts, rfc.USER)


def _pass(reply: ServerReply, ctx: Context) -> Why:
    if not ctx.facts.user_accepted:
        texts = (
            N_("PASS must follow a USER that the server accepted."),
            N_("Send USER with your name first, then PASS."),
        )
        return _why(ctx, "pass-without-user", texts, rfc.PASS)
    return _why(ctx, "login-failed", _LOGIN_FAILED if ctx.secure else _LOGIN_FAILED_PLAIN, rfc.PASS)


def _apop(reply: ServerReply, ctx: Context) -> Why:
    if ctx.facts.apop_timestamp is None:
        texts = (
            N_("The greeting had no timestamp, so this server does not offer APOP."),
            N_("Log in with USER and PASS, or with AUTH."),
        )
        return _why(ctx, "apop-not-offered", texts, rfc.APOP)
    texts = (
        N_("The APOP digest did not match (or the user does not exist)."),
        N_(
            "The digest is the MD5 of the greeting's timestamp, angle brackets included, followed by the "
            "password, as 32 lower-case hex digits."
        ),
    )
    return _why(ctx, "apop-failed", texts, rfc.APOP)


def _auth(reply: ServerReply, ctx: Context) -> Why | None:
    command = reply.command
    if command is None or not command.args:
        return None  # AUTH alone: the server does not list its mechanisms this way
    mechanism = command.args[0].upper()
    offered = ctx.facts.mechanisms
    if offered is not None and mechanism not in offered:
        texts = (
            N_("The server did not announce the SASL mechanism {mechanism}."),
            N_("It offers: {mechanisms}."),
        )
        return _why(ctx, "mechanism-not-offered", texts, rfc.AUTH, mechanism=mechanism, mechanisms=" ".join(offered))
    texts = (
        N_("The server refused AUTH {mechanism}."),
        N_("CAPA shows the mechanisms on its SASL line; the initial response, if any, must be base64."),
    )
    return _why(ctx, "auth-refused", texts, rfc.AUTH, mechanism=mechanism)


def _stls(reply: ServerReply, ctx: Context) -> Why:
    if ctx.secure:
        texts = (N_("TLS is already active on this connection."), N_("STLS is needed only once."))
        return _why(ctx, "tls-active", texts, rfc.STLS)
    texts = (
        N_("The server does not offer STLS here."),
        N_("CAPA shows whether STLS is offered; otherwise connect with implicit TLS (usually port 995)."),
    )
    return _why(ctx, "stls-not-offered", texts, rfc.STLS)


def _capa(reply: ServerReply, ctx: Context) -> Why:
    texts = (
        N_("The server does not support CAPA."),
        N_("CAPA is an extension (RFC 2449); older servers know only the commands of RFC 1939."),
    )
    return _why(ctx, "capa-unsupported", texts, rfc.CAPA)


def _quit(reply: ServerReply, ctx: Context) -> Why | None:
    if reply.state_before is not State.TRANSACTION:
        return None
    texts = (
        N_("The session is in UPDATE, but the server could not remove all messages marked as deleted."),
        N_(
            "RFC 1939 §6: -ERR to QUIT in UPDATE means the removal failed. The connection closes anyway; log in "
            "again to see which messages are left."
        ),
    )
    return _why(ctx, "quit-failed", texts, rfc.UPDATE)


def _extension(reply: ServerReply, ctx: Context) -> Why | None:
    """UTF8 or LANG (RFC 6856) refused: most servers do not have them."""
    spec = COMMANDS.get(reply.command.verb or "") if reply.command else None
    if spec is None or spec.capability is None:
        return None
    listed = ctx.facts.capabilities
    if listed is not None and spec.capability in listed:
        return None
    texts = (
        N_("The server does not offer {verb}."),
        N_("{verb} is an extension ({source}); a server that has it lists it in CAPA."),
    )
    return _why(ctx, "extension-not-offered", texts, spec.ref, verb=spec.verb, source=str(spec.ref))


_VERBS: dict[str, Rule] = {
    "USER": _user,
    "PASS": _pass,
    "APOP": _apop,
    "AUTH": _auth,
    "STLS": _stls,
    "CAPA": _capa,
    "QUIT": _quit,
    "UTF8": _extension,
    "LANG": _extension,
}
_RULES: tuple[Rule, ...] = (_code, _sasl, _line, _unknown, _wrong_state, _arguments, _message, _verb)
