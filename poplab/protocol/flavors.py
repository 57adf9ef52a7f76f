"""Server flavours: how real POP3 servers speak, so learners meet the world's variety.

A flavour changes what a server is free to choose: the free text after ``+OK`` / ``-ERR`` (and the greeting),
its capability list (which tags, in which order, what changes after login), which response codes it sends
(Exchange sends none and lists no RESP-CODES), which SASL mechanisms it offers, whether it has STLS at all
(Gmail is implicit TLS only) and whether it hangs up after a refused login (Dovecot after ``[IN-USE]``). The
protocol itself stays: STAT's numbers, one-message LIST/UIDL, listing lines, bodies, byte-stuffing and every
state transition are RFC 1939's, and the texts are "significant only to +OK and -ERR" (RFC 1939 §9). A learner
who replays the seed session against two flavours sees just that; real clients notice no difference.

Where each flavour comes from (a short note beside every text says which source it is taken from):

- ``seed``: the seed article's session (the default; byte for byte as in PROTOCOL.md).
- ``dovecot``: Dovecot's source, github.com/dovecot/core: ``src/pop3-login/client.c`` and
  ``client-authenticate.c`` (before login), ``src/pop3/pop3-commands.c``, ``pop3-client.c`` and ``main.c``
  (after login), ``src/lib-pop3/pop3-capability.h`` (CAPA), ``src/login-common`` (shared login texts).
- ``cyrus``: Cyrus IMAP's ``imap/pop3d.c`` (github.com/cyrusimap/cyrus-imapd, as released in 3.12), with the
  defaults of ``lib/imapoptions`` (serverinfo on, popexpiretime and popminpoll unset) and ``imap/imap_err.et``.
- ``exchange``: public transcripts of Exchange 2016/2019 and Exchange Online (outlook.office365.com) and
  Microsoft's documentation (the Set-PopSettings Banner default, [MS-STANXPOP3]).
- ``gmail``: public transcripts of pop.gmail.com (fetchmail and fdm logs, bug reports quoting its replies).
  Texts for which no public transcript was found are marked "no public transcript": they keep the style.

A text missing from a flavour's table falls back to the seed text. Texts may use ``{names}``: ``count``,
``size`` (LIST, RSET, RETR), ``number`` and ``count`` (no such message), ``verb`` (unknown command, wrong state),
``minutes`` (login delay), ``host``, ``peer`` and ``session`` (greeting).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

SEED_TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "greeting": "example.com POP3-Server",
        "user": "Please enter password",
        "login": "mailbox locked and ready",
        "bad login": "invalid user name or password",
        "plaintext refused": "plaintext authentication disallowed on non-secure connections, use STLS or TLS first",
        "pop disabled": "POP3 access is disabled for this account",
        "in use": "mailbox already locked by another session",
        "unavailable": "mailbox temporarily unavailable",
        "login delay": "you logged in too recently; wait {minutes} minutes between logins",
        "capa": "Capability list follows",
        "stls": "Begin TLS negotiation",
        "stls active": "TLS is already active",
        "stls unavailable": "STLS is not available (this server has no certificate)",
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

REASONS = (
    "no such message",
    "message deleted",
    "unknown command",
    "unknown command after login",
    "wrong state",
    "wrong state after login",
)
"""Error texts the seed builds itself (with the details a learner needs); a flavour may replace them. The
``... after login`` ones apply in the TRANSACTION state (when absent, the plain one does)."""

SEED_CODES: Mapping[str, str | None] = MappingProxyType(
    {
        "bad login": "AUTH",  # RFC 3206 §5
        "plaintext refused": "AUTH",
        "pop disabled": "AUTH",
        "in use": "IN-USE",  # RFC 2449 §8.1.2
        "unavailable": "SYS/TEMP",  # RFC 3206 §4
        "login delay": "LOGIN-DELAY",  # RFC 2449 §8.1.1
    }
)
"""The response code the seed sends with each refusal; a flavour may send another one or none."""


@dataclass(frozen=True)
class CapaSituation:
    """What a CAPA answer depends on. ``stls``: TLS is configured and not active yet; ``mechanisms``: the SASL
    mechanisms this flavour offers right now (those that send a password in the clear only where allowed)."""

    logged_in: bool
    secure: bool
    plaintext_allowed: bool
    stls: bool
    mechanisms: tuple[str, ...]
    implementation: str


def seed_capabilities(s: CapaSituation) -> list[str]:
    """poplab's own list (PROTOCOL.md §3): after login only what still applies."""
    caps = ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"]
    if not s.logged_in:
        if s.plaintext_allowed:
            caps.insert(1, "USER")
        if s.mechanisms:
            caps.append("SASL " + " ".join(s.mechanisms))
        if s.stls:
            caps.append("STLS")
    caps.append(f"IMPLEMENTATION {s.implementation}")
    return caps


