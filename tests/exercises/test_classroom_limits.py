"""What a session records is bounded: a client that floods the server with lines leaves a record of its first and
last lines and a summary of the rest, the checks still see what it did last, and a classroom check reads only the
sessions appended since the last one."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from poplab.exercises import classroom as classroom_module
from poplab.exercises import find_exercise, recorder
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom
from poplab.exercises.record import LoginEvent, RecordedLine, SessionRecord, record_from_json, record_to_json
from poplab.exercises.recorder import Recorder, RecordingStore
from poplab.exercises.solution import Target, replay
from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.events import LineEvent, SessionEvent, SessionInfo
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from tests.exercises.helpers import EXERCISES

SEED_EXERCISE = find_exercise("01", EXERCISES)
FLOOD = 30_000


def flood(observe: recorder.Recorder) -> None:
    """A session that logs in, sends ``FLOOD`` NOOPs, then deletes message 1 and quits."""
    info = SessionInfo(1, "127.0.0.1", False)
    now = time.time()

    def line(direction: str, raw: bytes) -> None:
        observe.observe(LineEvent(info, direction, raw, False, now))  # type: ignore[arg-type]

    observe.observe(SessionEvent(info, "opened", "", now))
    line("S", b"+OK POP3 server ready\r\n")
    line("C", b"USER anna-01\r\n")
    line("S", b"+OK\r\n")
    line("C", b"PASS secret\r\n")
    line("S", b"+OK logged in\r\n")
    observe.observe(SessionEvent(info, "login", "anna-01 (USER/PASS)", now))
    for _ in range(FLOOD):
        line("C", b"NOOP\r\n")
        line("S", b"+OK\r\n")
    line("C", b"DELE 1\r\n")
    line("S", b"+OK marked\r\n")
    line("C", b"QUIT\r\n")
    line("S", b"+OK bye\r\n")
    observe.observe(SessionEvent(info, "committed", "anna-01: 1 deleted", now))
    observe.observe(SessionEvent(info, "closed", "", now))


def test_a_flooding_session_keeps_its_start_its_end_and_a_summary() -> None:
    (record,) = _recorded()
    assert len(record.lines) < 2_500  # 2,000 from the start, the last 200 (and a reply that ends an exchange)
    assert record.gap is not None and record.lines[record.gap - 1].raw == b"+OK\r\n"
    kept = sum(1 for line in record.lines if line.raw == b"NOOP\r\n")
    omitted = {kind: (lines, octets) for kind, lines, octets in record.omitted}
    assert omitted["commands"] == omitted["command NOOP"] == (FLOOD - kept, 6 * (FLOOD - kept))
    assert omitted["replies"][0] == FLOOD - kept
    assert (record.end, record.account, record.login is not None) == ("quit", "anna-01", True)
    exchanges = record.exchanges()
    assert [e.shown for e in exchanges[:2]] == ["USER anna-01", "PASS secret"]
    assert [(e.shown, e.ok) for e in exchanges[-2:]] == [("DELE 1", True), ("QUIT", True)]
    assert all(e.reply == b"+OK\r\n" for e in exchanges if e.verb == "NOOP")
    stored = json.dumps(record_to_json(record))
    assert len(stored) < 200_000
    assert record_from_json(json.loads(stored)) == record


def _recorded() -> list[SessionRecord]:
    observed = Recorder(RecordingStore(MemoryStore()))
    flood(observed)
    return observed.sessions()


def settings(cert_dir: Path) -> ServerSettings:
    config = ServerConfig(tls_available=True, failed_login_delay=0)
    return ServerSettings(port=0, tls_port=0, tls=server_context(ensure_certificate(cert_dir)), protocol=config)


def test_the_checks_see_what_a_capped_session_did_last(
    tmp_path: Path, cert_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder, "HEAD_LINES", 20, raising=False)
    monkeypatch.setattr(recorder, "TAIL_LINES", 20, raising=False)
    classroom = Classroom.setup(tmp_path / "class", ["Anna"], (SEED_EXERCISE,))
    (anna,) = classroom.students
    account = classroom.account(anna, SEED_EXERCISE)
    solution = (SEED_EXERCISE.folder / "solution.txt").read_text(encoding="utf-8")
    flooded = solution.replace("PASS {password}\n", "PASS {password}\n" + "NOOP\n" * 100)
    assert flooded != solution
    with ClassServer(classroom, settings(cert_dir)) as server:
        replay(flooded, Target("127.0.0.1", server.port, account, anna.password, anna.password))
        server.wait_idle()
    outcome = classroom.outcome(anna, SEED_EXERCISE)
    assert (outcome.done, outcome.attempts, outcome.last_failed) == (True, 1, ())
    (stored,) = (tmp_path / "class" / "records" / "anna" / "01.jsonl").read_text().splitlines()
    assert len(json.loads(stored)["lines"]) <= 20 + 1 + 20


def a_session(number: int, account: str) -> SessionRecord:
    now = time.time()
    lines = (RecordedLine("C", b"QUIT\r\n", False, now), RecordedLine("S", b"+OK bye\r\n", False, now, 9))
    login = LoginEvent(account, True, "USER/PASS", False, now)
    return SessionRecord(number, now + number, False, lines, (login,), end="quit", closed=now)


def test_a_check_reads_only_the_sessions_added_since_the_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    checked: list[int] = []
    parse, context = classroom_module.records_from_jsonl, classroom_module.check_context

    def counting_parse(text: str) -> list[SessionRecord]:
        parsed.append(text.count("\n"))
        return parse(text)

    def counting_context(*args: object, **kwargs: object) -> object:
        checked.append(len(args[3]))  # type: ignore[arg-type]
        return context(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(classroom_module, "records_from_jsonl", counting_parse)
    monkeypatch.setattr(classroom_module, "check_context", counting_context)
    directory = tmp_path / "class"
    classroom = Classroom.setup(directory, ["Anna"], (SEED_EXERCISE,))
    for number in range(1, 4):
        classroom.record_session(a_session(number, "anna-01"))
    assert (parsed, checked) == ([1, 1, 1], [1, 2, 3])
    other = Classroom(directory, (SEED_EXERCISE,))  # ``poplab classroom reset`` in another process
    other.reset(other.students[0], SEED_EXERCISE)
    result = classroom.record_session(a_session(4, "anna-01"))
    assert result is not None and result[2].attempts == 1
    assert checked[-1] == 1
