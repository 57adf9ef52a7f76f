"""The texts of the replay screen, the "try from here" branch and the class dashboard, as English msgids marked
for translation (German in the project's gettext catalog). POP3 keywords stay untranslated."""

from __future__ import annotations

from poplab.i18n import N_

# ---- replay -----------------------------------------------------------------------------------------------
REPLAY_TITLE = N_("Replay")
KEPT_OUT = N_("The record keeps only the first line of this reply: {octets} more octets are not shown.")
STEP = N_("Step {index} of {count} · line {line}")
PLAYING = N_("playing at {speed} steps/s")
PAUSED = N_("paused")
BACK = N_("Back")
FORWARD = N_("Forward")
COMMAND_BACK = N_("Command back")
COMMAND_FORWARD = N_("Command forward")
PLAY = N_("Play/Pause")
SLOWER = N_("Slower")
FASTER = N_("Faster")
JUMP = N_("Go to line")
JUMP_PROMPT = N_("Go to line (1–{count}), then Enter")
TRY = N_("Try from here")
TRY_UNAVAILABLE = N_("This session cannot be tried again here: it is not a POP3 session of poplab.")
TRY_STARTED = N_("A fresh bundled server, brought to step {index} by sending the session's {count} commands again.")
TRY_LOGIN_UNKNOWN = N_("{verb} cannot be replayed without its credentials: the branch goes on without it.")
BRANCH = N_("Your branch")
# ---- the mailbox at the step ------------------------------------------------------------------------------
MAILBOX_AT_BEFORE = N_("No mailbox yet: the session has not logged in.")
MAILBOX_AT_OPEN = N_("Mailbox of {account} as the server had it at this step")
MAILBOX_AT_UNKNOWN = N_("The transcript has not said which messages there are yet (STAT or LIST would).")
MAILBOX_AT_UPDATED = N_("After QUIT (UPDATE): {count} message(s) removed")
MAILBOX_AT_LOST = N_("The session ended without QUIT: the deletion marks are lost, every message stays.")
REMOVED = N_("removed")
UNKNOWN_ACCOUNT = N_("the account")
# ---- dashboard --------------------------------------------------------------------------------------------
DASHBOARD_TITLE = N_("Class dashboard")
STUDENT = N_("Student")
DONE = N_("Done")
LEGEND = N_("✓ done · ✗ in progress · ⚠ stuck (many -ERR or sessions lately) · · not started; the number: sessions")
TOTALS = N_("Class: {done} of {cells} done · {working} in progress · {stuck} stuck · {new} not started")
SORT = N_("Sort")
SORTED_BY = N_("sorted by {key}")
SORT_NAME = N_("name")
SORT_DONE = N_("most done")
SORT_STUCK = N_("stuck first")
SORT_COLUMN = N_("exercise {exercise}")
SESSIONS_OF = N_("{student} · exercise {exercise}: {count} session(s)")
NO_SESSIONS = N_("No sessions yet.")
SESSION_ROW = N_("#{id} {time} · {end} · {errors} -ERR")
SMTP_SESSION_ROW = N_("SMTP #{id} {time} · {end} · {errors} refused (4xx, 5xx)")
OPEN_REPLAY = N_("Replay")
