"""What an SMTP reply means: the class of its first digit (RFC 5321 §4.2.1), what it says to the command it
answers, and — for 4xx and 5xx — why it came and what to try. Reads only the code (and the enhanced status code
after it, RFC 3463), never the server's wording, so it explains any server."""

from __future__ import annotations

import re

from poplab.annotate import smtp_table as table
from poplab.annotate.model import Why
from poplab.i18n import N_, Translator
from poplab.protocol.rfc import RfcRef

_ENHANCED = re.compile(rb"^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b")

CLASSES = {
    2: N_("2xx, positive completion: done."),
    3: N_("3xx, positive intermediate: the server waits for more from the client."),
    4: N_("4xx, transient negative: not now; the same command may work later."),
    5: N_("5xx, permanent negative: repeating it unchanged will fail again."),
}
_ENHANCED_TEXT = N_("{code} is an enhanced status code (RFC 3463): class, subject, detail.")

_OK: dict[tuple[str | None, int], tuple[str, RfcRef]] = {
    ("greeting", 220): (N_("The greeting: the server is ready and says its name."), table.SESSION_START),
    ("EHLO", 250): (N_("The server greets back and lists its extensions: {extensions}."), table.EHLO),
    ("HELO", 250): (N_("The server greets back (no extensions after HELO)."), table.EHLO),
    ("STARTTLS", 220): (N_("Go ahead with TLS: the handshake starts now; then EHLO again."), table.STARTTLS_RESULT),
    ("AUTH", 235): (N_("Logged in: AUTH succeeded."), table.AUTH),
    ("AUTH", 334): (N_("A SASL challenge: the server waits for the next part of the login, in base64."), table.AUTH),
    ("sasl", 235): (N_("Logged in: AUTH succeeded."), table.AUTH),
    ("sasl", 334): (N_("A SASL challenge: the server waits for the next part of the login, in base64."), table.AUTH),
    ("MAIL", 250): (N_("The sender is accepted; now the recipients."), table.MAIL),
    ("RCPT", 250): (N_("The recipient is accepted: this server will take mail for that mailbox."), table.RCPT),
    ("DATA", 354): (N_("Go ahead: send the message now and end it with a line with only a dot."), table.DATA),
    (".", 250): (
        N_("Accepted: the server is now responsible for the message; it is in the mailbox for the next POP3 login."),
        table.DATA,
    ),
    ("QUIT", 221): (N_("Goodbye: the server closes the connection."), table.QUIT),
}

