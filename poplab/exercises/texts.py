"""Every learner-facing text of the exercises in English and German, in one place.

Two kinds of text: :class:`Text` comes from an exercise file (a teacher wrote both languages), :class:`Message`
is a text of the check engine, written in English and translated through :mod:`poplab.i18n`. Until the shared
catalog holds these msgids, :data:`GERMAN` carries their German form here, so both languages work today;
moving them into ``poplab.po`` is a copy of this table. Both render with ``render(lang)``.
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
        tr = translator(lang)
        template = tr.catalog.gettext(self.msgid)
        if tr.language == "de" and template == self.msgid:
            template = GERMAN.get(self.msgid, self.msgid)
        return _fill(template, dict(self.values))


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


# ---- German for the engine's msgids (to be moved into poplab.po) ------------------------------------------

GERMAN: dict[str, str] = {
    # results
    N_("Exercise {id}: {title}"): "Übung {id}: {title}",
    N_("passed"): "bestanden",
    N_("not yet"): "noch nicht",
    N_("All checks pass — well done!"): "Alle Prüfungen bestanden – gut gemacht!",
    N_("{passed} of {total} checks pass."): "{passed} von {total} Prüfungen bestanden.",
    N_("Next hint: {hint}"): "Nächster Tipp: {hint}",
    N_("Sessions seen by the server: {count}"): "Vom Server gesehene Sitzungen: {count}",
    N_("No more hints: you have seen all {count}."): "Keine weiteren Tipps: du hast alle {count} gesehen.",
    N_("Hint {number} of {count}: {hint}"): "Tipp {number} von {count}: {hint}",
    # answers
    N_("Your answer '{answer}' is right."): "Deine Antwort '{answer}' stimmt.",
    N_("Your answer '{answer}' is not right."): "Deine Antwort '{answer}' stimmt nicht.",
    N_("This exercise asks for an answer: {question}"): "Diese Übung verlangt eine Antwort: {question}",
    N_(
        "Give your answer with --answer (or check(answer=...))."
    ): "Gib deine Antwort mit --answer an (oder check(answer=...)).",
    # sessions and logins
    N_(
        "The server has seen no session yet: connect to port {port} and log in as {account}."
    ): "Der Server hat noch keine Sitzung gesehen: verbinde dich mit Port {port} und melde dich als {account} an.",
    N_("No session logged in as {account} yet."): "Noch keine Sitzung hat sich als {account} angemeldet.",
    N_(
        "Session {session} logged in as {account} with {mechanism}."
    ): "Sitzung {session} hat sich als {account} mit {mechanism} angemeldet.",
    N_(
        "Session {session} logged in with {mechanism}, not with {expected}."
    ): "Sitzung {session} hat sich mit {mechanism} angemeldet, nicht mit {expected}.",
    N_("No login with {expected} yet."): "Noch keine Anmeldung mit {expected}.",
    N_("Session {session} logged in over TLS ({how})."): "Sitzung {session} hat sich über TLS angemeldet ({how}).",
    N_("No login over TLS yet (the way asked for: {how})."): "Noch keine Anmeldung über TLS (verlangt: {how}).",
    N_("No password crossed the wire in clear text."): "Kein Passwort ging im Klartext über die Leitung.",
    N_(
        "Session {session} sent {verb} without TLS: the password crossed the wire in clear text."
    ): "Sitzung {session} hat {verb} ohne TLS gesendet: das Passwort ging im Klartext über die Leitung.",
    N_("A login as {account} was refused: {reason}."): "Eine Anmeldung als {account} wurde abgelehnt: {reason}.",
    N_(
        "No login as {account} has been refused for this reason yet: {reason}."
    ): "Noch wurde keine Anmeldung als {account} aus diesem Grund abgelehnt: {reason}.",
    # commands
    N_("{command} was answered +OK in session {session}."): "{command} wurde in Sitzung {session} mit +OK beantwortet.",
    N_("No {command} answered +OK yet."): "Noch kein {command}, das mit +OK beantwortet wurde.",
    N_("{command} was never used — as asked."): "{command} wurde nie benutzt – wie verlangt.",
    N_(
        "{command} was used in session {session}, but this exercise asks you not to."
    ): "{command} wurde in Sitzung {session} benutzt, aber diese Übung verlangt, es nicht zu tun.",
    N_(
        "Session {session} sent {sequence} in this order."
    ): "Sitzung {session} hat {sequence} in dieser Reihenfolge gesendet.",
    N_(
        "No session sent {sequence} in this order yet."
    ): "Noch keine Sitzung hat {sequence} in dieser Reihenfolge gesendet.",
    N_("Session {session} ran without a single -ERR."): "Sitzung {session} lief ohne ein einziges -ERR.",
    N_(
        "Every session that logged in got at least one -ERR (session {session}: {command})."
    ): "Jede angemeldete Sitzung bekam mindestens ein -ERR (Sitzung {session}: {command}).",
    N_(
        "A reply carried the response code [{code}] (session {session})."
    ): "Eine Antwort trug den Response-Code [{code}] (Sitzung {session}).",
    N_("No reply has carried the response code [{code}] yet."): "Noch trug keine Antwort den Response-Code [{code}].",
    # messages
    N_("Message {numbers} downloaded with RETR."): "Nachricht {numbers} mit RETR heruntergeladen.",
    N_("Not downloaded yet: message {numbers}."): "Noch nicht heruntergeladen: Nachricht {numbers}.",
    N_("No RETR of message {numbers} — as asked."): "Kein RETR von Nachricht {numbers} – wie verlangt.",
    N_(
        "Message {numbers} was downloaded with RETR (session {session}), but this exercise asks you not to."
    ): "Nachricht {numbers} wurde mit RETR heruntergeladen (Sitzung {session}), aber diese Übung verlangt, es "
    "nicht zu tun.",
    N_("Session {session} downloaded all {count} messages."): "Sitzung {session} hat alle {count} Nachrichten geladen.",
    N_(
        "No single session downloaded every message yet (best: {got} of {count})."
    ): "Noch hat keine einzelne Sitzung alle Nachrichten geladen (bisher höchstens {got} von {count}).",
    N_(
        "Message {number} was read (RETR or TOP) in session {session}."
    ): "Nachricht {number} wurde in Sitzung {session} gelesen (RETR oder TOP).",
    N_(
        "Message {number} has not been read yet (RETR or TOP)."
    ): "Nachricht {number} wurde noch nicht gelesen (RETR oder TOP).",
    N_(
        "Message {numbers} deleted and committed by QUIT (session {session})."
    ): "Nachricht {numbers} gelöscht und mit QUIT endgültig entfernt (Sitzung {session}).",
    N_(
        "Message {numbers} was marked with DELE, but no QUIT committed it (session {session} ended without "
        "QUIT, so the server removed nothing)."
    ): "Nachricht {numbers} wurde mit DELE markiert, aber kein QUIT hat das bestätigt (Sitzung {session} endete "
    "ohne QUIT, also hat der Server nichts entfernt).",
    N_(
        "Message {numbers} has not been deleted and committed yet."
    ): "Nachricht {numbers} wurde noch nicht gelöscht und mit QUIT bestätigt.",
    N_(
        "Session {session} marked messages with DELE and ended without QUIT."
    ): "Sitzung {session} hat Nachrichten mit DELE markiert und endete ohne QUIT.",
    N_(
        "No session has marked a message with DELE and then ended without QUIT yet."
    ): "Noch hat keine Sitzung eine Nachricht mit DELE markiert und dann ohne QUIT geendet.",
    N_(
        "Session {session} logged in again after the dropped session {dropped} and looked with {command}."
    ): "Sitzung {session} hat sich nach der abgebrochenen Sitzung {dropped} wieder angemeldet und mit {command} "
    "nachgesehen.",
    N_(
        "After the dropped session, log in again and look with STAT or LIST."
    ): "Melde dich nach der abgebrochenen Sitzung wieder an und sieh mit STAT oder LIST nach.",
    N_(
        "The last session that logged in (session {session}) ended with QUIT."
    ): "Die letzte angemeldete Sitzung (Sitzung {session}) endete mit QUIT.",
    N_(
        "The last session that logged in (session {session}) ended without QUIT."
    ): "Die letzte angemeldete Sitzung (Sitzung {session}) endete ohne QUIT.",
    # mailbox
    N_("Messages in the maildrop now: {count}, as asked."): "Nachrichten im Maildrop jetzt: {count}, wie verlangt.",
    N_(
        "Messages in the maildrop now: {count}; the exercise asks for {expected}."
    ): "Nachrichten im Maildrop jetzt: {count}; die Übung verlangt {expected}.",
    N_("Every message is still in the maildrop."): "Alle Nachrichten sind noch im Maildrop.",
    N_(
        "Message {numbers} is gone from the maildrop, but this exercise asks you to keep every message."
    ): "Nachricht {numbers} ist aus dem Maildrop verschwunden, aber diese Übung verlangt, alle zu behalten.",
    N_(
        "Exactly message {numbers} is gone; everything else is kept."
    ): "Genau Nachricht {numbers} ist weg; alles andere ist noch da.",
    N_("Message {numbers} is still in the maildrop."): "Nachricht {numbers} ist noch im Maildrop.",
    N_(
        "Message {numbers} is gone too, but only {expected} should be."
    ): "Nachricht {numbers} ist auch weg, aber nur {expected} sollte es sein.",
    N_("POP3 access of {account} is switched off."): "Der POP3-Zugang von {account} ist abgeschaltet.",
    N_("POP3 access of {account} is still switched on."): "Der POP3-Zugang von {account} ist noch eingeschaltet.",
    N_("There is no account {account}."): "Es gibt kein Konto {account}.",
    N_("No session has logged in again after a dropped session and looked with STAT or LIST."): (
        "Noch hat sich keine Sitzung nach einer abgebrochenen wieder angemeldet und mit STAT oder LIST nachgesehen."
    ),
    # default hints of the checks
    N_(
        "Log in with USER {account} and PASS, then try the commands of the TRANSACTION state."
    ): "Melde dich mit USER {account} und PASS an und probiere dann die Befehle des TRANSACTION-Zustands.",
    N_(
        "Send {command} after logging in and read the reply."
    ): "Sende {command} nach der Anmeldung und lies die Antwort.",
    N_(
        "Start the exercise afresh (poplab exercise reset) and solve it without {command}."
    ): "Beginne die Übung neu (poplab exercise reset) und löse sie ohne {command}.",
    N_(
        "RETR n downloads message n; TOP n 0 shows only its headers."
    ): "RETR n lädt Nachricht n herunter; TOP n 0 zeigt nur ihre Kopfzeilen.",
    N_(
        "DELE only marks a message; the server removes it when the session ends with QUIT."
    ): "DELE markiert eine Nachricht nur; der Server entfernt sie, wenn die Sitzung mit QUIT endet.",
    N_(
        "A message marked with DELE is removed only by QUIT; RSET takes every mark back."
    ): "Eine mit DELE markierte Nachricht entfernt erst QUIT; RSET nimmt alle Markierungen zurück.",
    N_(
        "End your sessions with QUIT: only QUIT moves a session into the UPDATE state."
    ): "Beende deine Sitzungen mit QUIT: nur QUIT bringt eine Sitzung in den UPDATE-Zustand.",
    N_(
        "Start TLS before you send a password: STLS on the POP3 port, or connect to the POP3S port."
    ): "Starte TLS, bevor du ein Passwort sendest: STLS auf dem POP3-Port oder eine Verbindung zum POP3S-Port.",
    N_(
        "Look at the greeting, compute the digest and send APOP (see the task)."
    ): "Sieh dir die Begrüßung an, berechne den Digest und sende APOP (siehe Aufgabe).",
    N_(
        "Read each -ERR: it says what was wrong. Then try again in a new session."
    ): "Lies jedes -ERR: es sagt, was falsch war. Versuche es dann in einer neuen Sitzung noch einmal.",
    N_(
        "Open a second connection while the first one is still logged in."
    ): "Öffne eine zweite Verbindung, während die erste noch angemeldet ist.",
    N_(
        "Start the exercise afresh (poplab exercise reset) to get the original mailbox back."
    ): "Beginne die Übung neu (poplab exercise reset), um den ursprünglichen Maildrop zurückzubekommen.",
    N_(
        "Switch POP3 off for the account: poplab accounts set NAME --pop-enabled false --data DIR."
    ): "Schalte POP3 für das Konto ab: poplab accounts set NAME --pop-enabled false --data DIR.",
    N_(
        "Try to log in as {account} after switching POP3 off, and read the -ERR."
    ): "Versuche dich als {account} anzumelden, nachdem POP3 abgeschaltet ist, und lies das -ERR.",
    N_(
        "Download every message in one session: LIST tells you how many there are."
    ): "Lade alle Nachrichten in einer Sitzung herunter: LIST sagt dir, wie viele es sind.",
    N_(
        "Mark messages with DELE, then cut the connection (close the window or press Ctrl-] in telnet)."
    ): "Markiere Nachrichten mit DELE und kappe dann die Verbindung (Fenster schließen oder Strg-] in telnet).",
    # the command line
    N_("Checks ({points} points):"): "Prüfungen ({points} Punkte):",
    N_("Start it with: poplab exercise start {id}"): "Starte sie mit: poplab exercise start {id}",
    N_("POP3 on {host}:{port} (STLS available)"): "POP3 auf {host}:{port} (STLS verfügbar)",
    N_("POP3S (implicit TLS) on {host}:{port}"): "POP3S (implizites TLS) auf {host}:{port}",
    N_("Account: {account}  Password: {password}"): "Konto: {account}  Passwort: {password}",
    N_(
        "Check your work in another terminal: poplab exercise check {id}"
    ): "Prüfe deine Arbeit in einem anderen Terminal: poplab exercise check {id}",
    N_("Press Ctrl-C to stop the server."): "Strg-C hält den Server an.",
    N_(
        "Session {session} ended ({end}): {passed} of {total} checks pass."
    ): "Sitzung {session} beendet ({end}): {passed} von {total} Prüfungen bestanden.",
    N_(
        "Stopped. Check your work with: poplab exercise check {id}"
    ): "Angehalten. Prüfe deine Arbeit mit: poplab exercise check {id}",
    N_("The server has recorded no finished session yet."): "Der Server hat noch keine beendete Sitzung aufgezeichnet.",
    N_(
        "Progress in exercise {id} forgotten. Start it again for a fresh mailbox."
    ): "Fortschritt in Übung {id} vergessen. Starte sie neu, um einen frischen Maildrop zu bekommen.",
    # the classroom
    N_("student"): "Schüler:in",
    N_("done"): "fertig",
    N_("points"): "Punkte",
    N_("✓ done, ✗ tried, not done yet, · not tried; the number is the sessions, the time when it was first done."): (
        "✓ fertig, ✗ versucht, noch nicht fertig, · nicht versucht; die Zahl sind die Sitzungen, die Uhrzeit "
        "ist die der ersten Lösung."
    ),
    N_(
        "Classroom: {students} students, {exercises} exercises; the handout is {path}"
    ): "Klasse: {students} Schüler:innen, {exercises} Übungen; die Liste zum Austeilen ist {path}",
    N_(
        "Logins: <login prefix>-<NN>, e.g. {example}; the report: poplab classroom report"
    ): "Anmeldenamen: <Präfix>-<NN>, z. B. {example}; die Übersicht: poplab classroom report",
    N_("Stopped; the results are kept in {path}."): "Angehalten; die Ergebnisse bleiben in {path}.",
    N_(
        "session {session} ended ({end}); {state}, sessions so far: {attempts}"
    ): "Sitzung {session} beendet ({end}); {state}, Sitzungen bisher: {attempts}",
    N_("CSV written to {path}"): "CSV geschrieben nach {path}",
    N_(
        "{student}: fresh mailboxes and no sessions in exercise {ids}"
    ): "{student}: frische Maildrops und keine Sitzungen in Übung {ids}",
}