@dataclass(frozen=True)
class Flavor:
    """One server's style: its name, where it comes from, its texts, response codes and capabilities.

    ``codes``: the response code per refusal where it differs from :data:`SEED_CODES` (``None``: no code);
    ``closes``: refusals after which the server hangs up; ``mechanisms``: the SASL mechanisms the real server
    can offer, of those poplab implements (``None``: every configured one); ``stls``: the server has STLS;
    ``capabilities``: its CAPA list in a :class:`CapaSituation`.
    """

    name: str
    description: str
    texts: Mapping[str, str] = field(default_factory=dict)
    codes: Mapping[str, str | None] = field(default_factory=dict)
    closes: frozenset[str] = frozenset()
    mechanisms: tuple[str, ...] | None = None
    stls: bool = True
    capabilities: Callable[[CapaSituation], list[str]] = seed_capabilities

    def text(self, key: str, **values: object) -> str:
        """The text for ``key`` in this flavour (the seed's if the flavour has none), ``{names}`` filled."""
        template = self.texts.get(key)
        if template is None:
            template = SEED_TEXTS[key]
        return template.format(**values) if values and "{" in template else template

    def reason(self, key: str, seed_reason: str, *, logged_in: bool = False, **values: object) -> str:
        """A flavour's own text for one of :data:`REASONS` (its ``... after login`` form in TRANSACTION), or the
        seed's detailed reason."""
        template = self.texts.get(f"{key} after login") if logged_in else None
        if template is None:
            template = self.texts.get(key)
        return seed_reason if template is None else template.format(**values)

    def code(self, key: str) -> str | None:
        """The response code this flavour sends with the refusal ``key``."""
        return self.codes[key] if key in self.codes else SEED_CODES[key]

    def offered_mechanisms(self, configured: tuple[str, ...]) -> tuple[str, ...]:
        """The configured SASL mechanisms this flavour offers, in the configured order."""
        return configured if self.mechanisms is None else tuple(m for m in configured if m in self.mechanisms)


SEED = Flavor("seed", "the seed article's server (the default)")


def dovecot_capabilities(s: CapaSituation) -> list[str]:
    """``pop3-capability.h`` first (CAPA lists itself); before login ``pop3-login`` adds STLS, USER (clear text
    allowed or TLS active) and always a SASL line, even an empty one (``client-authenticate.c``, cmd_capa)."""
    caps = ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE"]
    if s.logged_in:
        return caps
    if s.stls:
        caps.append("STLS")
    if s.plaintext_allowed:
        caps.append("USER")
    caps.append(" ".join(["SASL", *s.mechanisms]))
    return caps


