"""The transcript value type: the text form, JSON round trips (bytes exact, also not UTF-8), Markdown and HTML
exports, and password redaction on by default."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poplab.transcript import (
    REDACTED,
    Transcript,
    TranscriptError,
    TranscriptLine,
    display,
    redact_command,
    split_lines,
)

SESSION = """\
S: +OK ready <1.2@host>
C: USER alice
S: +OK
C: PASS wonder land
S: -ERR [AUTH] no
C: APOP alice c4c9334bac560ecc979e58001b3e22fb
S: -ERR no
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: -ERR no
C: AUTH LOGIN
S: + VXNlcm5hbWU6
C: YWxpY2U=
S: + UGFzc3dvcmQ6
C: c2VjcmV0
S: +OK in
C: RETR 1
S: +OK
S: <b>&amp;</b>
S: .
"""


def test_text_form() -> None:
    transcript = Transcript.from_text("S: +OK hi\nC: USER a\n\nS:\n--- TLS ---\nC: CAPA\n--- S closed ---\nS: +OK 2")
    assert transcript.lines == (
        TranscriptLine("S", b"+OK hi\r\n"),
        TranscriptLine("C", b"USER a\r\n"),
        TranscriptLine("S", b"\r\n"),
        TranscriptLine("C", b"CAPA\r\n", tls=True),
        TranscriptLine("S", b"", tls=True),
        TranscriptLine("S", b"+OK 2\r\n"),
    )
    assert transcript[4].closed and not transcript[3].closed
    assert transcript.to_text() == "S: +OK hi\nC: USER a\nS:\n--- TLS ---\nC: CAPA\n--- S closed ---\nS: +OK 2\n"
    assert Transcript.from_text(transcript.to_text()) == transcript
    assert Transcript.from_text("C: STAT", line_end=b"\n")[0].raw == b"STAT\n"


def test_text_form_errors_say_where() -> None:
    with pytest.raises(TranscriptError, match=r"line 2: expected 'C: \.\.\.' or 'S: \.\.\.', got 'X: nope'"):
        Transcript.from_text("S: +OK\nX: nope\n")


def test_lines_are_checked() -> None:
    with pytest.raises(ValueError, match="direction"):
        TranscriptLine("X", b"")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        TranscriptLine("C", b"", float("nan"))


def test_append_iterate_compare() -> None:
    transcript = Transcript()
    transcript.append(TranscriptLine("S", b"+OK\r\n", 1.5))
    line = transcript.add("C", b"QUIT\r\n", 2.0, tls=True)
    assert list(transcript) == [TranscriptLine("S", b"+OK\r\n", 1.5), line]
    assert len(transcript) == 2 and transcript[-1] is line
    assert transcript == Transcript(transcript.lines) and transcript != Transcript()


# ---- JSON ---------------------------------------------------------------------------------------------------


def test_json_form_exact() -> None:
    transcript = Transcript(
        [TranscriptLine("S", b"+OK \xc3\xa4\r\n", 0.25), TranscriptLine("C", b"\xff\r\n", 1.0, True)]
    )
    assert transcript.to_json() == (
        "{\n"
        '  "format": "poplab-transcript",\n'
        '  "version": 1,\n'
        '  "lines": [\n'
        '    {"direction": "S", "text": "+OK ä\\r\\n", "time": 0.25, "tls": false},\n'
        '    {"direction": "C", "base64": "/w0K", "time": 1.0, "tls": true}\n'
        "  ]\n"
        "}\n"
    )
    assert Transcript().to_json() == '{\n  "format": "poplab-transcript",\n  "version": 1,\n  "lines": []\n}\n'


LINE = st.builds(
    TranscriptLine,
    st.sampled_from(["C", "S"]),
    st.binary(max_size=40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)


@given(st.lists(LINE, max_size=20))
def test_json_round_trip_is_exact(lines: list[TranscriptLine]) -> None:
    transcript = Transcript(lines)
    exported = transcript.to_json(redact=False)
    assert Transcript.from_json(exported) == transcript
    assert Transcript.from_json(exported).to_json(redact=False) == exported
    redacted = transcript.to_json()
    assert Transcript.from_json(redacted).to_json() == redacted


def test_seed_round_trip() -> None:
    transcript = Transcript.from_text(SESSION)
    text = transcript.to_json(redact=False)
    assert Transcript.from_json(text) == transcript
    assert Transcript.from_json(text.encode("utf-8")).to_json(redact=False) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a poplab transcript"),
        ('{"format": "poplab-transcript", "version": 2, "lines": []}', "unsupported transcript version 2"),
        ('{"format": "poplab-transcript", "version": 1, "lines": {}}', '"lines" must be a list'),
        ('{"format": "poplab-transcript", "version": 1, "lines": [3]}', "line 1: expected an object"),
        ('{"format": "poplab-transcript", "version": 1, "lines": [{"direction": "X", "text": ""}]}', "line 1"),
        ('{"format": "poplab-transcript", "version": 1, "lines": [{"direction": "C"}]}', 'exactly one of "text"'),
        ('{"format": "poplab-transcript", "version": 1, "lines": [{"direction": "C", "base64": "%"}]}', "base64"),
        ('{"format": "poplab-transcript", "version": 1, "lines": [{"direction": "C", "text": "\\ud800"}]}', "Unicode"),
        (
            '{"format": "poplab-transcript", "version": 1, "lines": [{"direction": "C", "text": "", "time": "x"}]}',
            "time",
        ),
        ('{"format": "poplab-transcript", "version": 1, "lines": [{"direction": "C", "text": "", "tls": 1}]}', "tls"),
    ],
)
def test_bad_json_raises_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(TranscriptError, match=message.replace("(", r"\(")):
        Transcript.from_json(text)


# ---- redaction ----------------------------------------------------------------------------------------------


def test_redacted_by_default() -> None:
    transcript = Transcript.from_text(SESSION)
    client = [line.text for line in transcript.redacted() if line.direction == "C"]
    assert client == [
        "USER alice",
        f"PASS {REDACTED}",
        f"APOP alice {REDACTED}",
        f"AUTH PLAIN {REDACTED}",
        "AUTH LOGIN",
        REDACTED,
        REDACTED,
        "RETR 1",
    ]
    exported = transcript.to_json()
    for secret in ("wonder land", "c4c9334bac560ecc979e58001b3e22fb", "AGFsaWNlAHNlY3JldA==", "YWxpY2U=", "c2VjcmV0"):
        assert secret not in exported and secret not in transcript.to_markdown() and secret not in transcript.to_html()
        assert secret in transcript.to_json(redact=False)
    assert "PASS wonder land" in transcript.to_text(redact=False)
    assert [line.raw for line in transcript.redacted() if line.direction == "S"] == [
        line.raw for line in transcript if line.direction == "S"
    ]
    assert transcript.redacted().redacted() == transcript.redacted()


def test_redact_command_keeps_line_ends_and_harmless_words() -> None:
    assert redact_command(b"pass  two words\n") == b"pass  [redacted]\n"
    assert redact_command(b"PASS\tsecret\r\n") == b"PASS\t[redacted]\r\n"
    assert redact_command(b"PASS\r\n") == b"PASS\r\n"
    assert redact_command(b"AUTH PLAIN =\r\n") == b"AUTH PLAIN =\r\n"
    assert redact_command(b"AUTH CRAM-MD5\r\n") == b"AUTH CRAM-MD5\r\n"
    assert redact_command(b"*\r\n", sasl_response=True) == b"*\r\n"
    assert redact_command(b"dGlt\r\n", sasl_response=True) == b"[redacted]\r\n"
    assert redact_command(b"USER alice\r\n") == b"USER alice\r\n"


def test_sasl_cancel_is_kept() -> None:
    transcript = Transcript.from_text("S: +OK\nC: AUTH PLAIN\nS: +\nC: *\nS: -ERR cancelled\nC: NOOP x\n")
    assert [line.text for line in transcript.redacted()][3] == "*"


# ---- Markdown and HTML --------------------------------------------------------------------------------------


def test_markdown() -> None:
    transcript = Transcript.from_text("S: +OK hi\nC: PASS x\n--- TLS ---\nC: NOOP")
    assert transcript.to_markdown(title="Login") == (
        "### Login\n\n```text\nS: +OK hi\nC: PASS [redacted]\n--- TLS ---\nC: NOOP\n```\n"
    )
    fenced = Transcript.from_text("S: ````x").to_markdown()
    assert fenced.startswith("`````text\n") and fenced.endswith("`````\n")


def test_html_is_escaped_and_standalone() -> None:
    page = Transcript.from_text(SESSION).to_html(title="A <session>")
    assert page.startswith("<!DOCTYPE html>") and "<title>A &lt;session&gt;</title>" in page
    assert '<span class="s">S: &lt;b&gt;&amp;amp;&lt;/b&gt;</span>' in page
    assert '<span class="c">C: PASS [redacted]</span>' in page
    assert "<style>" in page and "<script" not in page and "<link" not in page and "http" not in page
    fragment = Transcript.from_text("C: NOOP").to_html(standalone=False)
    assert fragment == '<pre class="poplab-transcript">\n<span class="c">C: NOOP</span>\n</pre>\n'


def test_display_and_split() -> None:
    assert display(b"A\x00B\xff\tC\r\n") == "A\\x00B\\xff\tC"
    assert display(b"x\r\r\n") == "x\\x0d"
    assert split_lines(b"a\r\nb\nc") == [b"a\r\n", b"b\n", b"c"]
    assert split_lines(b"") == []
    assert json.loads(Transcript.from_text("S: x").to_json())["lines"][0]["text"] == "x\r\n"
