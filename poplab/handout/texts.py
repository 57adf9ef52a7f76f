"""The handouts' own words (headings, labels, legends), marked for translation; the explanations themselves come
from the annotator."""

from __future__ import annotations

from poplab.annotate.render import KIND_NAMES, SEVERITY_NAMES
from poplab.i18n import N_, NP_

TITLE = N_("POP3 session")
SEQUENCE = N_("Sequence diagram")
STATES = N_("State diagram")
LINES = N_("Every line explained")
CLIENT = N_("Client")
SERVER = N_("Server")
MORE = N_("More: the longer explanation and the raw bytes")
MORE_SHORT = N_("More")
RAW = N_("Raw bytes")
RAW_LEGEND = N_(
    "␍␊ is CR LF, the line end POP3 requires; a lone ␊ is a bare LF; a highlighted dot was added by byte-stuffing."
)
LINE_ENDS = N_("Every line ends in CR LF unless marked ␊ (a bare LF) or ␄ (no line end at all).")
REDACTED_NOTE = N_("Passwords are shown as [redacted].")
WHY = N_("Why -ERR: ")
HINT = N_("hint: ")
TLS_SWITCH = N_("TLS starts: from here on everything is encrypted")
CURRENT = N_("now")
PATH = N_("This session's path")
START = N_("connect")
END = N_("closed")
GREETING_EDGE = N_("greeting")
LOGIN_EDGE = N_("+OK to PASS, APOP or AUTH")
QUIT_EDGE = "QUIT"  # a POP3 keyword: never translated
UPDATE_EDGE = N_("+OK: deletions done")
LOST_EDGE = N_("connection lost: nothing deleted")
LINE_COUNT = NP_("{count} line", "{count} lines")
MADE_WITH = N_("Made with poplab, the POP3 lab.")
CLIENT_CLOSED = N_("--- the client closed the connection ---")
SERVER_CLOSED = N_("--- the server closed the connection ---")
TLS_MARK = "--- TLS ---"

KINDS, SEVERITIES = KIND_NAMES, SEVERITY_NAMES  # the annotator's own names
