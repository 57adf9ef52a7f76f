"""The aiosmtpd handler: what the lab decides at each command (aiosmtpd reads and checks the syntax; these hooks
only say yes or no, and deliver). Replies carry enhanced status codes (RFC 3463) and say why.

Failed logins are slowed down as POP3's are: after a failed AUTH the connection waits ``failed_login_delay``
before the next one is read, and with a :class:`LoginLimiter` (``poplab serve`` hands over its POP3 server's, so
a guess counts the same on either port) an account or address with too many recent failures is refused unchecked
with ``454 4.7.0`` (RFC 4954 §6, a temporary authentication failure) and told when to try again."""

from __future__ import annotations

import asyncio
import datetime
import hmac
import math
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, Envelope, LoginPassword, Session

from poplab.protocol.seams import StoreError
from poplab.smtp.received import received_header
from poplab.smtp.recipients import find_account, is_local_domain
from poplab.smtp.settings import SmtpSettings, is_loopback
from poplab.store.api import AdminError, ManagedStore

ENCRYPTION_REQUIRED = "538 5.7.11 Encryption required for requested authentication mechanism"
"""RFC 4954 §6: AUTH PLAIN/LOGIN in clear text from beyond loopback."""
AUTH_REQUIRED = "530 5.7.0 Authentication required"
"""RFC 4954 §6; RFC 6409 §4.3: a submission server requires AUTH unless the client is trusted otherwise."""
TOO_MANY_RECIPIENTS = "452 4.5.3 Too many recipients"
NOT_DELIVERED = "451 4.3.0 Delivery failed here, nothing was stored; try again later"


FAILED_LOGINS = "poplab_failed_logins"
"""The session's attribute counting its failed AUTHs."""


class LoginLimiter(Protocol):
    """Failed logins counted across connections, per account and per client address (the POP3 server's
    :class:`poplab.server.throttle.Throttle` is one, safe to share across threads)."""

    def wait(self, user: str, address: str) -> float: ...

    def failed(self, user: str, address: str) -> None: ...

    def succeeded(self, user: str, address: str) -> None: ...


def login_put_off(seconds: float) -> str:
    return (
        f"454 4.7.0 Too many failed logins for this account or from this address; try again in {math.ceil(seconds)} s"
    )


def no_such_mailbox(address: str) -> str:
    return f"550 5.1.1 <{address}>: no such mailbox here"


def relay_denied(address: str) -> str:
    return f"550 5.7.1 <{address}>: relaying denied, this server delivers only to its own accounts"


class LabHandler:
    """Hooks for aiosmtpd's ``SMTP`` over one store; also its ``authenticator`` (the lab's passwords)."""

    def __init__(
        self,
        store: ManagedStore,
        settings: SmtpSettings,
        clock: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC),
        limiter: LoginLimiter | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.limiter = limiter
        self.pause: Callable[[float], Awaitable[None]] = asyncio.sleep
        """How the connection waits after a failed login (tests hear it instead of waiting)."""
        self.delivered = 0
        """Messages accepted since the start (one per DATA, however many recipients)."""

    # ---- who may send in clear text, and who must log in --------------------------------------------------

    def clear_text_allowed(self, session: Session) -> bool:
        return session.ssl is not None or self.settings.allow_plaintext or is_loopback(session.peer)

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.clear_text_allowed(session):
            return responses
        return [line for line in responses if not line[4:].upper().startswith("AUTH")]

    async def handle_AUTH(self, server: SMTP, session: Session, envelope: Envelope, args: list[str]) -> Any:
        if not self.clear_text_allowed(session):
            return ENCRYPTION_REQUIRED
        if getattr(session, FAILED_LOGINS, 0) and self.settings.failed_login_delay > 0:
            await self.pause(self.settings.failed_login_delay)
        return MISSING

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """aiosmtpd's authenticator: PLAIN and LOGIN hand over a login and a password."""
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        name = auth_data.login.decode("utf-8", "replace")
        address = str(session.peer[0]) if isinstance(session.peer, tuple) else str(session.peer)
        wait = self.limiter.wait(name, address) if self.limiter is not None else 0.0
        if wait > 0:
            setattr(session, FAILED_LOGINS, getattr(session, FAILED_LOGINS, 0) + 1)
            return AuthResult(success=False, handled=False, message=login_put_off(wait))
        account = self.store.account(name)
        good = account is not None and hmac.compare_digest(account.password.encode("utf-8"), auth_data.password)
        if not good:
            setattr(session, FAILED_LOGINS, getattr(session, FAILED_LOGINS, 0) + 1)
        if self.limiter is not None:
            (self.limiter.succeeded if good else self.limiter.failed)(name, address)
        return AuthResult(success=good, handled=False, auth_data=name if good else None)

    # ---- the envelope -------------------------------------------------------------------------------------

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        if not session.authenticated and (self.settings.require_auth or not is_loopback(session.peer)):
            return AUTH_REQUIRED
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Sender OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if len(envelope.rcpt_tos) >= self.settings.max_recipients:
            return TOO_MANY_RECIPIENTS
        account = find_account(self.store, address)
        if account is None:
            local = is_local_domain(self.store, address, self.settings.hostname)
            return no_such_mailbox(address) if local else relay_denied(address)
        rule = self.settings.recipient_rule
        refusal = rule(str(session.auth_data or ""), account.name) if rule is not None else None
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(account.name)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Recipient OK"

    # ---- the message --------------------------------------------------------------------------------------

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        recipients = list(dict.fromkeys(envelope.rcpt_tos))  # one copy per account, in RCPT order
        message_id = secrets.token_hex(6).upper()
        header = received_header(
            helo=session.host_name,
            peer=str(session.peer[0]) if isinstance(session.peer, tuple) else str(session.peer),
            hostname=self.settings.hostname,
            extended=session.extended_smtp,
            tls=session.ssl is not None,
            authenticated=bool(session.authenticated),
            message_id=message_id,
            recipient=envelope.rcpt_tos[0] if len(recipients) == 1 else None,
            when=self.clock(),
        )
        try:
            await asyncio.to_thread(self._deliver_all, recipients, header + content)
        except (StoreError, AdminError, OSError):
            return NOT_DELIVERED
        self.delivered += 1
        count = len(recipients)
        return f"250 2.0.0 OK: delivered to {count} mailbox{'es' if count != 1 else ''} as {message_id}"

    def _deliver_all(self, recipients: list[str], message: bytes) -> None:
        """Each copy goes through the store: tmp/ then new/ in a Maildir, so no reader sees half a message."""
        for name in recipients:
            self.store.deliver(name, message)
