"""Annotations always come in transcript order: a body that never got its terminating line, a connection closed
mid-body, and a client line sent while a body was still arriving — in one go (``annotate``), line by line (the
live :class:`Annotator`) and through ``poplab annotate``."""

from __future__ import annotations

from pathlib import Path

import pytest

from poplab.annotate import Annotation, Annotator, Kind, annotate
from poplab.cli import main
from poplab.transcript import Transcript

LOGGED_IN = "S: +OK ready\nC: USER alice\nS: +OK\nC: PASS secret\nS: +OK in\n"
CUT_OFF_THEN_QUIT = LOGGED_IN + "C: RETR 1\nS: +OK\nS: Subject: x\nS: \nC: QUIT\n"
CLOSED_BEFORE_BODY = LOGGED_IN + "C: RETR 1\nS: +OK\n--- S closed ---\n"
CLOSED_MID_BODY = LOGGED_IN + "C: LIST\nS: +OK\nS: 1 120\n--- S closed ---\n"
PIPELINED = LOGGED_IN + "C: RETR 1\nS: +OK\nS: Subject: x\nC: DELE 1\nS: \nS: hi\nS: .\nS: +OK marked\n"

CUT = {
    "en": "The reply was cut off: the line with a single dot never arrived.",
    "de": "Die Antwort bricht ab: Die Zeile mit dem einzelnen Punkt kam nie an.",
}


def numbers(annotations: list[Annotation]) -> list[int]:
    return [annotation.index + 1 for annotation in annotations]


def live(text: str, lang: str = "en") -> list[Annotation]:
    annotator, out = Annotator(lang), []
    for line in Transcript.from_text(text):
        out.extend(annotator.feed(line))
    return out + annotator.finish()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_cut_off_body_comes_before_the_client_line_after_it(lang: str) -> None:
    annotations = annotate(Transcript.from_text(CUT_OFF_THEN_QUIT), lang)
    assert numbers(annotations) == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11]
    body, quit_line, end = annotations[-3:]
    assert (body.kind, body.line_count, body.summary) == (Kind.MESSAGE, 2, CUT[lang])
    assert body.lines == ("Subject: x", "")
    assert (quit_line.kind, quit_line.lines) == (Kind.COMMAND, ("QUIT",))
    assert end.kind is Kind.END
    assert live(CUT_OFF_THEN_QUIT, lang) == annotations


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_connection_closed_before_or_in_a_body(lang: str) -> None:
    before = annotate(Transcript.from_text(CLOSED_BEFORE_BODY), lang)
    assert numbers(before) == [1, 2, 3, 4, 5, 6, 7, 8, 8]
    assert [a.kind for a in before[-2:]] == [Kind.MESSAGE, Kind.CLOSED]
    assert before[-2].summary == CUT[lang] and before[-2].line_count == 0
    mid = annotate(Transcript.from_text(CLOSED_MID_BODY), lang)
    assert numbers(mid) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert [a.kind for a in mid[-2:]] == [Kind.LISTING, Kind.CLOSED]
    assert live(CLOSED_BEFORE_BODY, lang) == before and live(CLOSED_MID_BODY, lang) == mid


def test_a_client_line_sent_while_a_body_arrives_waits_for_the_body() -> None:
    annotator = Annotator("en")
    handed_out = [numbers(annotator.feed(line)) for line in Transcript.from_text(PIPELINED)]
    assert handed_out == [[1], [2], [3], [4], [5], [6], [7], [], [], [], [], [8, 9], [13]]
    assert numbers(annotator.finish()) == [14]  # the end of a session without QUIT
    annotations = annotate(Transcript.from_text(PIPELINED))
    assert numbers(annotations) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14]
    body, dele = annotations[7:9]
    assert body.summary == "Message 1: 3 lines, 18 octets."
    assert dele.summary == "DELE 1 marks message 1 as deleted."


def test_poplab_annotate_prints_a_cut_off_reply_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(CUT_OFF_THEN_QUIT, encoding="utf-8")
    assert main(["annotate", str(path), "--lang", "de", "--no-color"]) == 0
    out = capsys.readouterr().out
    starts = [line[:5].strip() for line in out.splitlines() if line[:5].strip().isdigit()]
    assert starts == ["1", "2", "3", "4", "5", "6", "7", "8", "10", "11"]
    assert "  8  S: Subject: x\n     S:\n     Nachrichtendaten · TRANSACTION · RFC 1939 §5\n" in out
    assert f"     {CUT['de']}\n" in out
