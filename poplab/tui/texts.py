"""Every text of the tutor's own screens, as English msgids marked for translation (German in the project's
gettext catalog). Lessons keep their texts in :mod:`poplab.tui.lessons`. POP3 keywords stay untranslated."""

from __future__ import annotations

from textual.binding import Binding

from poplab.i18n import N_

# ---- bindings (footer, help screen, command palette) ------------------------------------------------------
HELP = N_("Help")
LANGUAGE = N_("Deutsch")
"""The key that switches the language shows the language it switches to."""
RAW = N_("Raw bytes")
EXPORT = N_("Export")
RESET = N_("Reset mailboxes")
LESSONS = N_("Lessons")
RECONNECT = N_("Reconnect")
TLS = N_("TLS")
DROP = N_("Drop connection")
QUIT = N_("Quit")
QUIT_QUESTION = N_("Do you want to quit?")
QUIT_HOW = N_("Press Ctrl+Q to quit the tutor (Ctrl+C copies selected text).")
FOCUS_INPUT = N_("Command line")
FOLLOW = N_("Follow new lines")
CLOSE = N_("Close")
PROJECTOR = N_("Projector")
DIAGRAM = N_("Diagrams")
DIAGRAM_TITLE = N_("This session as a sequence diagram and a state diagram (Ctrl+G or Esc: back)")
GROUP_EXERCISE = Binding.Group(N_("Check/Hint"), compact=True)
GROUP_VIEW = Binding.Group(N_("Raw/Save/Reset"), compact=True)
GROUP_CONNECTION = Binding.Group(N_("Connection"), compact=True)
"""Footer groups: one description for several keys, so that every key fits at 80 columns."""
TEXTUAL_KEYS = (N_("palette"), N_("Focus Next"), N_("Focus Previous"), N_("Copy selected text"))
"""Textual's own key descriptions (the command palette, Tab, Ctrl+C), translated with the tutor's."""

# ---- main screen ------------------------------------------------------------------------------------------
TITLE = N_("POP3 tutor")
PLACEHOLDER = N_("Type a POP3 command, e.g. {example} (Tab completes, ↑↓ history, F1 help)")
PLACEHOLDER_SMTP = N_("Type an SMTP command, e.g. {example} (↑↓ history, F1 help)")
PLACEHOLDER_CLOSED = N_("The connection is closed: Ctrl+R reconnects (F1 help)")
EMPTY_LINE = N_("An empty line is not a POP3 command: nothing was sent. Try {example}.")
EMPTY_LINE_CLOSED = N_("An empty line is not a POP3 command: nothing was sent. Ctrl+R reconnects.")
TAB_DETAIL = N_("Detail")
TAB_MAILBOX = N_("Mailbox")
TAB_LESSON = N_("Lesson")
STATE_CLOSED = N_("closed")
STATE_CONNECTING = N_("connecting")
BUNDLED = N_("bundled server")
THE_BUNDLED = N_("the bundled server")
BUNDLED_SMTP = N_("bundled server, SMTP")
THE_BUNDLED_SMTP = N_("the bundled server's SMTP side")
PROTOCOL = N_("POP3/SMTP")
PROTOCOL_NEXT = N_("Next connection: {protocol}. Mail sent with SMTP lands in the same mailboxes POP3 reads.")
SMTP_UNAVAILABLE = N_(
    "SMTP needs the bundled server, or another server's SMTP port: poplab tutor HOST PORT --smtp-port N."
)
WAITING = N_("waiting for the server …")
PLAIN = N_("plain")
TLS_ON = N_("TLS")
IMPLICIT_TLS = N_("implicit TLS")
SECURITY = {"plain": PLAIN, "stls": "STLS", "tls": IMPLICIT_TLS}
"""How each way of connecting is named to the learner (STLS is a keyword and stays as it is)."""

# ---- transcript notes -------------------------------------------------------------------------------------
CONNECTING = N_("Connecting to {where} ({security}) …")
CONNECT_FAILED = N_("Could not connect: {reason}")
CERTIFICATE = N_("TLS certificate: {summary}")
SEND_FAILED = N_("Not sent: {reason}")
RESET_DONE = N_("Mailboxes reset to the demo data.")
RESET_UNAVAILABLE = N_("Resetting mailboxes needs the bundled server.")
TLS_NEXT = N_("Next connection: {security}.")
TLS_UNAVAILABLE = N_("Cannot switch: the plain port of this server is unknown (started with --tls).")
DIGEST = N_("APOP digest = MD5({timestamp} + secret) = {digest}")
DIGEST_UNAVAILABLE = N_("The greeting carries no timestamp: this server does not offer APOP now.")
PLAIN_TOKEN = N_(
    "AUTH PLAIN = base64 of NUL, {user}, NUL, the password (RFC 4616 §2): an encoding, not a secret. Anyone who "
    "sees the line can decode the password, so send it after STLS or STARTTLS."
)
UNKNOWN_TUTOR_COMMAND = N_("Unknown tutor command {command}. Known: {known}")
EXPORTED = N_("Transcript saved to {path}")
EXPORT_FAILED = N_("Could not save the transcript: {reason}")
NEW_BELOW = N_("▼ {count} new entries below the selected line — Esc follows them")
PASTED = N_("Pasted {count} lines: each is sent when the reply to the one before has arrived (not pipelined).")
BODY_SUMMARY = N_("{lines} lines, {octets} octets (the size LIST gives)")
BODY_SUMMARY_LISTING = N_("{lines} lines, {octets} octets")
"""A listing (LIST, UIDL, CAPA) has no size of its own in LIST: only a message's summary says so."""
BODY_OPEN = N_("Enter or click to open")
BODY_CLOSE = N_("Enter or click to close")
BODY_MORE = N_("… {count} more lines (the whole body is in the export)")
RAW_MORE = N_("… {count} more lines")

