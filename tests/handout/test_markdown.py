"""The Markdown handout: readable on a forge (headings, fenced blocks, escaped prose) and read back by
``poplab annotate`` to the same annotations — the round trip — in English and German, with TLS, bare LF and the
closed marker as a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from poplab import handout
from poplab.annotate import annotate, render
from poplab.cli import main
from poplab.transcript import Transcript, TranscriptError, TranscriptLine
from tests.handout.sessions import rich, seed


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("session", [seed, rich], ids=["seed", "rich"])
def test_round_trip_through_poplab_annotate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, session: object
) -> None:
    transcript: Transcript = session()  # type: ignore[operator]
    saved = tmp_path / "session.json"
    saved.write_text(transcript.to_json(redact=False), encoding="utf-8")
    exported = tmp_path / "session.md"
    assert main(["annotate", str(saved), "--to", "md", "-o", str(exported), "--lang", lang, "--show-passwords"]) == 0
    assert main(["annotate", str(exported), "--lang", lang]) == 0
    assert capsys.readouterr().out == render(annotate(transcript, lang), lang)


def test_the_read_back_transcript_has_the_same_bytes_and_tls_flags() -> None:
    text = str(handout.export(rich(), "md", "en", redact=False))
    back = handout.read_markdown(text)
    assert [(line.direction, line.raw, line.tls) for line in back] == [
        (line.direction, line.raw, line.tls) for line in rich()
    ]


def test_redacted_by_default_and_the_closed_marker_is_a_sentence() -> None:
    text = str(handout.export(rich(), "md", "en"))
    assert "wonderland" not in text and "C: PASS [redacted]" in text
    assert "--- the server closed the connection ---" in text and "--- S closed ---" not in text
    assert "C: RETR 9 ␊" in text  # the bare LF is marked
    german = str(handout.export(rich(), "md", "de"))
    assert "--- der Server hat die Verbindung geschlossen ---" in german
    assert handout.read_markdown(german)[-1] == TranscriptLine("S", b"", tls=True)


def test_prose_is_escaped_for_markdown() -> None:
    text = str(handout.export(seed(), "md", "en"))
    assert "\\<1896.697170952@dbc.mtview.ca.us\\>" in text  # not an autolink or HTML tag
    assert text.startswith("# POP3 session\n")
    assert "```pop3\nS: +OK example.com POP3-Server\n```" in text


def test_plain_markdown_transcripts_are_read_too() -> None:
    old = seed().to_markdown(redact=False, title="POP3 session")
    assert handout.read_markdown(old) == seed()
    with pytest.raises(TranscriptError, match="no fenced block"):
        handout.read_markdown("# nothing here\n\n```text\nhello\n```\n")
