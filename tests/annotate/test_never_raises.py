"""Whatever lines arrive, in either direction, the annotator explains them and never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from poplab.annotate import Annotator, annotate, render
from poplab.transcript import TranscriptLine

WORDS = [
    "USER alice", "PASS a b", "APOP x 0f", "AUTH", "AUTH PLAIN", "AUTH LOGIN", "AUTH PLAIN AGEAYg==", "AUTH CRAM-MD5",
    "STLS", "CAPA", "QUIT", "STAT", "LIST", "LIST 1", "LIST 0", "RETR 1", "RETR 99999999999999999999999",
    "DELE 1", "NOOP", "RSET", "TOP 1 0", "TOP 1 x", "UIDL", "UIDL 2", "*", "=", "", "XYZ", "retr ²",
    "+OK", "+OK 1 2", "+OK 2 x", "-ERR", "-ERR [IN-USE] x", "-ERR [AUTH]", "-ERR [", "+ ", "+ VXNlcm5hbWU6",
    "+ ====", ".", "..", ".x", "1 236", "SASL PLAIN", "STLS", "<a@b>",
]  # fmt: skip

RAW = st.one_of(
    st.binary(max_size=80),
    st.sampled_from(WORDS).map(lambda word: word.encode("utf-8")),
    st.text(max_size=60).map(lambda text: text.encode("utf-8", "surrogatepass")),
)
ENDS = st.sampled_from([b"\r\n", b"\n", b"", b"\r\n\r\n", b"\r"])
LINES = st.builds(
    lambda direction, raw, end, tls: TranscriptLine(direction, raw + end, 0.0, tls),
    st.sampled_from(["C", "S"]),
    RAW,
    ENDS,
    st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=40), st.sampled_from(["en", "de"]))
def test_arbitrary_lines_never_raise(lines: list[TranscriptLine], lang: str) -> None:
    annotations = annotate(lines, lang)
    assert all(a.summary and a.state_before and a.state_after for a in annotations)
    render(annotations, lang, long=True, color=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=30))
def test_every_line_is_covered_once(lines: list[TranscriptLine]) -> None:
    """Each wire line is explained by exactly one annotation (a body counts once for all its lines)."""
    annotator = Annotator()
    covered = 0
    for line in lines:
        covered += sum(a.line_count for a in annotator.feed(line))
    covered += sum(a.line_count for a in annotator.finish())
    expected = sum(line.raw.count(b"\n") + (0 if line.raw.endswith(b"\n") or not line.raw else 1) for line in lines)
    assert covered == expected
