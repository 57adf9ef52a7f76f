"""Whose record a classroom session is: only a login proves it. Another student typing Anna's login name with a
wrong password neither spoils her result nor counts as her attempt; the teacher sees it as a failed login."""

from __future__ import annotations

from pathlib import Path

from poplab.exercises import find_exercise
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom
from poplab.exercises.record import SessionRecord
from poplab.exercises.solution import Target, replay
from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import ServerSettings
from tests.exercises.helpers import EXERCISES

STLS_EXERCISE = find_exercise("10", EXERCISES)
LOCKED_EXERCISE = find_exercise("08", EXERCISES)


def settings(cert_dir: Path) -> ServerSettings:
    config = ServerConfig(tls_available=True, failed_login_delay=0)
    return ServerSettings(port=0, tls_port=0, tls=server_context(ensure_certificate(cert_dir)), protocol=config)


def test_a_failed_login_as_another_student_spoils_nothing(tmp_path: Path, cert_dir: Path) -> None:
    classroom = Classroom.setup(tmp_path / "class", ["Anna Schmidt", "Bo"], (STLS_EXERCISE,))
    anna = classroom.students[0]
    account = classroom.account(anna, STLS_EXERCISE)
    seen: list[SessionRecord] = []
    with ClassServer(classroom, settings(cert_dir), lambda s, e, o, record: seen.append(record)) as server:
        bo = Target("127.0.0.1", server.port, account, "wrong", "", server.tls_port)
        replay(f"USER {account}\nPASS wrong\nQUIT\n", bo)
        server.wait_idle()
        target = Target("127.0.0.1", server.port, account, anna.password, anna.password, server.tls_port)
        replay((STLS_EXERCISE.folder / "solution.txt").read_text(encoding="utf-8"), target)
        server.wait_idle()
    outcome = classroom.outcome(anna, STLS_EXERCISE)
    assert (outcome.done, outcome.attempts, outcome.last_failed) == (True, 1, ())
    assert outcome.failed_logins == 1
    assert [record.account for record in seen] == [None, account]
    assert seen[0].tried == account


def test_a_refused_login_with_the_right_password_is_the_students(tmp_path: Path, cert_dir: Path) -> None:
    """Exercise 08: the second login is refused ([IN-USE]) although its password was right: it is Anna's."""
    classroom = Classroom.setup(tmp_path / "class", ["Anna"], (LOCKED_EXERCISE,))
    (anna,) = classroom.students
    account = classroom.account(anna, LOCKED_EXERCISE)
    with ClassServer(classroom, settings(cert_dir)) as server:
        target = Target("127.0.0.1", server.port, account, anna.password, anna.password)
        replay((LOCKED_EXERCISE.folder / "solution.txt").read_text(encoding="utf-8"), target)
        server.wait_idle()
    outcome = classroom.outcome(anna, LOCKED_EXERCISE)
    assert (outcome.done, outcome.attempts) == (True, 2)
    assert outcome.failed_logins == 0
