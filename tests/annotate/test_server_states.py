"""The annotator's states agree with the real server's, for every command in every state and for random sessions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poplab.annotate import annotate
from poplab.annotate.model import Annotation, Kind
from poplab.protocol.config import ServerConfig
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS
from tests.annotate.recorder import (
    ALICE,
    ALICE_PASSWORD,
    APOP_DIGEST,
    APOP_USER,
    Recorder,
    plain_response,
)

EXAMPLES = {
    "USER": ["USER alice", "USER"],
    "PASS": ["PASS wonder land", "PASS nope"],
    "APOP": [f"APOP {APOP_USER} {APOP_DIGEST}", "APOP x"],
    "AUTH": ["AUTH", f"AUTH PLAIN {plain_response(ALICE, ALICE_PASSWORD)}", "AUTH PLAIN", "AUTH XOAUTH2"],
    "STLS": ["STLS"],
    "CAPA": ["CAPA"],
    "QUIT": ["QUIT"],
    "STAT": ["STAT", "STAT 1"],
    "LIST": ["LIST", "LIST 2", "LIST 0", "LIST 9", "LIST x"],
    "RETR": ["RETR 2", "RETR", "RETR 0", "RETR 4"],
    "DELE": ["DELE 1", "DELE 7"],
    "NOOP": ["NOOP"],
    "RSET": ["RSET"],
    "TOP": ["TOP 2 0", "TOP 2 1", "TOP 2 x", "TOP 1"],
    "UIDL": ["UIDL", "UIDL 3", "UIDL 5"],
    "UTF8": ["UTF8"],
    "LANG": ["LANG", "LANG en", "LANG fr"],
}
JUNK = ["", "XYZZY", "stat", "RETR 1 2 3", "USER " + "a" * 41, "NOOP " + "x" * 300, "RETR\t1", "*", "="]


def states_of(annotations: list[Annotation]) -> dict[int, tuple[State, State]]:
    """The annotator's (before, after) for every status line, continuation, greeting and unexpected line."""
    kinds = (Kind.STATUS, Kind.GREETING, Kind.CONTINUATION, Kind.UNEXPECTED)
    return {a.index: (a.state_before, a.state_after) for a in annotations if a.kind in kinds}


def assert_agrees(recorder: Recorder) -> list[Annotation]:
    annotations = annotate(recorder.transcript)
    assert states_of(annotations) == recorder.expected
    covered = [i for a in annotations for i in range(a.index, a.index + a.line_count)]
    assert covered == [i for i, line in enumerate(recorder.transcript) if not line.closed]
    return annotations


def test_the_table_has_an_example_for_every_verb() -> None:
    assert EXAMPLES.keys() == COMMANDS.keys()


@pytest.mark.parametrize("state", [State.AUTHORIZATION, State.TRANSACTION])
@pytest.mark.parametrize("line", [line for lines in EXAMPLES.values() for line in lines] + JUNK)
def test_every_command_in_every_state(state: State, line: str) -> None:
    recorder = Recorder(ServerConfig(tls_available=True, apop=True, utf8=True))
    if state is State.TRANSACTION:
        recorder.login()
    recorder.send(line)
    if not recorder.server.closed:
        recorder.send("QUIT")
    assert_agrees(recorder)


def test_sasl_plain_with_a_challenge_and_login_with_two() -> None:
    recorder = Recorder()
    recorder.send("AUTH PLAIN")
    recorder.send(plain_response(ALICE, "wrong"))
    recorder.send("AUTH LOGIN")
    recorder.send("YWxpY2U=")
    recorder.send("d29uZGVyIGxhbmQ=")
    recorder.send("STAT")
    annotations = assert_agrees(recorder)
    assert recorder.server.state is State.TRANSACTION
    assert annotations[-1].state_after is State.TRANSACTION


def test_stls_then_login_over_tls() -> None:
    recorder = Recorder()
    recorder.send("STLS")
    recorder.send("CAPA")
    recorder.login()
    recorder.send("QUIT")
    annotations = assert_agrees(recorder)
    assert [a.tls for a in annotations][:3] == [False, False, False]
    assert all(a.tls for a in annotations[3:])
    assert not any("cleartext-password" in a.codes for a in annotations)


LINES = st.sampled_from([line for lines in EXAMPLES.values() for line in lines] + JUNK + ["QUIT"])


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=25))
def test_random_sessions_against_the_server(lines: list[str]) -> None:
    recorder = Recorder(ServerConfig(tls_available=True, apop=True))
    for line in lines:
        if recorder.server.closed:
            break
        recorder.send(line)
    assert_agrees(recorder)
