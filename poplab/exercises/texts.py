"""Every learner-facing text of the exercises, in one place.

Two kinds of text: :class:`Text` comes from an exercise file (a teacher wrote both languages), :class:`Message`
is a text of the check engine or the command line, written in English (every one of them is listed in
:data:`ENGINE_TEXTS`, so the catalog tool finds it) and translated through :mod:`poplab.i18n`; the German is in
``poplab/locale/de/LC_MESSAGES/poplab.po``. Both render with ``render(lang)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from poplab.i18n import N_, resolve_language, translator


@dataclass(frozen=True)
class Text:
    """A text an exercise file gives in both languages (German may be missing: English is used then)."""

    en: str
    de: str = ""

    def render(self, lang: str | None = None) -> str:
        return self.de if resolve_language(lang) == "de" and self.de else self.en


@dataclass(frozen=True)
class Message:
    """An engine text: an English msgid with ``{names}`` and the values to fill in."""

    msgid: str
    values: tuple[tuple[str, str], ...] = ()

    def render(self, lang: str | None = None) -> str:
        return _fill(translator(lang).catalog.gettext(self.msgid), dict(self.values))


Say = Text | Message


def msg(msgid: str, **values: object) -> Message:
    """A :class:`Message`; values are kept as text so a result can be stored and rendered later."""
    return Message(msgid, tuple((key, _show(value)) for key, value in values.items()))


def both(make: Callable[[str], Message]) -> Text:
    """A :class:`Text` in both languages from a message whose values depend on the language."""
    return Text(make("en").render("en"), make("de").render("de"))


def _show(value: object) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(item) for item in value)
    return str(value)


def _fill(text: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


# ---- every engine text (the German is in poplab.po) ----------------------------------------------------

ENGINE_TEXTS: tuple[str, ...] = (
    # results
    N_("Exercise {id}: {title}"),
    N_("not yet"),
    N_("All checks pass — well done!"),
    N_("{passed} of {total} checks pass."),
    N_("Hint {number} of {count}: {hint}"),
    # answers
    N_("Your answer '{answer}' is right."),
    N_("Your answer '{answer}' is not right."),
    N_("This exercise asks for an answer: {question}"),
    N_("Give your answer with --answer (or check(answer=...))."),
    # sessions and logins
    N_("The server has seen no session yet: connect to port {port} and log in as {account}."),
    N_("No session logged in as {account} yet."),
    N_("Session {session} logged in as {account} with {mechanism}."),
    N_("Session {session} logged in with {mechanism}, not with {expected}."),
    N_("No login with {expected} yet."),
    N_("Session {session} logged in over TLS ({how})."),
    N_("No login over TLS yet (the way asked for: {how})."),
    N_("No password crossed the wire in clear text."),
    N_("Session {session} sent {verb} without TLS: the password crossed the wire in clear text."),
    N_("A login as {account} was refused: {reason}."),
    N_("No login as {account} has been refused for this reason yet: {reason}."),
    # commands
    N_("{command} was answered +OK in session {session}."),
    N_("No {command} answered +OK yet."),
    N_("{command} was never used — as asked."),
    N_("{command} was used in session {session}, but this exercise asks you not to."),
    N_("Session {session} sent {sequence} in this order."),
    N_("No session sent {sequence} in this order yet."),
    N_("Session {session} ran without a single -ERR."),
    N_("Every session that logged in got at least one -ERR (session {session}: {command})."),
    N_("A reply carried the response code [{code}] (session {session})."),
    N_("No reply has carried the response code [{code}] yet."),
    # messages
    N_("Message {numbers} downloaded with RETR."),
    N_("Not downloaded yet: message {numbers}."),
    N_("No RETR of message {numbers} — as asked."),
    N_("Message {numbers} was downloaded with RETR (session {session}), but this exercise asks you not to."),
    N_("Session {session} downloaded all {count} messages."),
    N_("No single session downloaded every message yet (best: {got} of {count})."),
    N_("Message {number} was read (RETR or TOP) in session {session}."),
    N_("Message {number} has not been read yet (RETR or TOP)."),
    N_("Message {numbers} deleted and committed by QUIT (session {session})."),
    N_(
        "Message {numbers} was marked with DELE, but no QUIT committed it "
        "(session {session} ended without QUIT, so the server removed nothing)."
    ),
    N_("Message {numbers} has not been deleted and committed yet."),
    N_("Session {session} marked messages with DELE and ended without QUIT."),
    N_("No session has marked a message with DELE and then ended without QUIT yet."),
    N_("Session {session} logged in again after the dropped session {dropped} and looked with {command}."),
    N_("After the dropped session, log in again and look with STAT or LIST."),
    N_("The last session that logged in (session {session}) ended with QUIT."),
    N_("The last session that logged in (session {session}) ended without QUIT."),
    # mailbox
    N_("Messages in the maildrop now: {count}, as asked."),
    N_("Messages in the maildrop now: {count}; the exercise asks for {expected}."),
    N_("Every message is still in the maildrop."),
    N_("Message {numbers} is gone from the maildrop, but this exercise asks you to keep every message."),
    N_("Exactly message {numbers} is gone; everything else is kept."),
    N_("Message {numbers} is still in the maildrop."),
    N_("Message {numbers} is gone too, but only {expected} should be."),
    N_("POP3 access of {account} is switched off."),
    N_("POP3 access of {account} is still switched on."),
    N_("There is no account {account}."),
    N_("No session has logged in again after a dropped session and looked with STAT or LIST."),
    # default hints of the checks
    N_("Log in with USER {account} and PASS, then try the commands of the TRANSACTION state."),
    N_("Send {command} after logging in and read the reply."),
    N_("Start the exercise afresh (poplab exercise reset) and solve it without {command}."),
    N_("RETR n downloads message n; TOP n 0 shows only its headers."),
    N_("DELE only marks a message; the server removes it when the session ends with QUIT."),
    N_("End your sessions with QUIT: only QUIT moves a session into the UPDATE state."),
    N_("Start TLS before you send a password: STLS on the POP3 port, or connect to the POP3S port."),
    N_("Read each -ERR: it says what was wrong. Then try again in a new session."),
    N_("Start the exercise afresh (poplab exercise reset) to get the original mailbox back."),
    N_("Switch POP3 off for the account: poplab accounts set NAME --pop-enabled false --data DIR."),
    N_("Download every message in one session: LIST tells you how many there are."),
    N_(
        "Mark messages with DELE, then cut the connection: close the window, or in telnet press Ctrl-] and then "
        "type close (or quit)."
    ),
    # the command line
    N_("Checks ({points} points):"),
    N_("Start it with: poplab exercise start {id}"),
    N_("POP3 on {host}:{port} (STLS available)"),
    N_("POP3S (implicit TLS) on {host}:{port}"),
    N_("Account: {account}  Password: {password}"),
    N_("Work in the terminal tutor: poplab tutor {host} {port}"),
    N_("Check your work in another terminal: poplab exercise check {id}"),
    N_("Press Ctrl-C to stop the server."),
    N_("Session {session} ended ({end}): {passed} of {total} checks pass."),
    N_("Stopped. Check your work with: poplab exercise check {id}"),
    N_("The server has recorded no finished session yet."),
    N_("Progress in exercise {id} forgotten. Start it again for a fresh mailbox."),
    # the classroom
    N_("student"),
    N_("done"),
    N_("points"),
    N_("exercise (✓ done)"),
    N_("✓ done, ✗ tried, not done yet, · not tried; the number is the sessions, the time when it was first done."),
    N_("Classroom: {students} students, {exercises} exercises; the handout is {path}"),
    N_("Logins: <login prefix>-<NN>, e.g. {example}; the report: poplab classroom report"),
    N_("Stopped; the results are kept in {path}."),
    N_("Notebook self-checks from JupyterHub: POST http://{host}:{port}/progress"),
    N_("SMTP on {host}:{port} (log in with AUTH before MAIL FROM)"),
    N_("session {session} ended ({end}); {state}, sessions so far: {attempts}"),
    N_("SMTP session {session} ended ({end}); {state}, sessions so far: {attempts}"),
    N_("CSV written to {path}"),
    N_("Page written to {path}"),
    N_("{student}: fresh mailboxes and no sessions in exercise {ids}"),
    # variants: a check does not name the messages the task leaves the learner to find
    N_("Not every message the task asks for has been downloaded yet."),
    N_("None of these messages was downloaded with RETR — as asked."),
    N_("The message the task asks about has not been read yet (RETR or TOP)."),
    N_("The whole message has not been read yet: TOP n 0 sends only its headers, RETR all of it."),
    N_("The message the task asks for has not been deleted and committed yet."),
    N_("Message {numbers} is gone, but the task did not ask for it."),
    N_("The message the task asks for is still in the maildrop."),
    # the journey of a mail: SMTP in, POP3 out
    N_("SMTP session {session} delivered a message to {account} (MAIL FROM:<{sender}>)."),
    N_("A message reached {account}, but from <{sender}>, not from <{expected}>."),
    N_("The SMTP server has seen no session yet."),
    N_("SMTP session {session} sent a message, but the server answered: {reply}"),
    N_("No SMTP session has delivered a message to {account} yet."),
    N_("No POP3 session of {account} has seen a new message yet."),
    N_("Session {session} downloaded the new message with RETR."),
    N_("The new message has not been downloaded with RETR yet."),
    N_("Session {session} deleted the new message and QUIT committed it."),
    N_("Session {session} marked the new message with DELE but ended without QUIT: it is still there."),
    N_("The new message has not been deleted and committed yet."),
    N_(
        "Connect to the SMTP port and send EHLO, MAIL FROM:<...>, RCPT TO:<{account}>, DATA, the message and a line "
        "with only a dot; the server answers 250 when it has delivered the mail."
    ),
    N_(
        "Log in as {account} after the mail was delivered (a session that was already logged in does not see new "
        "mail), find it with LIST or STAT — it is the last one — and download it with RETR."
    ),
    N_("SMTP on {host}:{port} (STARTTLS available)"),
    # RSET
    N_("Session {session} marked message {numbers}, took the marks back with RSET and ended with QUIT."),
    N_("Session {session} took the marks back with RSET but ended without QUIT."),
    N_("No session has marked message {numbers} with DELE and then taken the marks back with RSET yet."),
)
