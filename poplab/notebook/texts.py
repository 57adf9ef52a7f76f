"""Every learner-facing text of the notebook API, in English, marked for translation (German lives in the
gettext catalog). Kept in this one module so the catalog can be updated from one place. POP3 keywords are never
translated."""

from __future__ import annotations

from poplab.i18n import N_, NP_

# ---- an exchange and a session ---------------------------------------------------------------------------

STATE = N_("State")
EXPLANATION = N_("Explanation")
LINE = N_("Line")
WHY_ERR = N_("Why -ERR?")
HINT = N_("Hint")
MORE_LINES = NP_("… {count} more line", "… {count} more lines")
NO_REPLY = N_("no reply: {reason}")
SESSION_EMPTY = N_("Nothing has been sent yet.")
TRANSCRIPT_TITLE = N_("POP3 session with {server}")

# ---- raw bytes ---------------------------------------------------------------------------------------------

RAW_TITLE = N_("The bytes on the wire")
RAW_LEGEND = N_(
    "CR LF marks each line end: the bytes 13 and 10 (written ␍␊ in plain text). A message line that begins with a "
    "dot gets a second dot on the wire (byte-stuffing, highlighted); a line with a single dot ends a multi-line reply."
)
RAW_TOTAL = N_("{octets} octets sent by the client, {received} octets sent by the server")

# ---- the server side -----------------------------------------------------------------------------------------

MAILBOX_TITLE = N_("Mailbox of {account}, as the server sees it")
MAILBOX_OPEN = N_("Session {session} holds the lock (TRANSACTION); its message numbers and marks are shown.")
MAILBOX_CLOSED = N_("No session has this mailbox open: these are the messages stored now.")
MAILBOX_EMPTY = N_("The mailbox is empty.")
MAILBOX_TOTAL = NP_(
    "{count} message, {octets} octets; {marked} marked for deletion",
    "{count} messages, {octets} octets; {marked} marked for deletion",
)
NUMBER = N_("No.")
OCTETS = N_("Octets")
SUBJECT = N_("Subject")
MARKED = N_("Marked for deletion")
YES = N_("yes")
NO = N_("no")
ACCOUNTS_TITLE = N_("Accounts on the teaching server")
ACCOUNT = N_("Account")
POP_ENABLED = N_("POP enabled")
MESSAGES = N_("Messages")
LOCKED = N_("In use (locked)")

# ---- the eavesdropper -----------------------------------------------------------------------------------------

TAP_TITLE = N_("What an eavesdropper between client and server captured (port {port})")
TAP_EMPTY = N_("Nothing has crossed this wire yet.")
TAP_TO_SERVER = N_("client → server")
TAP_TO_CLIENT = N_("server → client")
TAP_ENCRYPTED = N_("encrypted: {octets} octets that mean nothing without the TLS keys")

# ---- the lab ---------------------------------------------------------------------------------------------------

LAB_RUNNING = N_("poplab teaching server: POP3 on {host}:{port} (with STLS), POP3S on {host}:{tls_port}")
LAB_REMOTE = N_("POP3 server at {host}:{port}")
LAB_STOPPED = N_("poplab lab (stopped)")
CONSOLE_PLACEHOLDER = N_("type a POP3 command, e.g. STAT, and press Enter")
CONSOLE_SEND = N_("Send")
CONSOLE_CONNECTED = N_("Connected to {server}. Type a command and press Enter.")
CONSOLE_RECONNECTED = N_("The lab cut the last connection (a reset): connected to {server} again, a new session.")

# ---- errors a learner can act on ------------------------------------------------------------------------------

ERR_STOPPED = N_("This lab has been stopped; start a new one with Lab().")
ERR_UNKNOWN_ACCOUNT = N_("There is no account {account!r} on this server.")
ERR_NEED_PASSWORD = N_("Give the password too: lab.session({account!r}, 'password').")
ERR_LOGIN_FAILED = N_("Login as {account} failed: {reply}")
ERR_NOT_BUNDLED = N_("Only the bundled teaching server shows its server side; this lab talks to {server}.")
ERR_NOT_MAILDIR = N_('This lab keeps its mail in memory: make it with Lab(store="maildir") to see the Maildirs.')
ERR_PLACEHOLDER = N_("Replace the ... with your answer first.")

# ---- poplab notebooks ---------------------------------------------------------------------------------------

CLI_NO_NOTEBOOKS = N_("the lesson notebooks are not in this installation (looked in {folder})")
CLI_NO_JUPYTER = N_(
    'JupyterLab is not installed: pip install -e ".[notebooks]" in the poplab folder (the tutor and the notebook '
    "API need only the base install)"
)
CLI_COPIED = NP_("copied {count} notebook to {folder}", "copied {count} notebooks to {folder}")
CLI_KEPT = NP_(
    "kept {count} notebook you already have there (--fresh replaces it)",
    "kept {count} notebooks you already have there (--fresh replaces them)",
)
CLI_STARTING = N_("starting JupyterLab in {folder}; stop it with Ctrl-C")

# ---- a session that cannot go on ------------------------------------------------------------------------------

ERR_CLOSED = N_("the connection is closed: run the cell that opens this session again")
ERR_SERVER_CLOSED = N_("the server closed the connection")
ERR_NO_REPLY_IN_TIME = N_("no complete reply in time; the server may be waiting for the rest of a line")
ERR_CANNOT_GO_ON = N_("the session cannot go on: {reason}")

# ---- self-checks (lab check) ------------------------------------------------------------------------------------

CHECK_PASSED = N_("✓ Well done.")
CHECK_NOT_YET = N_("Not yet.")
CHECK_SERVER_SAID = N_("The server said:")
CHECK_YOU_SENT = N_("Sent:")
CHECK_HINT = N_("Hint:")
CHECK_MISSING_NAME = N_(
    "{name} is not defined yet: run the cell with {where} first (Run ▸ Run All Above Selected Cell runs everything "
    "above this check)."
)
CHECK_MISSING_ANSWER = N_("{name} is not defined yet: fill in the task cell just above this check and run it.")
CHECK_PLACEHOLDER = N_("Replace the ... in the task cell above with your answer, run it, then run this check again.")
CHECK_LAB_STOPPED = N_("The lab has been stopped: run the lesson's first code cell (lab = Lab(...)) again.")
CHECK_NO_CONSOLE = N_("There is no console for this task yet: run the console cell above, type in it, then check.")
CHECK_YOUR_CODE_RAISED = N_("Your code raised {error}: {message}")
CHECK_NO_ANSWER = N_(
    "No answer within {seconds} s: your code waited for a line that never came. Did you add CR LF (\\r\\n) to "
    "what you send, and does your loop stop at the line with a single dot?"
)
CHECK_UNKNOWN_TASK = N_("There is no self-check {task!r}.")
CHECK_FRESH_COPY = N_("The check ran on its own copy of the demo mailboxes; your lab's mailboxes are unchanged.")
CHECK_RESTORED = N_("The check switched POP access back on for {accounts}, so that the rest of the lesson works.")
