"""The diagrams on their own: the text sequence diagram for the tutor (one arrow per command or reply, a body's
lines counted, -ERR marked, never wider than asked) and the state diagram's path."""

from __future__ import annotations

import pytest

from poplab import handout
from poplab.annotate import annotate
from poplab.handout.state_chart import path_of, staying_verbs
from poplab.protocol.states import State
from tests.handout.sessions import rich, seed


@pytest.mark.parametrize("width", [40, 60, 100])
def test_sequence_text_fits_the_width(width: int) -> None:
    text = handout.sequence_text(annotate(rich()), width, "en")
    assert all(len(line) <= width for line in text.splitlines())


def test_sequence_text_of_the_seed_session() -> None:
    lines = handout.sequence_text(annotate(seed()), 72, "en").splitlines()
    assert lines[0].startswith("Client") and lines[0].endswith("Server")
    assert [line for line in lines if line.startswith("[")] == ["[AUTHORIZATION]", "[TRANSACTION]", "[UPDATE]"]
    arrows = [line for line in lines if line.startswith("│")]
    assert len(arrows) == 15  # greeting + 7 commands + 7 replies; LIST and RETR bodies join their +OK
    assert arrows[1] == "│ USER wiki@example.com " + "─" * 46 + "▶│"
    assert {len(line) for line in arrows} == {72}
    assert arrows[0].startswith("│◀─") and arrows[0].endswith(" +OK example.com POP3-Server │")
    assert any("+OK message follows (10 lines)" in line for line in arrows)


def test_sequence_text_marks_err_tls_and_the_end() -> None:
    text = handout.sequence_text(annotate(rich()), 80, "en")
    assert "✗ -ERR no such message │" in text
    assert "TLS starts: from here on everything is encrypted" in text
    assert text.splitlines()[-1].startswith("┄") and "the server closed the connection" in text


def test_state_path_and_text() -> None:
    path = path_of(annotate(rich()))
    assert (State.AUTHORIZATION, State.TRANSACTION) in path.edges and path.now == "end"
    assert path.used[State.TRANSACTION] == {"RETR", "QUIT"}
    text = handout.state_text(annotate(seed()), "en")
    assert "AUTHORIZATION (USER, PASS) → TRANSACTION (STAT, LIST, RETR, DELE, QUIT) → ◆ UPDATE" in text
    assert "STAT" in staying_verbs(State.TRANSACTION) and "PASS" not in staying_verbs(State.AUTHORIZATION)
