"""The guided tour as data: lessons, each a list of steps the learner carries out one by one.

A step asks for a command (checked by its words: the keyword in any case, the arguments exactly; ``exact=False``
checks only the words given) and the reply it should get (``ok``: +OK, -ERR or None for either), or for a tutor
action (``drop``, ``reconnect``, ``tls``). ``say`` is shown before the step, ``explain`` after it. Every lesson
starts from fresh demo mailboxes on a new connection. Texts are English msgids, translated where shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from poplab.i18n import N_

ACTIONS = ("drop", "reconnect", "tls", "smtp", "pop3")


@dataclass(frozen=True)
class Step:
    say: str
    command: str = ""
    ok: bool | None = True
    action: str = ""
    explain: str = ""
    exact: bool = True


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    intro: str
    steps: tuple[Step, ...]
    apop: bool = False


def _login(user: str, password: str) -> tuple[Step, ...]:
    return (
        Step(N_("Name the mailbox: type {command}"), f"USER {user}", explain=N_("The server waits for the password.")),
        Step(
            N_("Send the password: type {command}"),
            f"PASS {password}",
            explain=N_("Logged in: the maildrop is locked for you and the session is in TRANSACTION."),
        ),
    )


SEED = Lesson(
    "seed",
    N_("The article's session"),
    N_(
        "The session from the article this lab was made from: log in as wiki@example.com, look at the mailbox, "
        "read its one message, delete it and quit. Type every command yourself."
    ),
    (
        Step(
            N_("Name the mailbox you want: type {command}"),
            "USER wiki@example.com",
            explain=N_(
                "The server took the name and waits for the password; this +OK does not say that the account "
                "exists. You are still in AUTHORIZATION."
            ),
        ),
        Step(
            N_("Send the password: type {command} (it travels in clear text, as its name says)"),
            "PASS passwort_im_klartext",
            explain=N_("+OK: the maildrop is locked for you and the session is in TRANSACTION."),
        ),
        Step(
            N_("Ask how many messages there are and how big they are: type {command}"),
            "STAT",
            explain=N_("+OK 1 236: one message of 236 octets. Every line end counts as two octets (CRLF)."),
        ),
        Step(
            N_("List every message with its size: type {command}"),
            "LIST",
            explain=N_("A multi-line reply: one line per message, ended by a line with a single dot."),
        ),
        Step(
            N_("Fetch message 1: type {command}"),
            "RETR 1",
            explain=N_("The whole message follows: headers, a blank line, the body, and the dot line."),
        ),
        Step(
            N_("Mark message 1 for deletion: type {command}"),
            "DELE 1",
            explain=N_("Only marked: the mailbox table shows the mark. Nothing is deleted before QUIT."),
        ),
        Step(
            N_("End the session: type {command}"),
            "QUIT",
            explain=N_("QUIT from TRANSACTION enters UPDATE: now the server deletes message 1 and closes."),
        ),
    ),
)

LISTING = Lesson(
    "listing",
    N_("LIST, UIDL and TOP"),
    N_("Look at a mailbox without downloading it: sizes, unique ids and headers only. Alice has six messages."),
    (
        *_login("alice@example.com", "wonderland"),
        Step(
            N_("Ask for the size of one message: type {command}"),
            "LIST 2",
            explain=N_("With an argument, LIST answers on the status line; no dot line follows."),
        ),
        Step(
            N_("Ask for the unique ids: type {command}"),
            "UIDL",
            explain=N_(
                "A message's unique id stays the same across sessions, while message numbers hold for this "
                "session only. "
                "Clients use it to remember what they have fetched already."
            ),
        ),
        Step(
            N_("Look at the headers only: type {command}"),
            "TOP 1 0",
            explain=N_("TOP n 0 sends the headers and the blank line: enough for a list of subjects."),
        ),
        Step(
            N_("Message 3 has lines that start with a dot: type {command}"),
            "TOP 3 5",
            explain=N_(
                "A line that begins with '.' is sent with one more dot (byte-stuffing), so it cannot be taken for "
                "the end. Select the body and look at its raw bytes in the Detail pane."
            ),
        ),
        Step(N_("End the session: type {command}"), "QUIT", explain=N_("Nothing was marked, so nothing is deleted.")),
    ),
)

UPDATE = Lesson(
    "update",
    N_("DELE, RSET and the UPDATE state"),
    N_("Mark messages, take the marks back, and see when a deletion really happens."),
    (
        *_login("alice@example.com", "wonderland"),
        Step(
            N_("Mark message 1 for deletion: type {command}"),
            "DELE 1",
            explain=N_("Marked: STAT and LIST leave message 1 out from now on."),
        ),
        Step(
            N_("List the messages: type {command}"),
            "LIST",
            explain=N_("Message 1 is missing, and the other numbers did not shift: numbers are fixed per session."),
        ),
        Step(
            N_("Try to fetch the marked message: type {command}"),
            "RETR 1",
            ok=False,
            explain=N_("-ERR: a message marked for deletion cannot be used any more in this session."),
        ),
        Step(
            N_("Take back every mark: type {command}"),
            "RSET",
            explain=N_("RSET clears all deletion marks: the mailbox table shows message 1 unmarked again."),
        ),
        Step(N_("Mark message 2 for deletion: type {command}"), "DELE 2", explain=N_("Marked, not yet deleted.")),
        Step(
            N_("End the session: type {command}"),
            "QUIT",
            explain=N_("UPDATE: message 2 is gone for good; the mailbox table shows five messages."),
        ),
        Step(N_("Connect again: press Ctrl+R"), action="reconnect", explain=N_("A new session, a new greeting.")),
        *_login("alice@example.com", "wonderland"),
        Step(
            N_("Ask for the totals: type {command}"),
            "STAT",
            explain=N_("Five messages: the deletion was carried out in the UPDATE state."),
        ),
    ),
)

DROPPED = Lesson(
    "dropped",
    N_("The dropped connection"),
    N_("What happens to marked messages when a connection breaks before QUIT?"),
    (
        *_login("wiki@example.com", "passwort_im_klartext"),
        Step(N_("Mark message 1 for deletion: type {command}"), "DELE 1", explain=N_("Marked, not yet deleted.")),
        Step(
            N_("Cut the connection without QUIT, as a crashed client would: press Ctrl+D"),
            action="drop",
            explain=N_("The server never saw QUIT, so it never entered UPDATE: nothing is deleted."),
        ),
        Step(N_("Connect again: press Ctrl+R"), action="reconnect", explain=N_("A new session, a new greeting.")),
        *_login("wiki@example.com", "passwort_im_klartext"),
        Step(
            N_("Ask for the totals: type {command}"),
            "STAT",
            explain=N_("+OK 1 236: the message is still there. Deletions count only after QUIT."),
        ),
        Step(N_("End the session: type {command}"), "QUIT", explain=N_("Nothing was marked, so nothing is deleted.")),
    ),
)

TLS = Lesson(
    "tls",
    N_("STLS, TLS and clear-text passwords"),
    N_("USER and PASS send the password as it is. Switch the connection to TLS first, and nobody can read it."),
    (
        Step(
            N_("Ask what the server can do: type {command}"),
            "CAPA",
            explain=N_("STLS in the list: this connection can be switched to TLS."),
        ),
        Step(
            N_("Switch this connection to TLS: type {command}"),
            "STLS",
            explain=N_("After +OK both sides run the TLS handshake; from now on every line is encrypted."),
        ),
        Step(
            N_("Ask again, now over TLS: type {command}"),
            "CAPA",
            explain=N_("STLS is no longer offered: TLS is on. A client must forget what it was told in clear text."),
        ),
        *_login("wiki@example.com", "passwort_im_klartext"),
        Step(N_("End the session: type {command}"), "QUIT", explain=N_("Nothing was marked, so nothing is deleted.")),
        Step(
            N_("Now use implicit TLS (like port 995): press Ctrl+T"),
            action="tls",
            explain=N_(
                "With implicit TLS the handshake comes before the greeting; the transcript shows the server's "
                "certificate."
            ),
        ),
    ),
)

APOP = Lesson(
    "apop",
    N_("APOP"),
    N_(
        "APOP proves that you know the secret without sending it: the greeting carries a timestamp, and you send "
        "the MD5 digest of the timestamp followed by the secret."
    ),
    (
        Step(
            N_(
                "Type /apop mrose@example.com tanstaaf: the tutor computes MD5(timestamp + secret) and fills in "
                "{command} <digest>. Then press Enter."
            ),
            "APOP mrose@example.com",
            exact=False,
            explain=N_("Logged in without the secret ever crossing the wire. The timestamp is new every time."),
        ),
        Step(N_("Ask for the totals: type {command}"), "STAT", explain=N_("You are in TRANSACTION.")),
        Step(N_("End the session: type {command}"), "QUIT", explain=N_("Nothing was marked, so nothing is deleted.")),
    ),
    apop=True,
)

JOURNEY = Lesson(
    "journey",
    N_("The journey of a mail: SMTP in, POP3 out"),
    N_(
        "POP3 only fetches mail; it arrives by SMTP (RFC 5321). Send a mail to bob by hand on the bundled server's "
        "SMTP side, then log in as bob with POP3 and fetch it: the same mailbox, seen from both sides."
    ),
    (
        Step(
            N_("Switch this connection to the SMTP side: press Ctrl+O (or type /smtp)"),
            action="smtp",
            explain=N_("The SMTP server greets with 220. SMTP replies are three digits: 2xx yes, 3xx go on, 5xx no."),
        ),
        Step(
            N_("Say hello and ask what the server offers: type {command}"),
            "EHLO learner.example",
            explain=N_("250 and a list of extensions (SIZE, STARTTLS, AUTH …), one per line, like POP3's CAPA."),
        ),
        Step(
            N_("Name the sender of the envelope: type {command}"),
            "MAIL FROM:<wiki@example.com>",
            explain=N_("The envelope is not the mail: MAIL FROM and RCPT TO tell the server where to deliver."),
        ),
        Step(
            N_("Name the recipient: type {command}"),
            "RCPT TO:<bob@example.com>",
            explain=N_("250: bob is an account here. The Mailbox tab now follows bob@example.com."),
        ),
        Step(
            N_("Ask to send the mail itself: type {command}"),
            "DATA",
            explain=N_("354: now the lines of the mail follow, header and body, until a line with only a dot."),
        ),
        Step(
            N_("Type a header line such as Subject: Hello Bob, an empty line, a text line, and then {command}"),
            ".",
            explain=N_("250: delivered. The mail is in bob's mailbox (see the Mailbox tab), with a Received: line."),
        ),
        Step(N_("End the SMTP session: type {command}"), "QUIT", explain=N_("221: the server closes the connection.")),
        Step(
            N_("Back to POP3: press Ctrl+O again (or type /pop3)"),
            action="pop3",
            explain=N_("A new POP3 connection to the same server: the greeting starts with +OK again."),
        ),
        *_login("bob@example.com", "builder"),
        Step(
            N_("Fetch the mail you sent: type {command}"),
            "RETR 1",
            explain=N_(
                "On top: the Received: line the SMTP server added, then your header and text, as you typed them."
            ),
        ),
        Step(N_("Delete it: type {command}"), "DELE 1", explain=N_("Marked; it goes when the session ends with QUIT.")),
        Step(
            N_("End the session: type {command}"), "QUIT", explain=N_("UPDATE: the mail has left bob's mailbox again.")
        ),
    ),
)

LESSONS: tuple[Lesson, ...] = (SEED, LISTING, UPDATE, DROPPED, TLS, APOP, JOURNEY)


def lesson(key: str) -> Lesson:
    for candidate in LESSONS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
