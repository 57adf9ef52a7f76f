"""The proxy's own texts: its notes to the learner (translated where they are shown) and the fixed replies it
sends to the client itself (POP3 wire texts stay English, as a server's do)."""

from __future__ import annotations

from poplab.i18n import N_

STARTED = N_("{client} connected: relaying to {upstream} ({security}).")
UPSTREAM_TLS = N_("TLS to {upstream} is up ({version}); its certificate was checked.")
UPSTREAM_TLS_UNCHECKED = N_(
    "TLS to {upstream} is up ({version}); its certificate was NOT checked (--upstream-insecure)."
)
UPSTREAM_STLS = N_("The proxy sent STLS to {upstream} itself and switched that connection to TLS.")
UPSTREAM_FAILED = N_("Cannot reach {upstream}: {reason}. The client got -ERR [SYS/TEMP].")
STLS_REMOVED = N_(
    "The server offers STLS, but this proxy cannot do TLS with your client: STLS was taken out of the list your "
    "client sees."
)
STLS_REMOVED_SECURE = N_("Your client's side already uses TLS: STLS was taken out of the list your client sees.")
STLS_ADDED = N_("This proxy can do TLS with your client: STLS was added to the list your client sees.")
CLIENT_STLS = N_("Your client sent STLS: the proxy answered it itself and switched your client's side to TLS.")
CLIENT_STLS_REFUSED = N_("Your client sent STLS, but this proxy cannot do TLS with it: the proxy answered -ERR itself.")
CLIENT_PIPELINED_AFTER_STLS = N_(
    "Your client sent {count} more line(s) after STLS before the +OK arrived: the proxy threw them away, as a "
    "correct server must. A client that does not wait for +OK and the handshake is open to command injection "
    "(CVE-2011-0411)."
)
CLIENT_TLS_FAILED = N_("The TLS handshake with your client failed: {reason}.")
UPSTREAM_OVERLONG_LINE = N_(
    "{upstream} sent more than {limit} bytes without a line end: the proxy closed the connection to it, and your "
    "client got -ERR [SYS/TEMP]."
)
UPSTREAM_OVERLONG_CAPA = N_(
    "{upstream} sent a CAPA reply of more than {lines} lines or {limit} bytes: the proxy closed the connection to "
    "it, and your client got -ERR [SYS/TEMP]."
)
UPSTREAM_NO_GREETING = N_(
    "{upstream} sent no greeting within {seconds} seconds: the proxy closed the connection to it, and your client "
    "got -ERR [SYS/TEMP]."
)
BODY_NOT_RECORDED = N_(
    "This reply's body was {size} bytes: all of it reached your client, but only the first {kept} bytes are "
    "recorded and explained here."
)
SAVED = N_("Transcript saved to {path} (passwords {redaction}).")
REDACTED = N_("redacted")
NOT_REDACTED = N_("NOT redacted")

SECURITY = {
    "plain": N_("plain text"),
    "stls": N_("STLS"),
    "tls": N_("implicit TLS"),
}

# ---- what the proxy itself says to the client ----------------------------------------------------------------

UNREACHABLE = "-ERR [SYS/TEMP] poplab proxy: cannot reach the POP3 server {upstream} ({reason})\r\n"
STLS_OK = "+OK Begin TLS negotiation (with the poplab proxy)\r\n"
STLS_UNAVAILABLE = "-ERR STLS is not available through this proxy (start it with --stls or --tls)\r\n"
TLS_ACTIVE = "-ERR TLS is already active\r\n"
STLS_STATE = "-ERR command not valid in this state\r\n"
OVERLONG_LINE = "-ERR [SYS/TEMP] poplab proxy: the upstream server sent an overlong line\r\n"
OVERLONG_CAPA = "-ERR [SYS/TEMP] poplab proxy: the upstream server's CAPA reply is too long\r\n"
NO_GREETING = "-ERR [SYS/TEMP] poplab proxy: the upstream server sent no greeting\r\n"
