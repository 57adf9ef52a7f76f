"""The self-checks of lessons 01–04 (the first session, listing and reading, deleting, under the hood). Each runs
on the task's own fresh copy of the demo mailboxes (:meth:`Lab.sandbox`), so a wrong try costs nothing; a
console task is checked on what the server saw in that task's console."""

from __future__ import annotations

import socket
from collections.abc import Sequence

from poplab.notebook import texts
from poplab.notebook.exchange import Exchange
from poplab.notebook.lesson_check import CHECK_SECONDS, Context, LearnerFailed, task
from poplab.notebook.session import LabSession
from poplab.notebook.verdict import Both, Outcome
from poplab.protocol.client import ServerReply
from poplab.protocol.states import State
from poplab.store.memory import MemoryStore

WIKI = ("wiki@example.com", "passwort_im_klartext")
ALICE = ("alice@example.com", "wonderland")
DOT_SUBJECT = "Lines that begin with a dot"


def as_text(context: Context, name: str, example: str = '"NOOP"') -> str:
    value = context[name]
    if not isinstance(value, str):
        raise LearnerFailed(
            Both(
                f"Write {name} as text in quotes, e.g. {example}.",
                f"Schreibe {name} als Text in Anführungszeichen, z. B. {example}.",
            ).render(context.lang)
        )
    return value


def said(*exchanges: Exchange) -> tuple[str, ...]:
    return tuple(ex.status or ex.problem for ex in exchanges if ex.status or ex.problem)


def console_session(context: Context, ident: str) -> LabSession:
    console = context.lab.consoles.get(ident)
    if console is None:
        raise LearnerFailed(context.t(texts.CHECK_NO_CONSOLE))
    session: LabSession = console.session
    return session


def answered(session: LabSession, verb: str, *args: str) -> ServerReply | None:
    """The last +OK reply to ``verb`` with exactly these arguments (any case) in the session, or None."""
    for reply in reversed(session.replies):
        command = reply.command
        if command is None or command.verb != verb or not reply.ok:
            continue
        if not args or tuple(a.lower() for a in command.args) == tuple(a.lower() for a in args):
            return reply
    return None


def last_said(session: LabSession) -> tuple[str, ...]:
    if not session.replies:
        return ()
    return (session.replies[-1].status_line.rstrip(b"\r\n").decode("utf-8", "replace"),)


def missing_steps(session: LabSession, steps: Sequence[tuple[str, ...]]) -> list[str]:
    return [" ".join(step) for step in steps if answered(session, step[0], *step[1:]) is None]


# ---- 01 · the first session ------------------------------------------------------------------------------


@task("01-1", "command")
def first_stat(context: Context) -> Outcome:
    command = as_text(context, "command")
    copy = context.lab.sandbox("01-1", fresh=True)
    session = copy.session(WIKI[0])
    exchange = session.send(command)
    session.drop()
    command_sent = exchange.reply.command if exchange.reply is not None else None
    passed = exchange.ok is True and command_sent is not None and command_sent.verb == "STAT"
    hint = Both(
        "The command has four letters; its reply is +OK, the number of messages and their size in octets.",
        "Der Befehl hat vier Buchstaben; seine Antwort ist +OK, die Zahl der Nachrichten und ihre Größe in Oktetten.",
    )
    return Outcome(passed, hint, (command,), said(exchange), (), (exchange,))


@task("01-2", "command")
def first_quit(context: Context) -> Outcome:
    command = as_text(context, "command")
    copy = context.lab.sandbox("01-2", fresh=True)
    session = copy.session(WIKI[0])
    session.send("DELE 1")
    exchange = session.send(command)
    session.drop()
    passed = exchange.state_after is State.UPDATE and len(copy.mailbox(WIKI[0])) == 0
    hint = Both(
        "Only one command ends the session and enters the UPDATE state, where marked messages are removed "
        "(RSET would take the mark back).",
        "Nur ein Befehl beendet die Sitzung und führt in den Zustand UPDATE, in dem markierte Nachrichten entfernt "
        "werden (RSET nähme die Markierung zurück).",
    )
    note = context.t(texts.CHECK_FRESH_COPY)
    return Outcome(passed, hint, ("DELE 1", command), said(exchange), (note,), (exchange,))


