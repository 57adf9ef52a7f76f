"""Every explanation reads correctly when a command's argument is missing, empty or no number: ``RETR`` is never
explained as "RETR  asks for the whole of message ." — in English and German, for every verb of the one command
table, in both states, whatever the server answers."""

from __future__ import annotations

import itertools
import re

import pytest

from poplab.annotate import Annotation, annotate
from poplab.protocol.table import COMMANDS
from poplab.transcript import Transcript

AUTHORIZATION = "S: +OK ready <1896.697170952@dbc.mtview.ca.us>\n"
TRANSACTION = "S: +OK ready\nC: USER alice\nS: +OK\nC: PASS secret\nS: +OK in\n"
ARGUMENTS = ("", " ", " x", " abc def", " 1 x", " x 1", " 0", " 1", " 1 2 3", " 99999999999999999999999")
"""No argument, an empty one (``RETR ``), junk, too many, a number too long to be one."""
REPLIES = (
    "+OK",
    "-ERR no",
    "+OK 1 abc",
    "+OK\nS: .",
    "+OK\nS: 1 120\nS: .",
    "+OK\nS: Subject: a\nS: \nS: body\nS: .",
    "+OK\nS: cut off",
)
"""One-line answers (bare, and as LIST/UIDL give them), empty and full multi-line bodies, and a cut-off one."""
BROKEN = re.compile(
    r"""
      \ \ | ^\s | \s$ | ^$         # a double space, an empty placeholder at either end, an empty text
    | \s\.(?![.\w])                # " ." — e.g. "message ."
    | \s[,;:?!)]                   # a blank before punctuation: an empty value in the middle
    | [{}]                         # a placeholder left unfilled
    | '' | \(\s*\)                 # empty quotes or brackets
    | (message|Nachricht)\s+[?.]  # "message ?" / "Nachricht ."
    """,
    re.VERBOSE,
)


def texts(annotation: Annotation) -> list[str]:
    out = [annotation.summary, annotation.detail, *(finding.text for finding in annotation.findings)]
    if annotation.why is not None:
        out += [annotation.why.reason, annotation.why.hint]
    return out


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("verb", list(COMMANDS))
def test_no_explanation_has_a_hole_whatever_the_argument(verb: str, lang: str) -> None:
    broken = []
    for head, argument, reply in itertools.product((AUTHORIZATION, TRANSACTION), ARGUMENTS, REPLIES):
        line = f"{verb}{argument}"
        for annotation in annotate(Transcript.from_text(f"{head}C: {line}\nS: {reply}\n"), lang):
            broken += [(line, reply, text) for text in texts(annotation) if BROKEN.search(text)]
    assert broken == []


def test_the_check_itself_finds_what_the_defect_looked_like() -> None:
    for text in ("RETR  asks for the whole of message .", "USER names the mailbox to log in to: .", "Message ?: 3"):
        assert BROKEN.search(text), text
    for text in ("Message numbers are 1, 2, 3 ...", "(STAT, LIST, RETR, DELE ...) are valid", "RETR 1 asks for it."):
        assert not BROKEN.search(text), text


def command(line: str, lang: str, head: str = TRANSACTION) -> Annotation:
    annotations = annotate(Transcript.from_text(f"{head}C: {line}\n"), lang)
    return [annotation for annotation in annotations if annotation.direction == "C"][-1]


