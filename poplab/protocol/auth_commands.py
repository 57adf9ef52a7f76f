"""Handlers for the AUTHORIZATION state (USER, PASS, APOP, AUTH, STLS) and for the commands legal in both
states (CAPA, QUIT). One short function per verb."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from poplab.protocol import effects as fx
from poplab.protocol import faults, sasl
from poplab.protocol.config import SEED_GREETING
from poplab.protocol.flavors import SEED_TEXTS, CapaSituation, greeting_values
from poplab.protocol.maildrop_view import MaildropView
from poplab.protocol.replies import Continuation, Reply, err, listing, ok
from poplab.protocol.seams import Account, MaildropLocked, StoreError
from poplab.protocol.states import State

if TYPE_CHECKING:
    from poplab.protocol.server import Handler, ServerConnection

PLAINTEXT_REFUSED = SEED_TEXTS["plaintext refused"]
BAD_LOGIN = SEED_TEXTS["bad login"]


def greeting(conn: ServerConnection) -> Reply:
    """The greeting: the configured text (or the flavour's), with the APOP timestamp when APOP is offered."""
    config = conn.config
    text = config.greeting
    if text == SEED_GREETING:
        text = config.style.text("greeting", **greeting_values(conn.token, conn.peer))
    if "apop-quirk" in config.faults:
        return ok(faults.apop_greeting(text, config.implementation, conn.token))
    return ok(f"{text} {conn.token}" if config.apop else text)


def login(conn: ServerConnection, name: str, verify: Callable[[Account], bool], mechanism: str) -> list[fx.Effect]:
    """Check credentials, lock and snapshot the maildrop, and enter TRANSACTION."""
    conn.pending_user = None
    style = conn.config.style
    account = conn.store.account(name)
    if account is None or not verify(account):
        reason = style.text("bad login")
        failed: list[fx.Effect] = [fx.LoginFailed(name, reason), fx.Delay(conn.config.failed_login_delay)]
        conn.failed_logins += 1
        if conn.failed_logins >= conn.config.max_failed_logins:
            closing = f"{reason}; too many failed logins, closing connection"
            return [*failed, *conn.close(err(closing, style.code("bad login")))]
        return [*failed, *conn.reply(err(reason, style.code("bad login")))]
    if not account.pop_enabled:
        return _refused(conn, name, "pop disabled")
    if conn.config.faults:
        refused = _refused_by_profile(conn, name)
        if refused is not None:
            return refused
    try:
        maildrop = conn.store.open_maildrop(account.name)
    except MaildropLocked:
        return _refused(conn, name, "in use")
    except StoreError:
        return _refused(conn, name, "unavailable")
    conn.view = MaildropView(maildrop)
    conn.user = account.name
    conn.state = State.TRANSACTION
    return [fx.LoggedIn(account.name, mechanism), *conn.reply(ok(style.text("login")))]


def _refused(conn: ServerConnection, name: str, key: str, **values: object) -> list[fx.Effect]:
    """A correct login refused (``key`` names the flavour's text and code); some servers hang up after it."""
    style = conn.config.style
    reason = style.text(key, **values)
    reply = err(reason, style.code(key))
    return [fx.LoginFailed(name, reason), *(conn.close(reply) if key in style.closes else conn.reply(reply))]


def _refused_by_profile(conn: ServerConnection, name: str) -> list[fx.Effect] | None:
    """The login-delay and sys-temp profiles refuse a correct login (before the maildrop is opened)."""
    profiles = conn.config.faults
    if "login-delay" in profiles:
        return _refused(conn, name, "login delay", minutes=faults.LOGIN_DELAY_SECONDS // 60)
    if "sys-temp" in profiles:
        return _refused(conn, name, "unavailable")
    return None


def unknown(conn: ServerConnection, verb: str) -> list[fx.Effect]:
    """The reply of a server that lacks this command (the no-uidl, no-top and no-capa profiles, Gmail's STLS)."""
    logged_in = conn.state is not State.AUTHORIZATION
    return conn.reply(
        err(conn.config.style.reason("unknown command", "unknown command", logged_in=logged_in, verb=verb))
    )


def user(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    if not conn.plaintext_allowed:
        return _plaintext_refused(conn)
    conn.pending_user = args[0]
    return conn.reply(ok(conn.config.style.text("user")))


def pass_(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    if not conn.plaintext_allowed:
        # Like Dovecot: a client may show only the error of PASS, so PASS says why, too.
        return _plaintext_refused(conn)
    if conn.pending_user is None:
        return conn.reply(err("send USER first, then PASS"))
    password = args[0]
    return login(conn, conn.pending_user, lambda a: sasl.same_secret(a.password, password), "USER/PASS")


def _plaintext_refused(conn: ServerConnection) -> list[fx.Effect]:
    style = conn.config.style
    return conn.reply(err(style.text("plaintext refused"), style.code("plaintext refused")))


def offered_mechanisms(conn: ServerConnection) -> tuple[str, ...]:
    """The SASL mechanisms this server offers: the configured ones its flavour has."""
    return conn.config.style.offered_mechanisms(conn.config.sasl_mechanisms)


def apop(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    if not conn.config.offers_apop:
        return conn.reply(err("APOP is not enabled on this server (no timestamp in the greeting)"))
    name, digest = args
    token = conn.token

    def verify(account: Account) -> bool:
        return sasl.same_secret(sasl.apop_digest(token, account.shared_secret), digest.lower())

    return login(conn, name, verify, "APOP")


def auth(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    if not args:
        return conn.reply(listing("SASL mechanisms follow", list(offered_mechanisms(conn))))
    name = args[0].upper() if args[0].isascii() else args[0]  # 'plaın'.upper() is PLAIN
    make = sasl.MECHANISMS.get(name)
    if make is None or name not in offered_mechanisms(conn):
        return conn.reply(err(f"unsupported authentication mechanism {args[0]}"))
    mechanism = make(conn.token)
    if mechanism.plaintext and not conn.plaintext_allowed:
        return _plaintext_refused(conn)
    initial = None
    if len(args) == 2:
        initial = sasl.decode_response(args[1])
        if initial is None:
            return conn.reply(err("initial response is not valid base64"))
    conn.sasl = mechanism
    return _sasl_step(conn, mechanism.start(initial))


def continue_sasl(conn: ServerConnection, line: bytes) -> list[fx.Effect]:
    """A client response during an AUTH exchange: base64, ``=`` for empty, ``*`` to cancel."""
    mechanism = conn.sasl
    assert mechanism is not None
    text = line.decode("ascii", "replace").strip()
    if text == "*":
        conn.sasl = None
        return conn.reply(err("authentication cancelled"))
    data = sasl.decode_response(text)
    if data is None:
        conn.sasl = None
        return conn.reply(err("response is not valid base64, authentication aborted"))
    return _sasl_step(conn, mechanism.respond(data))


def _sasl_step(conn: ServerConnection, step: sasl.Step) -> list[fx.Effect]:
    if isinstance(step, sasl.Challenge):
        return conn.challenge(Continuation(sasl.encode_challenge(step.data)))
    mechanism = conn.sasl
    conn.sasl = None
    if isinstance(step, sasl.Failure):
        return conn.reply(err(step.reason))
    return login(conn, step.user, step.verify, f"AUTH {mechanism.name if mechanism else ''}")


def stls(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    style = conn.config.style
    if not style.stls:
        return unknown(conn, "STLS")
    if conn.secure:
        return conn.reply(err(style.text("stls active")))
    if not conn.config.tls_available:
        return conn.reply(err(style.text("stls unavailable")))
    conn.awaiting_tls = True
    return [*conn.reply(ok(conn.config.style.text("stls"))), fx.StartTLS()]


def capabilities(conn: ServerConnection) -> list[str]:
    """RFC 2449 CAPA: what applies now, in the flavour's words (poplab's own: after login, USER, SASL and STLS
    no longer do)."""
    config = conn.config
    situation = CapaSituation(
        logged_in=conn.state is not State.AUTHORIZATION,
        secure=conn.secure,
        plaintext_allowed=conn.plaintext_allowed,
        stls=config.style.stls and config.tls_available and not conn.secure,
        mechanisms=tuple(
            m for m in offered_mechanisms(conn) if conn.plaintext_allowed or not sasl.MECHANISMS[m]("").plaintext
        ),
        implementation=config.implementation,
    )
    caps = config.style.capabilities(situation)
    if config.utf8:
        caps = [*caps, *(["LANG"] if situation.logged_in else ["UTF8 USER", "LANG"])]
    return faults.capabilities(caps, config.faults) if config.faults else caps


def capa(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    if "no-capa" in conn.config.faults:
        return unknown(conn, "CAPA")
    return conn.reply(listing(conn.config.style.text("capa"), capabilities(conn)))


LANGUAGES = (("en", "English"),)
"""What LANG lists (RFC 6856 §3): the teaching server's wire texts are English only."""


def utf8(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    """RFC 6856 §2: switch the session to UTF-8 (user names, passwords and texts may be UTF-8; messages are sent
    as they are stored, never downgraded). Only before login; a server without the extension does not know it."""
    if not conn.config.utf8:
        return unknown(conn, "UTF8")
    conn.utf8 = True
    return conn.reply(ok("UTF8 enabled"))


def lang(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    """RFC 6856 §3: without an argument, the languages of the server's texts; with one, choose a language."""
    if not conn.config.utf8:
        return unknown(conn, "LANG")
    if not args:
        return conn.reply(listing("Language listing follows", [f"{tag} {name}" for tag, name in LANGUAGES]))
    wanted = args[0].lower()
    if wanted == "*" or any(wanted == tag or wanted.startswith(tag + "-") for tag, _ in LANGUAGES):
        return conn.reply(ok("en Language is English"))
    return conn.reply(err("Unsupported language"))


def quit_(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    style = conn.config.style
    if conn.state is not State.TRANSACTION:
        return conn.close(ok(style.text("quit")))
    view = conn.maildrop
    conn.state = State.UPDATE
    deleted = view.deleted_uids()
    try:
        view.maildrop.commit(deleted)
    except StoreError:
        return conn.close(err("some deleted messages were not removed", "SYS/TEMP"))
    farewell = style.text("quit deleted" if deleted else "quit update")
    return [fx.Committed(conn.user or "", deleted), *conn.close(ok(farewell))]


HANDLERS: dict[str, Handler] = {
    "USER": user,
    "PASS": pass_,
    "APOP": apop,
    "AUTH": auth,
    "STLS": stls,
    "CAPA": capa,
    "QUIT": quit_,
    "UTF8": utf8,
    "LANG": lang,
}