# ---- detail pane ------------------------------------------------------------------------------------------
DETAIL_EMPTY = N_("Select a line of the transcript to see what it means.")
DETAIL_STATE = N_("State")
DETAIL_OCTETS = N_("Octets")
DETAIL_RAW = N_("Raw bytes (␍␊ = CR LF line end, highlighted dot = stuffing)")
DETAIL_WHY = N_("Why -ERR?")
DETAIL_HINT = N_("Hint")

# ---- mailbox pane -----------------------------------------------------------------------------------------
MAILBOX_TITLE = N_("Mailbox of {account}")
MAILBOX_LIVE = N_("as this session sees it (marks are the session's)")
MAILBOX_STORED = N_("as stored on the server")
MAILBOX_NONE = N_("no account {account}")
MAILBOX_BEFORE_LOGIN = N_(
    "Not logged in yet: a POP3 server shows a mailbox only after USER and PASS succeed. Then this pane follows "
    "the account you log in as (here: {account})."
)
MAILBOX_UNAVAILABLE = N_("The server-side view is available only with the bundled server; {where} is another server.")
COLUMN_NUMBER = N_("No.")
COLUMN_OCTETS = N_("Octets")
COLUMN_UIDL = N_("UIDL")
COLUMN_SUBJECT = N_("Subject")
COLUMN_DELETED = N_("Deleted")
MARKED = N_("marked")

# ---- lessons ----------------------------------------------------------------------------------------------
LESSON_PICK = N_("Choose a lesson or an exercise (Enter). Each starts from fresh mailboxes.")
LESSON_STEP = N_("Step {number} of {total}")
LESSON_DONE = N_("Lesson complete. F6 for the next one.")
LESSON_WRONG_REPLY = N_("That was the right command, but the server answered {reply}. Try again.")
LESSON_OTHER = N_("Sent. The step asks for: {expected}")
LESSON_FINISHED_MARK = N_("done")
LESSON_NEEDS_BUNDLED = N_("Lessons need the bundled server (start poplab without connect).")
EXERCISES = N_("Exercises")
EXERCISE_SERVER = N_("exercise server")
EXERCISE_STARTED = N_("Exercise {title}: its own server with a fresh mailbox.")
EXERCISE_NONE = N_("No exercise is running: choose one in the Lesson tab (F6).")
EXERCISE_BAR = N_("Exercise {title} · F7 check · F8 hint · /answer TEXT · /stop ends it")
CHECK = N_("Check")
HINT = N_("Hint")

# ---- watch mode (poplab proxy --tui) -----------------------------------------------------------------------
WATCH_TITLE = N_("POP3 proxy")
WATCHING = N_("Watching {listen} → {upstream}; point your mail client at {listen}. Nothing is typed here.")
WATCH_IDLE = N_("no client yet")
SESSION_HEADING = N_("── session {number}: {client} → {upstream} ──")
"""The same heading as the proxy's terminal view."""
WATCH_NOTHING = N_("Nothing to export yet: no mail client has connected.")
HELP_WATCH = N_(
    "Watch mode: the annotating proxy listens on {listen} and relays every mail client that connects there to "
    "{upstream}. Each line they exchange is shown and explained as it passes; select a line for its details. "
    "Export saves the session of the selected line."
)

# ---- welcome (first start) -------------------------------------------------------------------------------
WELCOME_TITLE = N_("Welcome to poplab, the POP3 lab")
WELCOME_WHAT = N_(
    "You talk to a real POP3 server, the bundled teaching server, by typing its commands yourself. Every line "
    "that crosses the wire is shown and explained: what it means, the state of the session, the RFC section."
)
WELCOME_ACCOUNT = N_("Log in with the account of the first lesson and look into its mailbox — type:")
WELCOME_KEYS = N_(
    "F6 opens the lessons (the first one walks you through this session), F1 lists every key. Nothing you do "
    "here touches real mail: F5 brings the demo mailboxes back."
)
WELCOME_START = N_("Start typing (Enter)")

# ---- help screen ------------------------------------------------------------------------------------------
HELP_TITLE = N_("poplab — POP3 tutor: keys")
HELP_INTRO = N_(
    "Type POP3 commands in the command line and press Enter; every line on the wire is explained. "
    "Everything works with the mouse too: click a line, a tab, a key in the footer."
)
HELP_KEYS = N_("Keys")
HELP_INPUT = N_("In the command line")
HELP_HISTORY = N_("previous / next command")
HELP_COMPLETE = N_("complete the keyword (the argument form is shown)")
HELP_TRANSCRIPT = N_("In the transcript: ↑↓ move, Enter opens or closes a long body")
HELP_TUTOR_COMMANDS = N_(
    "Tutor commands (not sent): /apop USER SECRET, /plain USER PASSWORD, /drop, /reconnect, /tls, /reset, /raw, "
    "/lang de|en, /lesson NAME, /exercise NUMBER, /check, /hint, /answer TEXT, /stop, "
    "/export FILE.html|.md|.json|.pcap, /diagram, /smtp, /pop3, /help"
)
HELP_SERVER = N_("Bundled server: POP3 on {plain}, POP3S (implicit TLS) on {tls}. Demo accounts as in the README.")
HELP_PALETTE = N_("Ctrl+P opens the command palette (themes included).")

# ---- export -----------------------------------------------------------------------------------------------
EXPORT_TITLE = N_("Export the transcript")
EXPORT_FORMAT = N_("Format")
EXPORT_PATH = N_("File")
EXPORT_REDACT = N_("Hide passwords")
EXPORT_SAVE = N_("Save")
EXPORT_CANCEL = N_("Cancel")
