"""Named checks about how the learner talked to the server: logins, TLS, the commands used and their order,
error replies and response codes. Each one is pure: the record in, a verdict out."""

from __future__ import annotations

from poplab.exercises.model import CheckSpec
from poplab.exercises.registry import CheckContext, Verdict, check, exchanges, text
from poplab.exercises.texts import Message, msg

REFUSALS = {
    "disabled": "POP3 access is disabled",
    "in-use": "already locked",
    "password": "invalid user name or password",
}
PLAINTEXT_SASL = ("PLAIN", "LOGIN")


def _login_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg(
        "Log in with USER {account} and PASS, then try the commands of the TRANSACTION state.", account=ctx.account
    )


def _command_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg("Send {command} after logging in and read the reply.", command=text(spec, "command").upper())


def _avoid_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg(
        "Start the exercise afresh (poplab exercise reset) and solve it without {command}.",
        command=text(spec, "command").upper(),
    )


def _tls_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg("Start TLS before you send a password: STLS on the POP3 port, or connect to the POP3S port.")


def _errors_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg("Read each -ERR: it says what was wrong. Then try again in a new session.")


@check("logged_in", hint=_login_hint, params={"via": "str"})
def logged_in(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """A session logged in as the exercise's account (``via``: only with this mechanism, e.g. ``APOP``,
    ``AUTH PLAIN``, ``USER/PASS``)."""
    via = text(spec, "via").upper()
    sessions = ctx.logged_in()
    logins = [(record, record.login) for record in sessions if record.login is not None]
    for record, login in logins:
        if not via or login.how.upper() == via:
            found = msg(
                "Session {session} logged in as {account} with {mechanism}.",
                session=record.id,
                account=ctx.account,
                mechanism=login.how,
            )
            return Verdict(True, found)
    if logins and via:
        record, login = logins[-1]
        other = msg(
            "Session {session} logged in with {mechanism}, not with {expected}.",
            session=record.id,
            mechanism=login.how,
            expected=via,
        )
        return Verdict(False, other)
    return Verdict(False, _no_login(ctx, via))


def _no_login(ctx: CheckContext, via: str) -> Message:
    if via:
        return msg("No login with {expected} yet.", expected=via)
    if not ctx.sessions:
        return msg(
            "The server has seen no session yet: connect to port {port} and log in as {account}.",
            port=ctx.port,
            account=ctx.account,
        )
    return msg("No session logged in as {account} yet.", account=ctx.account)


@check("logged_in_over_tls", hint=_tls_hint, params={"how": "str"})
def logged_in_over_tls(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """A session logged in while TLS was active (``how``: ``stls`` = upgraded with STLS on the POP3 port, ``tls``
    = implicit TLS on the POP3S port, ``any`` = either; default ``any``)."""
    how = text(spec, "how", "any").lower()
    for record in ctx.logged_in():
        login = record.login
        assert login is not None
        way = "tls" if record.implicit_tls else "stls"
        if login.tls and how in ("any", way):
            return Verdict(
                True, msg("Session {session} logged in over TLS ({how}).", session=record.id, how=way.upper())
            )
    return Verdict(False, msg("No login over TLS yet (the way asked for: {how}).", how=how.upper()))


@check("no_plaintext_password", hint=_tls_hint)
def no_plaintext_password(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """No session sent a password in clear text: no PASS and no AUTH PLAIN/LOGIN before TLS was active."""
    for record, exchange in exchanges(ctx.sessions):
        plain_sasl = exchange.verb == "AUTH" and exchange.args[:1] and exchange.args[0].upper() in PLAINTEXT_SASL
        if not exchange.tls and (exchange.verb == "PASS" or plain_sasl):
            verb = exchange.verb if exchange.verb == "PASS" else f"AUTH {exchange.args[0].upper()}"
            return Verdict(
                False,
                msg(
                    "Session {session} sent {verb} without TLS: the password crossed the wire in clear text.",
                    session=record.id,
                    verb=verb,
                ),
            )
    return Verdict(True, msg("No password crossed the wire in clear text."))


@check("used_command", hint=_command_hint, params={"command": "str"}, required=("command",))
def used_command(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """The command was sent in a session of the account and answered +OK."""
    command = text(spec, "command").upper()
    for record, exchange in exchanges(ctx.mine()):
        if exchange.verb == command and exchange.ok:
            return Verdict(
                True, msg("{command} was answered +OK in session {session}.", command=command, session=record.id)
            )
    return Verdict(False, msg("No {command} answered +OK yet.", command=command))


@check("not_used_command", hint=_avoid_hint, params={"command": "str"}, required=("command",))
def not_used_command(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """The command was never answered +OK in any session of the account (e.g. no RETR when TOP is asked for)."""
    command = text(spec, "command").upper()
    for record, exchange in exchanges(ctx.mine()):
        if exchange.verb == command and exchange.ok:
            return Verdict(
                False,
                msg(
                    "{command} was used in session {session}, but this exercise asks you not to.",
                    command=command,
                    session=record.id,
                ),
            )
    return Verdict(True, msg("{command} was never used — as asked.", command=command))


@check("command_sequence", hint=_errors_hint, params={"commands": "strs"}, required=("commands",))
def command_sequence(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """One session sent these commands in this order (others may come between), each answered +OK."""
    wanted = [str(item).upper() for item in spec.get("commands", ()) or ()]  # type: ignore[union-attr]
    shown = " → ".join(wanted)
    for record in ctx.logged_in():
        left = list(wanted)
        for exchange in record.exchanges():
            if left and exchange.verb == left[0] and exchange.ok:
                left.pop(0)
        if not left:
            return Verdict(
                True, msg("Session {session} sent {sequence} in this order.", session=record.id, sequence=shown)
            )
    return Verdict(False, msg("No session sent {sequence} in this order yet.", sequence=shown))


@check("clean_session", hint=_errors_hint, params={"commands": "strs"})
def clean_session(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """A session logged in, sent every one of ``commands`` (if given) and got not a single -ERR."""
    wanted = {str(item).upper() for item in spec.get("commands", ()) or ()}  # type: ignore[union-attr]
    sessions = ctx.logged_in()
    for record in sessions:
        found = record.exchanges()
        if all(exchange.ok is not False for exchange in found) and wanted <= {e.verb for e in found}:
            return Verdict(True, msg("Session {session} ran without a single -ERR.", session=record.id))
    for record in reversed(sessions):
        bad = next((e for e in record.exchanges() if e.ok is False), None)
        if bad is not None:
            return Verdict(
                False,
                msg(
                    "Every session that logged in got at least one -ERR (session {session}: {command}).",
                    session=record.id,
                    command=bad.shown,
                ),
            )
    return Verdict(False, msg("No session logged in as {account} yet.", account=ctx.account))


@check("response_code", hint=_errors_hint, params={"code": "str"}, required=("code",))
def response_code(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """A reply to the learner carried this RFC 2449 response code (e.g. ``IN-USE``, ``AUTH``)."""
    code = text(spec, "code").upper().strip("[]")
    for record, exchange in exchanges(ctx.sessions):
        if exchange.code == code:
            return Verdict(
                True,
                msg("A reply carried the response code [{code}] (session {session}).", code=code, session=record.id),
            )
    return Verdict(False, msg("No reply has carried the response code [{code}] yet.", code=code))


@check("login_refused", hint=_errors_hint, params={"account": "str", "reason": "str"}, required=("reason",))
def login_refused(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """A login as ``account`` (default: the exercise's) was refused for ``reason``: ``disabled`` (POP3 switched
    off), ``in-use`` (maildrop locked) or ``password`` (wrong name or password)."""
    account = text(spec, "account", ctx.account)
    reason = REFUSALS.get(text(spec, "reason"), text(spec, "reason"))
    for record in ctx.sessions:
        for login in record.logins:
            if login.user == account and not login.ok and reason in login.how:
                return Verdict(
                    True, msg("A login as {account} was refused: {reason}.", account=account, reason=login.how)
                )
    return Verdict(
        False,
        msg("No login as {account} has been refused for this reason yet: {reason}.", account=account, reason=reason),
    )


@check(
    "ended_with_quit",
    hint=lambda ctx, spec: msg("End your sessions with QUIT: only QUIT moves a session into the UPDATE state."),
)
def ended_with_quit(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """The last session that logged in ended with QUIT (not dropped, not timed out)."""
    sessions = ctx.logged_in()
    if not sessions:
        return Verdict(False, msg("No session logged in as {account} yet.", account=ctx.account))
    last = sessions[-1]
    if last.end == "quit":
        return Verdict(
            True, msg("The last session that logged in (session {session}) ended with QUIT.", session=last.id)
        )
    return Verdict(
        False, msg("The last session that logged in (session {session}) ended without QUIT.", session=last.id)
    )