DOVECOT = Flavor(
    "dovecot",
    "Dovecot, the most common open-source POP3 server",
    {
        "greeting": "Dovecot ready.",  # login-common/login-settings.c: login_greeting = PACKAGE_NAME" ready."
        "user": "",  # pop3-login/client.c cmd_user: plain +OK
        "login": "Logged in.",  # pop3/main.c
        "bad login": "Authentication failed.",  # login-common/login-common.h AUTH_FAILED_MSG
        # login-common.h AUTH_CLEARTEXT_DISABLED_MSG as in Dovecot 2.3 (2.4 says "Cleartext" for "Plaintext")
        "plaintext refused": "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
        "pop disabled": "Login disabled for this user",  # login-common/client-common-auth.c, nologin reason
        "in use": "Mailbox is locked by another POP3 session.",  # pop3/main.c lock_session
        "unavailable": "Temporary authentication failure.",  # login-common.h AUTH_TEMP_FAILED_MSG
        "login delay": "Logins are allowed only every {minutes} minutes",  # no Dovecot source: poplab's
        "capa": "",  # client-authenticate.c / pop3-commands.c cmd_capa: plain +OK
        "stls": "Begin TLS negotiation now.",  # login-common/client-common.c client_cmd_starttls
        "stls active": "TLS is already active.",  # same place
        "stls unavailable": "TLS support isn't enabled.",  # same place
        "quit": "Logging out",  # pop3-login/client.c cmd_quit
        "quit update": "Logging out.",  # pop3/pop3-commands.c cmd_quit
        "quit deleted": "Logging out, messages deleted.",  # same place
        "list": "{count} messages:",  # pop3-commands.c cmd_list
        "uidl": "",  # pop3-commands.c cmd_uidl
        "retr": "{size} octets",  # pop3-commands.c fetch
        "top": "",  # same place (TOP)
        "dele": "Marked to be deleted.",  # pop3-commands.c cmd_dele
        "rset": "",  # pop3-commands.c cmd_rset
        "no such message": "There's no message {number}.",  # pop3-commands.c get_msgnum
        "message deleted": "Message is deleted.",  # same place
        "unknown command": "Unknown command.",  # pop3-login/client.c client_command_execute
        "unknown command after login": "Unknown command: {verb}",  # pop3/pop3-client.c client_handle_input
        "wrong state": "Unknown command.",  # pop3-login knows no STAT, LIST ...
        "wrong state after login": "Unknown command: {verb}",  # ... and the pop3 process no USER, PASS ...
    },
    codes={"pop disabled": "AUTH"},  # pop3-login/client.c client_send_reply: AUTH_ERROR gets [AUTH]
    closes=frozenset({"in use"}),  # pop3/main.c lock_session: client_destroy after the -ERR
    capabilities=dovecot_capabilities,
)

CYRUS_VERSION = "3.12.3"
"""The Cyrus release whose greeting and IMPLEMENTATION the flavour shows (serverinfo: on, the default)."""


def cyrus_capabilities(s: CapaSituation) -> list[str]:
    """``pop3d.c`` cmd_capa: SASL first (after login only over TLS), STLS before login, EXPIRE NEVER and
    LOGIN-DELAY 0 (popexpiretime and popminpoll unset), USER before login where clear text is allowed."""
    caps = []
    if s.mechanisms and (not s.logged_in or s.secure):
        caps.append("SASL " + " ".join(s.mechanisms))
    if s.stls and not s.logged_in:
        caps.append("STLS")
    caps += ["EXPIRE NEVER", "LOGIN-DELAY 0", "TOP", "UIDL", "PIPELINING", "RESP-CODES", "AUTH-RESP-CODE"]
    if s.plaintext_allowed and not s.logged_in:
        caps.append("USER")
    caps.append(f"IMPLEMENTATION Cyrus POP3 {CYRUS_VERSION}")
    return caps


CYRUS = Flavor(
    "cyrus",
    "Cyrus IMAP's pop3d (university and ISP installations)",
    {
        # pop3d.c greeting (Cyrus sends a space before the missing APOP challenge; poplab leaves it out)
        "greeting": "{host} Cyrus POP3 " + CYRUS_VERSION + " server ready",
        "user": "Name is a valid mailbox",  # pop3d.c cmd_user
        "login": "Mailbox locked and ready",  # pop3d.c openinbox (without the SESSIONID=<...> of newer releases)
        "bad login": "Invalid login",  # pop3d.c cmd_pass (3.12; the 2026 main branch says "authentication failure")
        "plaintext refused": "USER command only available under a layer",  # pop3d.c cmd_user
        # pop3d.c cmdloop: a user in user_deny.db is told so (default text of imap/userdeny_db.c) and cut off
        "pop disabled": "Access to this service has been blocked",
        "in use": "Unable to lock maildrop: Mailbox is locked",  # openinbox [IN-USE] + imap_err.et IMAP_MAILBOX_LOCKED
        "unavailable": "Unable to open maildrop: System I/O error",  # openinbox [SYS/TEMP]; the reason is poplab's
        "login delay": "Logins must be at least {minutes} minutes apart",  # openinbox [LOGIN-DELAY]
        "capa": "List of capabilities follows",  # cmd_capa
        "stls": "Begin TLS negotiation now",  # cmd_stls
        "stls active": "Already successfully executed STLS",  # cmd_stls
        "stls unavailable": "Unrecognized command",  # cmdloop: stls only where tls_starttls_enabled()
        "quit": "",  # cmdloop quit: plain +OK
        "quit update": "",
        "quit deleted": "",
        "list": "scan listing follows",  # cmdloop list
        "uidl": "unique-id listing follows",  # cmdloop uidl
        "retr": "Message follows",  # blat
        "top": "Message follows",  # blat
        "dele": "message deleted",  # cmdloop dele
        "rset": "",  # cmdloop rset
        "no such message": "No such message",  # msg_exists_or_err
        "message deleted": "No such message",  # msg_exists_or_err (deleted is the same as absent)
        "unknown command": "Unrecognized command",  # cmdloop
        "wrong state": "Unrecognized command",  # cmdloop: before login only the login commands exist
    },
    codes={"pop disabled": "SYS/TEMP"},  # cmdloop: "-ERR [SYS/TEMP] %s" then shut_down
    closes=frozenset({"pop disabled"}),
    capabilities=cyrus_capabilities,
)


