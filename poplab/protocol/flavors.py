"""Server flavours: the greeting and reply texts of real POP3 servers, so learners meet the world's variety.

A flavour changes only the free text after ``+OK`` / ``-ERR`` (and the greeting). Status indicators, response
codes, the numbers of STAT and of one-message LIST/UIDL, listing lines, bodies, capabilities and every state
transition stay exactly the same: RFC 1939 fixes those, and the texts are "significant only to +OK and -ERR"
(RFC 1939 §9 note on replies). A learner who replays the seed session against two flavours sees just that.

Where the texts come from:

- ``seed``: the seed article's session (the default; byte for byte as in PROTOCOL.md).
- ``dovecot``: Dovecot's source (``src/pop3/pop3-commands.c``, ``src/pop3-login``): "+OK Dovecot ready.",
  "+OK Logged in.", "-ERR [AUTH] Authentication failed.", "+OK 3 messages:", "+OK 236 octets",
  "+OK Marked to be deleted.", "+OK Logging out, messages deleted.", "-ERR There's no message 9." ...
- ``cyrus``: Cyrus IMAP's ``imap/pop3d.c``: "+OK <host> Cyrus POP3 server ready", "+OK Name is a valid
  mailbox", "+OK Mailbox locked and ready", "+OK scan listing follows", "+OK Message follows",
  "+OK message deleted", "-ERR No such message", "-ERR Unrecognized command" ...
- ``exchange``: published Microsoft Exchange / Outlook.com transcripts: "+OK The Microsoft Exchange POP3
  service is ready.", "+OK User successfully logged on.", "-ERR Logon failure: unknown user name or bad
  password.", "-ERR Protocol error.", "+OK Microsoft Exchange Server POP3 server signing off." ...
- ``gmail``: published pop.gmail.com transcripts: "+OK Gpop ready for requests from <address> <id>",
  "+OK send PASS", "+OK Welcome.", "-ERR [AUTH] Username and password not accepted.", "+OK 1 messages
  (236 bytes)", "+OK message follows", "+OK Farewell." ...

A text missing from a flavour's table falls back to the seed text. Texts may use ``{names}``: ``count``,
``size`` (LIST, RSET, RETR), ``number`` and ``count`` (no such message), ``host`` and ``peer`` and ``session``
(greeting).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

SEED_TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "greeting": "example.com POP3-Server",
        "user": "Please enter password",
        "login": "mailbox locked and ready",
        "bad login": "invalid user name or password",
        "plaintext refused": "plaintext authentication disallowed on non-secure connections, use STLS or TLS first",
        "in use": "mailbox already locked by another session",
        "unavailable": "mailbox temporarily unavailable",
        "login delay": "you logged in too recently; wait {minutes} minutes between logins",
        "capa": "Capability list follows",
        "stls": "Begin TLS negotiation",
        "quit": "bye",
        "quit update": "bye",
        "quit deleted": "bye",
        "list": "mailbox has {count} messages ({size} octets)",
        "uidl": "unique-id listing follows",
        "retr": "message follows",
        "top": "top of message follows",
        "dele": "message marked for delete - will be deleted on QUIT",
        "noop": "",
        "rset": "maildrop has {count} messages ({size} octets)",
    }
)
"""Every text a flavour may change, as the seed session has it."""

REASONS = ("no such message", "message deleted", "unknown command", "wrong state")
"""Error texts the seed builds itself (with the details a learner needs); a flavour may replace them."""


@dataclass(frozen=True)
class Flavor:
    """One server's style: its name, where it comes from, and the texts it changes."""

    name: str
    description: str
    texts: Mapping[str, str] = field(default_factory=dict)

    def text(self, key: str, **values: object) -> str:
        """The text for ``key`` in this flavour (the seed's if the flavour has none), ``{names}`` filled."""
        template = self.texts.get(key)
        if template is None:
            template = SEED_TEXTS[key]
        return template.format(**values) if values and "{" in template else template

    def reason(self, key: str, seed_reason: str, **values: object) -> str:
        """A flavour's own text for one of :data:`REASONS`, or the seed's detailed reason."""
        template = self.texts.get(key)
        return seed_reason if template is None else template.format(**values)


SEED = Flavor("seed", "the seed article's server (the default)")

DOVECOT = Flavor(
    "dovecot",
    "Dovecot, the most common open-source POP3 server",
    {
        "greeting": "Dovecot ready.",
        "user": "",
        "login": "Logged in.",
        "bad login": "Authentication failed.",
        "plaintext refused": "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
        "in use": "Couldn't open INBOX: Mailbox is locked by another POP3 session",
        "unavailable": "Temporary authentication failure.",
        "login delay": "Logins are allowed only every {minutes} minutes",
        "capa": "",
        "stls": "Begin TLS negotiation now.",
        "quit": "Logging out",
        "quit update": "Logging out.",
        "quit deleted": "Logging out, messages deleted.",
        "list": "{count} messages:",
        "uidl": "",
        "retr": "{size} octets",
        "top": "",
        "dele": "Marked to be deleted.",
        "rset": "",
        "no such message": "There's no message {number}.",
        "message deleted": "Message is deleted.",
        "unknown command": "Unknown command.",
        "wrong state": "Unknown command.",
    },
)

