"""SMTP as the annotator reads it: the states of a session, and one row per command — where the RFC defines it,
in which states it is in order and where a success leads. Rules are data, in one place (RFC 5321 §4.1.4, "Order
of Commands"); the lab's server (aiosmtpd) enforces the same order."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from poplab.i18n import N_
from poplab.protocol.rfc import RfcRef

# RFC 5321 — Simple Mail Transfer Protocol
SESSION_START = RfcRef(5321, "3.1", "Session Initiation")
CLIENT_START = RfcRef(5321, "3.2", "Client Initiation")
TRANSACTION = RfcRef(5321, "3.3", "Mail Transactions")
TERMINATING = RfcRef(5321, "3.8", "Terminating Sessions and Connections")
EHLO = RfcRef(5321, "4.1.1.1", "Extended HELLO (EHLO) or HELLO (HELO)")
MAIL = RfcRef(5321, "4.1.1.2", "MAIL (MAIL)")
RCPT = RfcRef(5321, "4.1.1.3", "RECIPIENT (RCPT)")
DATA = RfcRef(5321, "4.1.1.4", "DATA (DATA)")
RSET = RfcRef(5321, "4.1.1.5", "RESET (RSET)")
NOOP = RfcRef(5321, "4.1.1.9", "NOOP (NOOP)")
QUIT = RfcRef(5321, "4.1.1.10", "QUIT (QUIT)")
ORDER = RfcRef(5321, "4.1.4", "Order of Commands")
REPLIES = RfcRef(5321, "4.2", "SMTP Replies")
SEVERITIES = RfcRef(5321, "4.2.1", "Reply Code Severities and Theory")
TRACE = RfcRef(5321, "4.4", "Trace Information")
TRANSPARENCY = RfcRef(5321, "4.5.2", "Transparency")
TEXT_LINE = RfcRef(5321, "4.5.3.1.6", "Text Line")
LINES = RfcRef(5321, "2.3.8", "Lines")
# RFC 3207 — STARTTLS; RFC 4954 — AUTH; RFC 6409 — Message Submission
STARTTLS = RfcRef(3207, "4", "The STARTTLS Command")
STARTTLS_RESULT = RfcRef(3207, "4.2", "Result of the STARTTLS Command")
AUTH = RfcRef(4954, "4", "The AUTH Command")
AUTH_CODES = RfcRef(4954, "6", "Status Codes")
SUBMISSION_AUTH = RfcRef(6409, "4.3", "Require Authentication")


class SmtpState(Enum):
    """Where an SMTP session stands (named after what comes next; not an RFC term, unlike POP3's states)."""

    START = "SMTP START"
    """Connected: the greeting, then EHLO (or HELO) comes first — again after STARTTLS."""
    READY = "SMTP READY"
    """Greeted with EHLO: MAIL starts a transaction; AUTH and STARTTLS belong here."""
    MAIL = "SMTP MAIL"
    """MAIL FROM accepted: now the recipients."""
    RCPT = "SMTP RCPT"
    """At least one recipient accepted: more RCPT, or DATA."""
    DATA = "SMTP DATA"
    """After 354: the message, up to the line with only a dot."""
    END = "SMTP END"
    """QUIT answered: the server closes."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SmtpCommand:
    """One command: what it does (a translatable text), its RFC section, where it is in order, where it leads."""

    verb: str
    summary: str
    ref: RfcRef
    states: frozenset[SmtpState]
    success: SmtpState | None
    """The state after a 2xx/3xx reply (None: unchanged)."""


_ANY = frozenset(SmtpState) - {SmtpState.DATA, SmtpState.END}
_GREETED = _ANY - {SmtpState.START}
_IN_TRANSACTION = frozenset({SmtpState.MAIL, SmtpState.RCPT})

COMMANDS: dict[str, SmtpCommand] = {
    command.verb: command
    for command in (
        SmtpCommand(
            "EHLO",
            N_("The client says hello and its name, and asks for the extensions (ESMTP)."),
            EHLO,
            _ANY,
            SmtpState.READY,
        ),
        SmtpCommand(
            "HELO", N_("The old hello, without extensions: no SIZE, STARTTLS or AUTH."), EHLO, _ANY, SmtpState.READY
        ),
        SmtpCommand(
            "STARTTLS",
            N_("Asks to switch to TLS on this connection; after 220 the handshake follows."),
            STARTTLS,
            _GREETED,
            SmtpState.START,
        ),
        SmtpCommand(
            "AUTH",
            N_("Logs in with a SASL mechanism (PLAIN, LOGIN: the password only base64-encoded)."),
            AUTH,
            _GREETED,
            None,
        ),
        SmtpCommand(
            "MAIL",
            N_("Starts a mail transaction with the sender: the envelope's return path, not the From: header."),
            MAIL,
            frozenset({SmtpState.READY}),
            SmtpState.MAIL,
        ),
        SmtpCommand(
            "RCPT",
            N_("Names one recipient of the envelope; one RCPT per recipient."),
            RCPT,
            _IN_TRANSACTION,
            SmtpState.RCPT,
        ),
        SmtpCommand(
            "DATA",
            N_("Asks to send the message; after 354 come its lines, ended by a line with only a dot."),
            DATA,
            frozenset({SmtpState.RCPT}),
            SmtpState.DATA,
        ),
        SmtpCommand(
            "RSET",
            N_("Forgets the transaction under way (sender, recipients); the connection stays."),
            RSET,
            _ANY,
            None,
        ),
        SmtpCommand("NOOP", N_("Does nothing; the server answers 250 if it is still there."), NOOP, _ANY, None),
        SmtpCommand(
            "QUIT", N_("Ends the session; the server answers 221 and closes the connection."), QUIT, _ANY, SmtpState.END
        ),
    )
}
"""The commands the annotator explains (VRFY, EXPN and HELP are answered by aiosmtpd but not taught)."""