EXPLAINED = {
    "RETR": (
        "RETR asks for a whole message, but the message number is missing.",
        "RETR fordert eine ganze Nachricht an, aber die Nachrichtennummer fehlt.",
    ),
    "RETR ": (
        "RETR asks for a whole message, but the message number is missing.",
        "RETR fordert eine ganze Nachricht an, aber die Nachrichtennummer fehlt.",
    ),
    "RETR x": (
        "RETR asks for a whole message, but 'x' is not a message number.",
        "RETR fordert eine ganze Nachricht an, aber 'x' ist keine Nachrichtennummer.",
    ),
    "DELE": (
        "DELE marks a message as deleted, but the message number is missing.",
        "DELE markiert eine Nachricht zum Löschen, aber die Nachrichtennummer fehlt.",
    ),
    "TOP": (
        "TOP asks for the header and the first body lines of a message, but the message number and the number of "
        "lines are missing.",
        "TOP fordert den Kopf und die ersten Rumpfzeilen einer Nachricht an, aber Nachrichtennummer und Zeilenzahl "
        "fehlen.",
    ),
    "TOP 1": (
        "TOP asks for the header of message 1 and its first body lines, but the number of lines is missing.",
        "TOP fordert den Kopf von Nachricht 1 und ihre ersten Rumpfzeilen an, aber die Zeilenzahl fehlt.",
    ),
    "TOP 1 x": (
        "TOP asks for the header of message 1 and its first body lines, but 'x' is not a number of lines (0 or more).",
        "TOP fordert den Kopf von Nachricht 1 und ihre ersten Rumpfzeilen an, aber 'x' ist keine Zeilenzahl (0 oder "
        "mehr).",
    ),
    "LIST abc": (
        "LIST with an argument asks for the size of one message, but 'abc' is not a message number.",
        "LIST mit Argument fragt nach der Größe einer Nachricht, aber 'abc' ist keine Nachrichtennummer.",
    ),
    "UIDL abc": (
        "UIDL with an argument asks for the unique id of one message, but 'abc' is not a message number.",
        "UIDL mit Argument fragt nach der eindeutigen ID einer Nachricht, aber 'abc' ist keine Nachrichtennummer.",
    ),
    "UIDL": ("UIDL asks for the unique id of every message.", "UIDL fragt nach der eindeutigen ID jeder Nachricht."),
    "RETR 1": ("RETR 1 asks for the whole of message 1.", "RETR 1 fordert die ganze Nachricht 1 an."),
}
EXPLAINED_BEFORE_LOGIN = {
    "USER": (
        "USER names the mailbox to log in to, but the name is missing.",
        "USER nennt das Postfach, an dem man sich anmelden will, aber der Name fehlt.",
    ),
    "PASS": (
        "PASS sends the password for the user named with USER, but the password is missing.",
        "PASS sendet das Passwort für den mit USER genannten Benutzer, aber das Passwort fehlt.",
    ),
    "APOP": (
        "APOP logs in with a name and an MD5 digest instead of the password, but the name and the digest are missing.",
        "Mit APOP meldet man sich mit einem Namen und einem MD5-Digest statt mit dem Passwort an, aber Name und "
        "Digest fehlen.",
    ),
    "APOP x": (
        "APOP logs in as x with an MD5 digest instead of the password, but the digest is missing.",
        "APOP meldet x mit einem MD5-Digest statt mit dem Passwort an, aber der Digest fehlt.",
    ),
    " STAT": (
        "The line begins with a space, so its command keyword is empty.",
        "Die Zeile beginnt mit einem Leerzeichen, daher ist ihr Befehlswort leer.",
    ),
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_exact_explanations_of_missing_and_junk_arguments(lang: str) -> None:
    pick = 0 if lang == "en" else 1
    for line, pair in EXPLAINED.items():
        assert command(line, lang).summary == pair[pick], line
    for line, pair in EXPLAINED_BEFORE_LOGIN.items():
        assert command(line, lang, AUTHORIZATION).summary == pair[pick], line


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_server_that_accepts_a_command_without_its_number(lang: str) -> None:
    """+OK to ``DELE`` or ``RETR x`` (a broken server): the general texts, never "Message  is marked"."""
    text = TRANSACTION + "C: DELE\nS: +OK\nC: RETR x\nS: +OK\nS: hi\nS: .\n"
    annotations = annotate(Transcript.from_text(text), lang)
    dele, retr, body = annotations[6].summary, annotations[8].summary, annotations[9].summary
    if lang == "en":
        assert (dele, retr, body) == (
            "The server accepted the command.",
            "A multi-line reply follows, up to a line with a single dot.",
            "The message: 1 line, 4 octets.",
        )
    else:
        assert (dele, body) == ("Der Server hat den Befehl angenommen.", "Die Nachricht: 1 Zeile, 4 Oktette.")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_line_that_begins_with_a_space(lang: str) -> None:
    annotations = annotate(Transcript.from_text(TRANSACTION + "C:  STAT\nS: -ERR unknown command\n"), lang)
    line, reply = annotations[5:7]
    assert line.codes == ("leading-blank",) and reply.codes == ("leading-blank",)
    assert reply.why is not None
    if lang == "en":
        assert line.findings[0].text == (
            "The line begins with a space: the server sees no command keyword and will answer -ERR."
        )
        assert reply.why.reason == "The line begins with a space, so the server sees no command keyword."
        assert reply.why.hint == (
            "Type the keyword right at the start of the line; valid in TRANSACTION: CAPA, QUIT, STAT, LIST, RETR, "
            "DELE, NOOP, RSET, TOP, UIDL."
        )
    else:
        assert reply.why.reason == "Die Zeile beginnt mit einem Leerzeichen, daher sieht der Server kein Befehlswort."
