"""A mistyped verb (``STAR``, ``RETRE``, ``LIS``, ``QUITT``): the client line gets "Did you mean STAT?" and the
hint of the server's -ERR names the same verb — in English and German, through the one annotator that the tutor,
``poplab talk`` and ``poplab annotate`` share."""

from __future__ import annotations

from pathlib import Path

import pytest

from poplab.annotate import Annotation, Severity, annotate
from poplab.annotate.spelling import suggestion
from poplab.cli import main
from poplab.protocol import rfc
from poplab.protocol.states import State
from poplab.transcript import Transcript

READY = "S: +OK ready\n"
LOGGED_IN = READY + "C: USER alice\nS: +OK\nC: PASS secret\nS: +OK in\n"
VALID_NOW = "CAPA, QUIT, STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL"


def exchange(line: str, lang: str, head: str = LOGGED_IN) -> tuple[Annotation, Annotation]:
    annotations = annotate(Transcript.from_text(f"{head}C: {line}\nS: -ERR unknown command\nC: QUIT\n"), lang)
    [sent] = [a for a in annotations if a.lines == (line,)]
    return sent, annotations[annotations.index(sent) + 1]


@pytest.mark.parametrize(
    ("typed", "meant"), [("STAR", "STAT"), ("RETRE 1", "RETR"), ("LIS", "LIST"), ("QUITT", "QUIT"), ("star", "STAT")]
)
def test_the_client_line_and_the_err_hint_name_the_verb_in_english(typed: str, meant: str) -> None:
    sent, reply = exchange(typed, "en")
    keyword = typed.split()[0]
    assert sent.summary == f"{keyword} is not a POP3 command."
    assert sent.codes == ("unknown-command", "did-you-mean")
    assert [finding.text for finding in sent.findings] == [
        f"{keyword} is not a POP3 command; the server will answer -ERR.",
        f"Did you mean {meant}?",
    ]
    assert sent.findings[1].severity is Severity.INFO
    assert reply.why is not None and reply.why.code == "unknown-command"
    assert reply.why.reason == f"The server does not know the command {keyword}."
    assert reply.why.hint == f"Did you mean {meant}? Check the spelling; valid in TRANSACTION: {VALID_NOW}."


def test_in_german() -> None:
    sent, reply = exchange("STAR", "de")
    assert [finding.text for finding in sent.findings] == [
        "STAR ist kein POP3-Befehl; der Server wird mit -ERR antworten.",
        "Meintest du STAT?",
    ]
    assert reply.why is not None and reply.why.reason == "Der Server kennt den Befehl STAR nicht."
    assert reply.why.hint == f"Meintest du STAT? Die Schreibweise prüfen; im Zustand TRANSACTION erlaubt: {VALID_NOW}."


def test_before_login_and_the_reference_of_the_meant_verb() -> None:
    sent, reply = exchange("USR alice", "en", READY)
    assert sent.findings[1].text == "Did you mean USER?" and sent.findings[1].ref == rfc.USER
    assert reply.why is not None
    assert reply.why.hint == (
        "Did you mean USER? Check the spelling; valid in AUTHORIZATION: USER, PASS, APOP, AUTH, STLS, CAPA, QUIT."
    )


def test_nothing_close_gets_no_guess() -> None:
    sent, reply = exchange("HELO there", "en", READY)
    assert sent.codes == ("unknown-command",)
    assert reply.why is not None
    assert reply.why.hint == "Check the spelling; valid in AUTHORIZATION: USER, PASS, APOP, AUTH, STLS, CAPA, QUIT."


def test_the_suggestion_rule() -> None:
    assert [suggestion(word) for word in ("STAR", "RETRE", "LIS", "QUITT", "uidll", "DEL", "APPOP")] == [
        "STAT",
        "RETR",
        "LIST",
        "QUIT",
        "UIDL",
        "DELE",
        "APOP",
    ]
    assert [suggestion(word) for word in ("HELO", "EHLO", "LOGIN", "XYZZY", "", "STAT", "A" * 30)] == [None] * 7
    assert suggestion("ST", State.TRANSACTION) == "STAT" and suggestion("ST", State.AUTHORIZATION) == "STLS"


def test_poplab_annotate_shows_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "typo.txt"
    path.write_text(LOGGED_IN + "C: STAR\nS: -ERR unknown command\n", encoding="utf-8")
    assert main(["annotate", str(path), "--lang", "de", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "     Hinweis: Meintest du STAT? [RFC 1939 §5]\n" in out
    assert "     Tipp: Meintest du STAT? Die Schreibweise prüfen; im Zustand TRANSACTION erlaubt: CAPA, QUIT," in out