_WHY: dict[tuple[str | None, int], tuple[str, str, str, RfcRef]] = {
    (None, 421): (
        "smtp-closing",
        N_("The server is closing the connection: too many connections, a timeout, or it is shutting down."),
        N_("Connect again a little later."),
        table.SEVERITIES,
    ),
    ("RCPT", 452): (
        "smtp-too-many-recipients",
        N_("Too many recipients for one message."),
        N_("Send the message to the others in a second transaction."),
        table.RCPT,
    ),
    (None, 500): (
        "smtp-syntax",
        N_("The server did not understand the line: an unknown command, or a line that is too long."),
        N_("Check the spelling: EHLO, MAIL FROM:<address>, RCPT TO:<address>, DATA, QUIT."),
        table.REPLIES,
    ),
    (None, 501): (
        "smtp-arguments",
        N_("The command is known, but its arguments are wrong."),
        N_("Addresses go in angle brackets right after the colon: MAIL FROM:<alice@example.com>."),
        table.REPLIES,
    ),
    (None, 502): (
        "smtp-not-implemented",
        N_("This server does not implement that command."),
        N_("EHLO lists what the server offers."),
        table.REPLIES,
    ),
    (None, 503): (
        "smtp-order",
        N_("A command out of order."),
        N_("The order is EHLO, MAIL FROM, RCPT TO (once per recipient), DATA (RFC 5321 §4.1.4)."),
        table.ORDER,
    ),
    (None, 504): (
        "smtp-mechanism",
        N_("This AUTH mechanism (or parameter) is not offered."),
        N_("EHLO's AUTH line lists the mechanisms, e.g. PLAIN and LOGIN."),
        table.AUTH_CODES,
    ),
    (None, 530): (
        "smtp-auth-required",
        N_("The server wants a login before it takes mail from this client."),
        N_("Log in with AUTH first (after STARTTLS); RFC 6409 §4.3 asks submission servers for that."),
        table.SUBMISSION_AUTH,
    ),
    (None, 454): (
        "smtp-auth-put-off",
        N_("The login is put off, not refused: too many failed logins for this account or from this address."),
        N_("Wait as long as the reply says, then log in once with the right password; guessing makes it longer."),
        table.AUTH_CODES,
    ),
    (None, 535): (
        "smtp-auth-failed",
        N_("Login refused: wrong name or password."),
        N_("Use the account's full name (e.g. alice@example.com); PLAIN is base64 of NUL name NUL password."),
        table.AUTH_CODES,
    ),
    (None, 538): (
        "smtp-encryption-required",
        N_("The server accepts no clear-text password from this address: TLS must come first."),
        N_("Send STARTTLS, then EHLO and AUTH again."),
        table.AUTH_CODES,
    ),
    ("RCPT", 550): (
        "smtp-no-mailbox",
        N_("The server takes no mail for this address: no such mailbox here."),
        N_("Check the address; poplab accounts lists the lab's accounts."),
        table.RCPT,
    ),
    (None, 552): (
        "smtp-too-big",
        N_("The message is larger than this server accepts."),
        N_("EHLO's SIZE line says the limit in octets."),
        table.DATA,
    ),
    (None, 553): (
        "smtp-bad-address",
        N_("The address is not acceptable (malformed)."),
        N_("One address in angle brackets: MAIL FROM:<name@domain>."),
        table.MAIL,
    ),
    (None, 555): (
        "smtp-parameters",
        N_("A parameter after the address is not recognised."),
        N_("Leave out the parameters, or use only those EHLO lists (e.g. SIZE=)."),
        table.MAIL,
    ),
}
_RELAY = (
    "smtp-relay-denied",
    N_("Relaying denied: this server takes mail only for its own domains — it is no open relay."),
    N_("Send only to the lab's accounts (…@example.com); mail for other domains goes to their own servers."),
    table.RCPT,
)
_GENERIC = {
    4: (N_("A temporary failure: the server could not do it now."), N_("Try the same again later.")),
    5: (N_("A permanent failure."), N_("Read the server's text; change the command before trying again.")),
}


def enhanced_code(first_line: bytes) -> str | None:
    match = _ENHANCED.match(first_line)
    return match.group(1).decode("ascii") if match else None


def detail(t: Translator, code: int, first_line: bytes) -> str:
    """The reply's class, and its enhanced status code if it has one."""
    parts = [t(CLASSES[code // 100])] if code // 100 in CLASSES else []
    enhanced = enhanced_code(first_line)
    if enhanced:
        parts.append(t(_ENHANCED_TEXT, code=enhanced))
    return " ".join(parts)


def explain_ok(t: Translator, verb: str | None, code: int, extensions: str) -> tuple[str, RfcRef]:
    found = _OK.get((verb, code))
    if found is None:
        return t(N_("Done ({code}).") if code < 300 else N_("Go on ({code})."), code=code), table.REPLIES
    text, ref = found
    return t(text, extensions=extensions), ref


def explain_failure(t: Translator, verb: str | None, code: int, first_line: bytes) -> Why:
    if verb == "RCPT" and code == 550 and enhanced_code(first_line) == "5.7.1":
        found = _RELAY
    else:
        found = _WHY.get((verb, code)) or _WHY.get((None, code))  # type: ignore[assignment]
    if found is None:
        reason, hint = _GENERIC.get(code // 100, _GENERIC[5])
        return Why(f"smtp-{code}", t(reason), t(hint), table.SEVERITIES)
    name, reason, hint, ref = found
    return Why(name, t(reason), t(hint), ref)
