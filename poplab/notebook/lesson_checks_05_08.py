"""The self-checks of lessons 05–08 (security, POP3 next to IMAP, administering, your own client): logins through
an eavesdropper, APOP, answers about the protocol, account settings, and the learner's own client code — run with
a timeout on the task's own copy of the demo mailboxes."""

from __future__ import annotations

import socket

from poplab.notebook import texts
from poplab.notebook.eavesdrop import Eavesdropper
from poplab.notebook.lesson_check import CHECK_SECONDS, Context, LearnerFailed, task
from poplab.notebook.lesson_checks_01_04 import ALICE, WIKI, said
from poplab.notebook.place import security_of
from poplab.notebook.session import LabSession
from poplab.notebook.verdict import Both, Outcome
from poplab.protocol.octets import to_crlf
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS
from poplab.store.demo import demo_accounts

# ---- 05 · security ------------------------------------------------------------------------------------------


@task("05-1", "choice")
def login_unread(context: Context) -> Outcome:
    choice = context["choice"]
    if choice not in (False, True, "stls"):
        return Outcome(False, Both('Choose False, True or "stls".', 'Wähle False, True oder "stls".'))
    copy = context.lab.sandbox("05-1", fresh=True)
    tap = Eavesdropper(context.lab, copy.host, copy.tls_port if choice is True else copy.port, choice is True)
    tap.start()
    try:
        context_tls = copy.tls_context() if choice else None
        session = LabSession.open(copy, copy.host, tap.port, security_of(choice), context_tls)
        exchange = session.login(*WIKI)
        logged_in = session.state is State.TRANSACTION
        session.quit()
    finally:
        tap.close()
    passed = logged_in and not tap.saw(WIKI[1])
    hint = Both(
        "The eavesdropper read the password. Which settings encrypt before the login?",
        "Der Lauscher hat das Passwort gelesen. Welche Einstellungen verschlüsseln vor der Anmeldung?",
    )
    return Outcome(passed, hint, (), said(exchange), (), (tap,))


@task("05-2", "apop_digest")
def apop_login(context: Context) -> Outcome:
    function = context["apop_digest"]
    copy = context.lab.sandbox("05-2", fresh=True, apop=True)
    session = copy.session()
    timestamp = session.greeting.text.split()[-1]
    digest = context.call(function, timestamp, "tanstaaf")
    if not isinstance(digest, str) or not digest.isprintable():
        session.drop()
        raise LearnerFailed(Both("Return the digest as text.", "Gib den Digest als Text zurück.").render(context.lang))
    exchange = session.send(f"APOP mrose@example.com {digest}"[:200])
    session.drop()
    hint = Both(
        "The timestamp (with its angle brackets) comes first, then the secret; hexdigest() gives the 32 hex digits.",
        "Zuerst kommt der Zeitstempel (mit spitzen Klammern), dann das Geheimnis; hexdigest() liefert die 32 "
        "Hexadezimalziffern.",
    )
    return Outcome(
        exchange.ok is True, hint, (f"APOP mrose@example.com {digest}"[:80],), said(exchange), (), (exchange,)
    )


# ---- 06 · POP3 next to IMAP ---------------------------------------------------------------------------------


@task("06-1", "laptop_can_tell")
def no_read_flag(context: Context) -> Outcome:
    answer = context["laptop_can_tell"]
    if answer not in (True, False):
        return Outcome(False, Both("Answer True or False.", "Antworte mit True oder False."))
    hint = Both(
        "Look again: the listing has only numbers and ids. POP3 has no 'read' flag; IMAP has \\Seen.",
        "Sieh noch einmal hin: Die Liste hat nur Nummern und Kennungen. POP3 kennt kein 'gelesen'-Merkmal; "
        "IMAP hat \\Seen.",
    )
    return Outcome(answer is False, hint)


CANDIDATES = ("SELECT", "RETR", "MOVE", "DELE", "STORE", "UIDL", "FETCH", "TOP")


@task("06-2", "pop3")
def pop3_commands(context: Context) -> Outcome:
    chosen = context["pop3"]
    if not isinstance(chosen, set):
        hint = Both(
            'Write a set of texts, e.g. {"NOOP", "QUIT"}.', 'Schreibe eine Menge von Texten, z. B. {"NOOP", "QUIT"}.'
        )
        return Outcome(False, hint)
    right = set(CANDIDATES) & set(COMMANDS)
    wrong = sorted(word for word in (chosen ^ right) if isinstance(word, str) and word in CANDIDATES)
    exchanges = []
    if wrong:
        copy = context.lab.sandbox("06-2", fresh=True)
        session = copy.session("bob@example.com")
        exchanges = [session.send(word) for word in wrong]
        session.drop()
    hint = Both(
        "Send each word to the server with phone.send(...): POP3 commands do not get 'unknown command'.",
        "Sende jedes Wort mit phone.send(...) an den Server: POP3-Befehle bekommen kein 'unknown command'.",
    )
    sent = tuple(wrong)
    return Outcome(
        chosen == right, hint, sent, tuple(f"{w}: {s}" for w, s in zip(sent, said(*exchanges), strict=False))
    )