def exchange_capabilities(s: CapaSituation) -> list[str]:
    """Exchange's CAPA (transcripts): TOP, UIDL, SASL (NTLM GSSAPI PLAIN; poplab has PLAIN), USER where clear
    text is allowed, STLS where a certificate is bound and TLS is not on. No RESP-CODES, no PIPELINING, no
    IMPLEMENTATION. After login poplab leaves out what no longer applies."""
    caps = ["TOP", "UIDL"]
    if s.logged_in:
        return caps
    if s.mechanisms:
        caps.append("SASL " + " ".join(s.mechanisms))
    if s.plaintext_allowed:
        caps.append("USER")
    if s.stls:
        caps.append("STLS")
    return caps


# Sources: [1] docker-mailserver docs, "Email Gathering with Fetchmail": fetchmail -vvv against
# outlook.office365.com (greeting, "+OK" CAPA with TOP UIDL SASL PLAIN USER, USER's "+OK", "+OK User successfully
# logged on.", the QUIT text); [2] mattnenterprise/rust-pop3#17 and nicm/fdm#123: "-ERR Logon failure: unknown
# user name or bad password." (fdm#123: also what a mailbox without POP access gets); [3]
# simonrob/email-oauth2-proxy#162: STLS on a TLS connection gets "-ERR Command is not valid in this state.";
# [4] freescout-help-desk/freescout#2810: an unknown command gets "-ERR Protocol error. 19"; [5] Microsoft
# Learn, Set-PopSettings -Banner: "The Microsoft Exchange POP3 service is ready."
EXCHANGE = Flavor(
    "exchange",
    "Microsoft Exchange and Outlook.com",
    {
        "greeting": "The Microsoft Exchange POP3 service is ready.",  # [5], [1]
        "user": "",  # [1]
        "login": "User successfully logged on.",  # [1]
        "bad login": "Logon failure: unknown user name or bad password.",  # [2]
        "plaintext refused": "Command is not valid in this state.",  # [3]: Exchange's refusal of a command
        "pop disabled": "Logon failure: unknown user name or bad password.",  # [2] (fdm#123)
        "in use": "The mailbox is in use by another session.",  # no public transcript
        "unavailable": "Server Unavailable. 21",  # no public transcript
        "login delay": "Logon failure: wait {minutes} minutes between logons.",  # no public transcript
        "capa": "",  # [1]
        "stls": "Begin TLS negotiation.",  # no public transcript
        "stls active": "Command is not valid in this state.",  # [3]
        "stls unavailable": "Command is not valid in this state.",  # [3]
        "quit": "Microsoft Exchange Server POP3 server signing off.",  # [1] (Exchange 2016 adds "2016")
        "quit update": "Microsoft Exchange Server POP3 server signing off.",
        "quit deleted": "Microsoft Exchange Server POP3 server signing off.",
        "list": "{count} {size}",  # no public transcript
        "uidl": "",  # no public transcript
        "retr": "",  # no public transcript
        "top": "",  # no public transcript
        "dele": "",  # no public transcript
        "rset": "",  # no public transcript
        "no such message": "The specified message is out of range.",  # no public transcript
        "message deleted": "The specified message is out of range.",  # no public transcript
        "unknown command": "Protocol error. 19",  # [4]
        "wrong state": "Command is not valid in this state.",  # [3]
    },
    # No RESP-CODES in its CAPA, and no codes on the wire: [2] has no [AUTH].
    codes={key: None for key in SEED_CODES},
    mechanisms=("PLAIN",),  # [1]: SASL PLAIN (on premises also NTLM GSSAPI, which poplab does not implement)
    capabilities=exchange_capabilities,
)