SEED = (("USER", WIKI[0]), ("PASS",), ("STAT",), ("LIST",), ("RETR", "1"), ("DELE", "1"), ("QUIT",))


@task("01-3")
def seed_session(context: Context) -> Outcome:
    session = console_session(context, "01-3")
    missing = missing_steps(session, SEED)
    copy = context.lab.sandboxes["01-3"]
    passed = not missing and len(copy.mailbox(WIKI[0])) == 0
    hint = Both(
        "The server has not yet answered +OK to: "
        + ", ".join(missing or ["QUIT"])
        + ". Type them into the console (or run the console cell again for a fresh session).",
        "Der Server hat noch nicht mit +OK geantwortet auf: "
        + ", ".join(missing or ["QUIT"])
        + ". Tippe sie in die Konsole (oder führe die Konsolen-Zelle noch einmal aus für eine frische Sitzung).",
    )
    return Outcome(passed, hint, (), last_said(session))


# ---- 02 · listing and reading -------------------------------------------------------------------------------


@task("02-1", "largest")
def largest_message(context: Context) -> Outcome:
    largest = context["largest"]
    copy = context.lab.sandbox("02-1", fresh=True)
    sizes = {row.number: row.octets for row in copy.mailbox(ALICE[0]).rows}
    hint = Both(
        "Look at the second column of LIST, the size in octets, and write the number as a number (no quotes).",
        "Schau auf die zweite Spalte von LIST, die Größe in Oktetten, und schreibe die Nummer als Zahl (ohne "
        "Anführungszeichen).",
    )
    if not isinstance(largest, int) or isinstance(largest, bool):
        return Outcome(False, hint)
    session = copy.session(ALICE[0])
    exchange = session.send(f"LIST {largest}")
    session.drop()
    return Outcome(largest == max(sizes, key=sizes.__getitem__), hint, (f"LIST {largest}",), said(exchange))


@task("02-2")
def uidl_and_top(context: Context) -> Outcome:
    session = console_session(context, "02-2")
    missing = missing_steps(session, (("UIDL", "3"),))
    top = answered(session, "TOP", "4", "0")
    if top is None:
        missing.append("TOP …")
    hint = Both(
        "The server has not yet answered +OK to: " + ", ".join(missing) + ". UIDL with a message number answers "
        "in one line; TOP takes the message number and the number of body lines.",
        "Der Server hat noch nicht mit +OK geantwortet auf: " + ", ".join(missing) + ". UIDL mit einer "
        "Nachrichtennummer antwortet in einer Zeile; TOP nimmt die Nachrichtennummer und die Zahl der Textzeilen.",
    )
    return Outcome(not missing, hint, (), last_said(session))


# ---- 03 · deleting and UPDATE ---------------------------------------------------------------------------------


@task("03-1", "command")
def take_mark_back(context: Context) -> Outcome:
    command = as_text(context, "command")
    copy = context.lab.sandbox("03-1", fresh=True)
    session = copy.session(ALICE[0])
    session.send("DELE 1")
    exchange = session.send(command)
    marked = copy.mailbox(ALICE[0]).marked if not session.closed else [1]
    session.drop()
    verb = exchange.reply.command.verb if exchange.reply is not None and exchange.reply.command else None
    passed = exchange.ok is True and verb == "RSET" and marked == []
    hint = Both(
        "The server still has a mark (or the session ended). The command has four letters and starts with R.",
        "Der Server hat noch eine Markierung (oder die Sitzung ist beendet). Der Befehl hat vier Buchstaben und "
        "beginnt mit R.",
    )
    return Outcome(passed, hint, ("DELE 1", command), said(exchange), (context.t(texts.CHECK_FRESH_COPY),))