# ---- 07 · administering POP ---------------------------------------------------------------------------------


@task("07-1", "enabled")
def enabled_accounts(context: Context) -> Outcome:
    enabled = context["enabled"]
    if not isinstance(enabled, list):
        return Outcome(False, Both("Give a list of names.", "Gib eine Liste von Namen an."))
    now = {a.name for a in context.lab.store.accounts() if a.pop_enabled}
    demo = {a.name for a in demo_accounts() if a.pop_enabled}
    hint = Both(
        "Keep exactly the accounts whose POP setting is on (carol's is off).",
        "Behalte genau die Konten, deren POP-Einstellung an ist (die von carol ist aus).",
    )
    return Outcome(set(enabled) in (now, demo), hint)


DAVE = ("dave@example.com", "bigfiles")


@task("07-2")
def dave_switched_off(context: Context) -> Outcome:
    lab = context.lab
    restored = []
    for account in demo_accounts():
        found = lab.store.account(account.name)
        if account.pop_enabled and account.name != DAVE[0] and found is not None and not found.pop_enabled:
            lab.set_pop_enabled(account.name, True)
            restored.append(account.name)
    session = lab.session()
    try:
        session.send(f"USER {DAVE[0]}")
        exchange = session.send(f"PASS {DAVE[1]}")
    finally:
        session.drop()
    hint = Both(
        "dave can still log in: lab.set_pop_enabled takes the account's name and False.",
        "dave kann sich noch anmelden: lab.set_pop_enabled nimmt den Namen des Kontos und False.",
    )
    notes = (context.t(texts.CHECK_RESTORED, accounts=", ".join(restored)),) if restored else ()
    return Outcome(exchange.ok is False, hint, (f"USER {DAVE[0]}", "PASS …"), said(exchange), notes, (exchange,))


# ---- 08 · your own client ------------------------------------------------------------------------------------


@task("08-1", "download_all")
def poplib_download(context: Context) -> Outcome:
    function = context["download_all"]
    copy = context.lab.sandbox("08-1", fresh=True)
    mine = context.call(function, copy.host, copy.port, *ALICE)
    server = {uid: to_crlf(data) for uid, data in copy.stored(ALICE[0]).items()}
    if len(server) != 6:
        return Outcome(False, Both("Your client deleted mail!", "Dein Client hat Mails gelöscht!"))
    if not isinstance(mine, dict) or set(mine) != set(server):
        hint = Both(
            "Return one entry per UIDL id, with the ids as text.",
            "Gib einen Eintrag pro UIDL-Kennung zurück, die Kennungen als Text.",
        )
        return Outcome(False, hint)
    hint = Both(
        "The ids are right, but some messages differ from the server's bytes (join the lines with CR LF and end "
        "with CR LF).",
        "Die Kennungen stimmen, aber manche Nachrichten weichen von den Bytes des Servers ab (verbinde die Zeilen mit "
        "CR LF und ende mit CR LF).",
    )
    return Outcome(mine == server, hint, (), (), (context.t(texts.CHECK_FRESH_COPY),))


@task("08-2", "command")
def socket_command(context: Context) -> Outcome:
    function = context["command"]
    copy = context.lab.sandbox("08-2", fresh=True)
    sock = socket.create_connection((copy.host, copy.port), timeout=CHECK_SECONDS)
    try:
        wire = sock.makefile("rb")
        wire.readline()
        user = context.call(function, sock, wire, f"USER {WIKI[0]}")
        password = context.call(function, sock, wire, f"PASS {WIKI[1]}")
        stat = context.call(function, sock, wire, "STAT")
        expected = copy.mailbox(WIKI[0])
        context.call(function, sock, wire, "QUIT")
    finally:
        sock.close()
    replies = tuple(str(reply) or repr(reply) for reply in (user, password, stat))
    if not (str(user).startswith("+OK") and str(password).startswith("+OK")):
        hint = Both(
            "The login did not get +OK. Did you add CR LF and strip the line end?",
            "Die Anmeldung bekam kein +OK. Hast du CR LF angehängt und das Zeilenende entfernt?",
        )
        return Outcome(False, hint, (f"USER {WIKI[0]}", "PASS …", "STAT"), replies)
    hint = Both(
        "STAT should give +OK, the number of messages and their octets, as text without the line end.",
        "STAT sollte +OK, die Zahl der Nachrichten und ihre Oktette liefern, als Text ohne Zeilenende.",
    )
    passed = stat == f"+OK {len(expected)} {expected.octets}"
    return Outcome(passed, hint, (f"USER {WIKI[0]}", "PASS …", "STAT"), replies)
