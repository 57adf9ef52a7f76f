"""Named checks about the journey of a mail (exercises that serve SMTP beside POP3): an SMTP session delivered a
message to the account, and that message — a message the mailbox did not hold at the start — was downloaded with
RETR and deleted for good with DELE and QUIT. The SMTP side is read from the SMTP server's record: the envelope
(MAIL FROM, RCPT TO) and the reply after the message's final dot."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from poplab.exercises.model import CheckSpec
from poplab.exercises.record import SessionRecord
from poplab.exercises.registry import CheckContext, Verdict, check, text
from poplab.exercises.texts import Message, msg

_ADDRESS = re.compile(r"<([^<>]*)>")
DOT = b".\r\n"


@dataclass(frozen=True)
class Mail:
    """One message an SMTP session sent: its envelope and the server's reply after the final dot."""

    session: int
    sender: str
    recipients: tuple[str, ...]
    """The recipients the server accepted (250 to RCPT TO)."""
    reply: bytes

    @property
    def delivered(self) -> bool:
        return self.reply.startswith(b"250")


def _address(args: str) -> str:
    found = _ADDRESS.search(args)
    return (found.group(1) if found else args.partition(":")[2]).strip()


@dataclass
class _Transaction:
    sender: str | None = None
    recipients: list[str] | None = None
    data: bool = False


def mails(record: SessionRecord) -> list[Mail]:
    """The messages one SMTP session sent (whether or not they were accepted), in order. Each client command is
    paired with the next complete reply (a reply's last line has a space after the code); after DATA's 354 the
    client's lines are the message, up to the line with only a dot."""
    found: list[Mail] = []
    sent: deque[str] = deque()
    now = _Transaction()
    for line in record.lines:
        if line.direction == "C":
            if now.data:
                if line.raw == DOT or line.raw == b".\n":
                    now.data = False
                    sent.append(".")
                continue
            sent.append(line.raw.rstrip(b"\r\n").decode("utf-8", "replace"))
        elif line.raw[3:4] != b"-" and sent:
            _answered(sent.popleft(), line.raw, now, found, record.id)
    return found


def _answered(command: str, reply: bytes, now: _Transaction, found: list[Mail], session: int) -> None:
    verb, _, args = command.partition(" ")
    verb = verb.upper()
    ok = reply.startswith(b"250")
    if command == ".":
        found.append(Mail(session, now.sender or "", tuple(now.recipients or ()), reply.rstrip(b"\r\n")))
        now.sender, now.recipients = None, None
    elif verb in ("EHLO", "HELO", "RSET") and ok:
        now.sender, now.recipients = None, None
    elif verb == "MAIL" and ok:
        now.sender, now.recipients = _address(args), []
    elif verb == "RCPT" and ok and now.recipients is not None:
        now.recipients.append(_address(args))
    elif verb == "DATA" and reply.startswith(b"354"):
        now.data = True


def _delivered_to(ctx: CheckContext, account: str) -> list[Mail]:
    wanted = account.casefold()
    every = (mail for record in ctx.smtp for mail in mails(record))
    return [mail for mail in every if mail.delivered and wanted in (r.casefold() for r in mail.recipients)]


def _send_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg(
        "Connect to the SMTP port and send EHLO, MAIL FROM:<...>, RCPT TO:<{account}>, DATA, the message and a line "
        "with only a dot; the server answers 250 when it has delivered the mail.",
        account=text(spec, "to", ctx.account),
    )


@check("smtp_delivered", hint=_send_hint, params={"to": "str", "sender": "str"})
def smtp_delivered(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """An SMTP session delivered a message to ``to`` (default: the exercise's account) — the server answered 250
    after the final dot; ``sender``: only with this envelope sender (MAIL FROM)."""
    account = text(spec, "to", ctx.account)
    sender = text(spec, "sender")
    delivered = _delivered_to(ctx, account)
    for mail in delivered:
        if not sender or mail.sender.casefold() == sender.casefold():
            found = msg(
                "SMTP session {session} delivered a message to {account} (MAIL FROM:<{sender}>).",
                session=mail.session,
                account=account,
                sender=mail.sender,
            )
            return Verdict(True, found)
    if delivered:
        other = msg(
            "A message reached {account}, but from <{sender}>, not from <{expected}>.",
            account=account,
            sender=delivered[-1].sender,
            expected=sender,
        )
        return Verdict(False, other)
    return Verdict(False, _not_delivered(ctx, account))


def _not_delivered(ctx: CheckContext, account: str) -> Message:
    if not ctx.smtp:
        return msg("The SMTP server has seen no session yet.")
    tried = [mail for record in ctx.smtp for mail in mails(record)]
    if tried and not tried[-1].delivered:
        return msg(
            "SMTP session {session} sent a message, but the server answered: {reply}",
            session=tried[-1].session,
            reply=tried[-1].reply.decode("utf-8", "replace") or "—",
        )
    return msg("No SMTP session has delivered a message to {account} yet.", account=account)


def _arrived(ctx: CheckContext) -> set[str]:
    """UIDs the account's POP3 sessions saw that the mailbox did not hold at the start: mail that arrived."""
    return {uid for record in ctx.mine() for uid in record.snapshot if uid not in ctx.initial}


def _fetch_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg(
        "Log in as {account} after the mail was delivered (a session that was already logged in does not see new "
        "mail), find it with LIST or STAT — it is the last one — and download it with RETR.",
        account=ctx.account,
    )


def _numbered(record: SessionRecord, uids: set[str], verb: str) -> bool:
    return any(
        exchange.verb == verb and exchange.ok and exchange.number is not None and record.uid(exchange.number) in uids
        for exchange in record.exchanges()
    )


@check("delivered_retrieved", hint=_fetch_hint)
def delivered_retrieved(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """The message that arrived during the exercise was downloaded with RETR in a POP3 session of the account."""
    arrived = _arrived(ctx)
    if not arrived:
        return Verdict(False, msg("No POP3 session of {account} has seen a new message yet.", account=ctx.account))
    for record in ctx.mine():
        if _numbered(record, arrived, "RETR"):
            return Verdict(True, msg("Session {session} downloaded the new message with RETR.", session=record.id))
    return Verdict(False, msg("The new message has not been downloaded with RETR yet."))


@check(
    "delivered_deleted",
    hint=lambda ctx, spec: msg("DELE only marks a message; the server removes it when the session ends with QUIT."),
)
def delivered_deleted(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """The message that arrived during the exercise was deleted with DELE and the deletion committed by QUIT."""
    arrived = _arrived(ctx)
    for record in ctx.mine():
        if arrived & set(record.committed or ()):
            return Verdict(
                True, msg("Session {session} deleted the new message and QUIT committed it.", session=record.id)
            )
    for record in reversed(ctx.mine()):
        if record.committed is None and _numbered(record, arrived, "DELE"):
            return Verdict(
                False,
                msg(
                    "Session {session} marked the new message with DELE but ended without QUIT: it is still there.",
                    session=record.id,
                ),
            )
    return Verdict(False, msg("The new message has not been deleted and committed yet."))