@task("03-2", "commands")
def delete_for_good(context: Context) -> Outcome:
    commands = context["commands"]
    if not isinstance(commands, list) or not all(isinstance(line, str) for line in commands):
        hint = Both(
            'Write a list of texts, e.g. ["NOOP", "NOOP"].', 'Schreibe eine Liste von Texten, z. B. ["NOOP", "NOOP"].'
        )
        return Outcome(False, hint)
    copy = context.lab.sandbox("03-2", fresh=True)
    before = {row.subject: row.uid for row in copy.mailbox(ALICE[0]).rows}
    session = copy.session(ALICE[0])
    exchanges = [session.send(line) for line in commands[:20]]
    session.drop()
    after = {row.uid for row in copy.mailbox(ALICE[0]).rows}
    passed = before[DOT_SUBJECT] not in after and len(after) == len(before) - 1
    hint = Both(
        "Exactly message 3 should be gone from the server. Did the session end with the command that enters UPDATE?",
        "Genau Nachricht 3 sollte vom Server verschwunden sein. Endete die Sitzung mit dem Befehl, der in den "
        "Zustand UPDATE führt?",
    )
    note = context.t(texts.CHECK_FRESH_COPY)
    return Outcome(passed, hint, tuple(commands[:20]), said(*exchanges), (note,))


MARK_AND_UNDO = (("DELE", "2"), ("DELE", "5"), ("RSET",), ("DELE", "6"), ("QUIT",))


@task("03-3")
def mark_undo_delete(context: Context) -> Outcome:
    session = console_session(context, "03-3")
    copy = context.lab.sandboxes["03-3"]
    demo = list(MemoryStore.with_demo().stored(ALICE[0]))
    missing = missing_steps(session, MARK_AND_UNDO)
    left = set(copy.stored(ALICE[0]))
    passed = not missing and demo[5] not in left and len(left) == 5
    hint = Both(
        "Not yet answered +OK: "
        + (", ".join(missing) or "—")
        + ". In the end only message 6 should be gone. Run the console cell again for a fresh copy.",
        "Noch ohne +OK: "
        + (", ".join(missing) or "—")
        + ". Am Ende sollte nur Nachricht 6 fehlen. Führe die Konsolen-Zelle noch einmal aus für eine frische Kopie.",
    )
    return Outcome(passed, hint, (), last_said(session))


# ---- 04 · under the hood ------------------------------------------------------------------------------------


@task("04-1", "octets")
def subject_octets(context: Context) -> Outcome:
    octets = context["octets"]
    hint = Both(
        "Count every character of the line, the space included, and then the bytes of the line end.",
        "Zähle jedes Zeichen der Zeile, das Leerzeichen mit, und dann die Bytes des Zeilenendes.",
    )
    return Outcome(octets == len(b"Subject: Test-E-Mail\r\n") and not isinstance(octets, bool), hint)


@task("04-2", "on_the_wire")
def stuffed_line(context: Context) -> Outcome:
    value = context["on_the_wire"]
    if not isinstance(value, bytes):
        return Outcome(
            False,
            Both('Write bytes: b"..." with the line end \\r\\n.', 'Schreibe Bytes: b"..." mit dem Zeilenende \\r\\n.'),
        )
    copy = context.lab.sandbox("04-2", fresh=True)
    session = copy.session(ALICE[0])
    exchange = session.send("RETR 3")
    session.drop()
    wire = [line.raw for line in exchange.lines]
    hint = Both(
        "One dot from the message, one from the stuffing, then CR LF.",
        "Ein Punkt aus der Nachricht, einer vom Stuffing, dann CR LF.",
    )
    return Outcome(value == b"..\r\n" and value in wire, hint)


@task("04-3", "read_multiline")
def multiline_reader(context: Context) -> Outcome:
    function = context["read_multiline"]
    copy = context.lab.sandbox("04-3", fresh=True)
    reference = copy.session(ALICE[0])
    expected = reference.send("RETR 3").body
    reference.quit()
    sock = socket.create_connection((copy.host, copy.port), timeout=CHECK_SECONDS)
    try:
        wire = sock.makefile("rb")
        wire.readline()
        for line in (f"USER {ALICE[0]}", f"PASS {ALICE[1]}", "RETR 3"):
            sock.sendall(line.encode() + b"\r\n")
            wire.readline()
        mine = context.call(function, wire)
    finally:
        sock.close()
    hint = Both(
        "Your function should return exactly the message poplab's client got: every line up to (not including) the "
        "line b'.\\r\\n', each line with its CR LF, the stuffed dot removed.",
        "Deine Funktion sollte genau die Nachricht liefern, die poplabs Client bekam: jede Zeile bis zur Zeile "
        "b'.\\r\\n' (ohne sie), jede Zeile mit ihrem CR LF, der eingefügte Punkt entfernt.",
    )
    return Outcome(mine == expected, hint)