def gmail_capabilities(s: CapaSituation) -> list[str]:
    """pop.gmail.com's CAPA (transcripts): USER, RESP-CODES, EXPIRE 0, LOGIN-DELAY 300, TOP, UIDL, X-GOOGLE-RICO
    and SASL PLAIN (Google also offers XOAUTH2 and OAUTHBEARER). Never STLS: port 995, implicit TLS only."""
    caps = ["USER"] if s.plaintext_allowed and not s.logged_in else []
    caps += ["RESP-CODES", "EXPIRE 0", "LOGIN-DELAY 300", "TOP", "UIDL", "X-GOOGLE-RICO"]
    if s.mechanisms and not s.logged_in:
        caps.append("SASL " + " ".join(s.mechanisms))
    return caps


# Sources: [1] LinuxQuestions thread "mutt on 10.4 will not work" (2012): fetchmail -vvv against pop.gmail.com
# (greeting with address and session id, "+OK Capability list follows", USER's "+OK send PASS", "+OK Welcome.",
# "+OK Farewell."); [2] a newer CAPA quoted in the source of a public test server (USER RESP-CODES EXPIRE 0
# LOGIN-DELAY 300 TOP UIDL X-GOOGLE-RICO SASL PLAIN XOAUTH2 OAUTHBEARER); [3] nicm/fdm#140: "-ERR bad command
# <session id>" before login; [4] python/cpython#94019: "-ERR Command not understood" after "+OK Welcome.";
# [5] bug reports and client code quoting "-ERR [AUTH] Username and password not accepted." and "-ERR [SYS/PERM]
# Your account is not enabled for POP access. Please visit your Gmail settings page and enable your account for
# POP access."
GMAIL = Flavor(
    "gmail",
    "Google Mail (pop.gmail.com)",
    {
        "greeting": "Gpop ready for requests from {peer} {session}",  # [1]
        "user": "send PASS",  # [1]
        "login": "Welcome.",  # [1]
        "bad login": "Username and password not accepted.",  # [5]
        "plaintext refused": "Username and password not accepted.",  # [5] (Gmail never sees clear text)
        "pop disabled": (  # [5]
            "Your account is not enabled for POP access. "
            "Please visit your Gmail settings page and enable your account for POP access."
        ),
        "in use": "Mailbox in use by another session.",  # no public transcript
        "unavailable": "Temporary system problem. Try again later.",  # no public transcript
        "login delay": "Web login required: log in no more than every {minutes} minutes.",  # no public transcript
        "capa": "Capability list follows",  # [1]
        "quit": "Farewell.",  # [1]
        "quit update": "Farewell.",
        "quit deleted": "Farewell.",
        "list": "{count} messages ({size} bytes)",  # no public transcript
        "uidl": "",  # no public transcript
        "retr": "message follows",  # no public transcript
        "top": "message follows",  # no public transcript
        "dele": "marked for deletion",  # no public transcript
        "rset": "",  # no public transcript
        "no such message": "unknown message",  # no public transcript
        "message deleted": "message deleted",  # no public transcript
        "unknown command": "bad command",  # [3] (Gmail adds its session id)
        "unknown command after login": "Command not understood",  # [4]
        "wrong state": "bad command",  # [3]
        "wrong state after login": "Command not understood",  # [4]
    },
    codes={"pop disabled": "SYS/PERM"},  # [5]
    mechanisms=("PLAIN",),  # [2]: SASL PLAIN XOAUTH2 OAUTHBEARER; poplab has PLAIN
    stls=False,  # implicit TLS only: STLS is a command Gmail does not know
    capabilities=gmail_capabilities,
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