CYRUS = Flavor(
    "cyrus",
    "Cyrus IMAP's pop3d (university and ISP installations)",
    {
        "greeting": "{host} Cyrus POP3 server ready",
        "user": "Name is a valid mailbox",
        "login": "Mailbox locked and ready",
        "bad login": "Invalid login",
        "plaintext refused": "USER command only available under a layer",
        "in use": "Unable to lock maildrop: Mailbox is locked",
        "unavailable": "Unable to open maildrop: System I/O error",
        "login delay": "Logins must be at least {minutes} minutes apart",
        "capa": "List of capabilities follows",
        "stls": "Begin TLS negotiation now",
        "quit": "",
        "quit update": "",
        "quit deleted": "",
        "list": "scan listing follows",
        "uidl": "unique-id listing follows",
        "retr": "Message follows",
        "top": "Message follows",
        "dele": "message deleted",
        "rset": "",
        "no such message": "No such message",
        "message deleted": "No such message",
        "unknown command": "Unrecognized command",
        "wrong state": "Unrecognized command",
    },
)

EXCHANGE = Flavor(
    "exchange",
    "Microsoft Exchange and Outlook.com",
    {
        "greeting": "The Microsoft Exchange POP3 service is ready.",
        "user": "",
        "login": "User successfully logged on.",
        "bad login": "Logon failure: unknown user name or bad password.",
        "plaintext refused": "Command is not valid in this state.",
        "in use": "The mailbox is in use by another session.",
        "unavailable": "Server Unavailable. 21",
        "login delay": "Logon failure: wait {minutes} minutes between logons.",
        "capa": "",
        "stls": "Begin TLS negotiation.",
        "quit": "Microsoft Exchange Server POP3 server signing off.",
        "quit update": "Microsoft Exchange Server POP3 server signing off.",
        "quit deleted": "Microsoft Exchange Server POP3 server signing off.",
        "list": "{count} {size}",
        "uidl": "",
        "retr": "",
        "top": "",
        "dele": "",
        "rset": "",
        "no such message": "The specified message is out of range.",
        "message deleted": "The specified message is out of range.",
        "unknown command": "Protocol error. 14",
        "wrong state": "Command is not valid in this state.",
    },
)

GMAIL = Flavor(
    "gmail",
    "Google Mail (pop.gmail.com)",
    {
        "greeting": "Gpop ready for requests from {peer} {session}",
        "user": "send PASS",
        "login": "Welcome.",
        "bad login": "Username and password not accepted.",
        "plaintext refused": "Username and password not accepted.",
        "in use": "Mailbox in use by another session.",
        "unavailable": "Temporary system problem. Try again later.",
        "login delay": "Web login required: log in no more than every {minutes} minutes.",
        "capa": "Capability list follows",
        "stls": "Begin TLS negotiation",
        "quit": "Farewell.",
        "quit update": "Farewell.",
        "quit deleted": "Farewell.",
        "list": "{count} messages ({size} bytes)",
        "uidl": "",
        "retr": "message follows",
        "top": "message follows",
        "dele": "marked for deletion",
        "rset": "",
        "no such message": "unknown message",
        "message deleted": "message deleted",
        "unknown command": "bad command",
        "wrong state": "bad command",
    },
)

FLAVORS: Mapping[str, Flavor] = MappingProxyType({f.name: f for f in (SEED, DOVECOT, CYRUS, EXCHANGE, GMAIL)})
"""Every flavour by name; ``poplab serve --flavor NAME`` and ``ServerConfig(flavor=NAME)`` choose one."""


def greeting_values(token: str, peer: str) -> dict[str, str]:
    """What a greeting may show: ``host`` (from the APOP token ``<pid.clock@host>``), the client's address
    ``peer``, and a ``session`` id made from the token, as Gmail shows one."""
    inner = token.strip("<>")
    stamp, _, host = inner.partition("@")
    pid, _, clock = stamp.partition(".")
    return {"host": host or "localhost", "peer": peer, "session": f"{pid}mb{clock[-8:]}"}


def flavor(name: str) -> Flavor:
    """The flavour called ``name``; an unknown name is our own misuse and raises ValueError."""
    try:
        return FLAVORS[name]
    except KeyError:
        raise ValueError(f"unknown flavour {name!r}; choose one of {', '.join(FLAVORS)}") from None
