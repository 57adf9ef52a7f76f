"""The classroom: 40 students working at once over real sockets — some right, some wrong, some dropping the
connection mid-session, one sending garbage — give exactly the expected report; roster, handout, reset."""

from __future__ import annotations

import csv
import io
import socket
import threading
from pathlib import Path

import pytest

from poplab.exercises import Exercise, find_exercise
from poplab.exercises.class_report import report
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom, ClassroomError, Outcome, classroom_seed, read_roster, slug_of
from poplab.exercises.solution import Target, parse_solution, replay
from poplab.exercises.variant import make_variant, octets
from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import ServerSettings
from tests.exercises.helpers import EXERCISES

CLASS_EXERCISES = tuple(find_exercise(key, EXERCISES) for key in ("01", "05", "06", "07", "08", "11"))
KINDS = ("right", "wrong", "drop", "none")
DROP = "USER {account}\nPASS {password}\nSTAT\n@drop\n"


def settings(cert_dir: Path) -> ServerSettings:
    config = ServerConfig(tls_available=True, failed_login_delay=0)
    return ServerSettings(port=0, tls_port=0, tls=server_context(ensure_certificate(cert_dir)), protocol=config)


def sessions_in(text: str) -> int:
    """How many connections a script opens."""
    opened: set[str] = set()
    count = 0
    for step in parse_solution(text):
        if step.kind == "line" and step.label not in opened:
            opened.add(step.label)
            count += 1
        if step.kind == "drop" or (step.kind == "line" and step.text.upper() == "QUIT"):
            opened.discard(step.label)
    return count


def script(exercise: Exercise, kind: str) -> str:
    if kind == "drop":
        return DROP
    name = "solution.txt" if kind == "right" else "wrong.txt"
    return (exercise.folder / name).read_text(encoding="utf-8")


def expected(exercise: Exercise, kind: str) -> tuple[bool, int]:
    """(done, attempts) a student's cell must show after doing ``kind`` on the exercise."""
    if kind == "none":
        return False, 0
    return kind == "right", sessions_in(script(exercise, kind))


def kind_of(student: int, exercise: int) -> str:
    return KINDS[(student + exercise) % len(KINDS)]


def garbage(port: int) -> None:
    """A student typing nonsense before logging in: NUL bytes, invalid UTF-8, an endless line."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.recv(1000)
        raw.sendall(b"\x00\x00\r\n\xff\xfe USER\r\n" + b"A" * 100_000 + b"\r\nSTAT\r\n")
        while raw.recv(65536):
            pass


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    names = [f"Student {number:02d}" for number in range(1, 41)]
    path.write_text("Name,Email\n" + "".join(f"{name},x{n}@school.example\n" for n, name in enumerate(names)))
    return path


def test_forty_students_at_once_give_exactly_the_expected_report(tmp_path: Path, roster: Path, cert_dir: Path) -> None:
    classroom = Classroom.setup(tmp_path / "class", read_roster(roster), CLASS_EXERCISES)
    assert len(classroom.students) == 40
    problems: list[BaseException] = []
    with ClassServer(classroom, settings(cert_dir)) as server:

        def work(index: int) -> None:
            student = classroom.students[index]
            try:
                if index % 10 == 0:
                    garbage(server.port)
                for number, exercise in enumerate(classroom.exercises):
                    kind = kind_of(index, number)
                    if kind == "none":
                        continue
                    account = classroom.account(student, exercise)
                    target = Target("127.0.0.1", server.port, account, student.password, student.password)
                    replay(script(exercise, kind), target)
            except BaseException as problem:
                problems.append(problem)

        threads = [threading.Thread(target=work, args=(index,)) for index in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        server.wait_idle()
    assert problems == []
    result = report(classroom)
    for index, student in enumerate(classroom.students):
        for number, exercise in enumerate(classroom.exercises):
            done, attempts = expected(exercise, kind_of(index, number))
            cell = result.cell(student.slug, exercise.id)
            assert (cell.done, cell.attempts, cell.first_done_at is not None) == (done, attempts, done), (
                student.slug,
                exercise.id,
                kind_of(index, number),
            )
    rows = list(csv.DictReader(io.StringIO(result.csv())))
    assert len(rows) == 40 * len(CLASS_EXERCISES)
    assert sum(row["done"] == "yes" for row in rows) == 40 * len(CLASS_EXERCISES) // 4
    table = result.table("en").splitlines()
    assert table[0].split() == ["student", "01", "05", "06", "07", "08", "11", "done", "points"]
    assert len(table) == 1 + 40 + 2


def test_the_table_shows_done_tried_and_untried(tmp_path: Path, cert_dir: Path) -> None:
    classroom = Classroom.setup(tmp_path / "class", ["Anna Schmidt", "Bo"], CLASS_EXERCISES[:3])
    anna, bo = classroom.students
    with ClassServer(classroom, settings(cert_dir)) as server:
        seed, delete = CLASS_EXERCISES[0], CLASS_EXERCISES[1]
        target = Target("127.0.0.1", server.port, classroom.account(anna, seed), anna.password, anna.password)
        replay(script(seed, "right"), target)
        replay(script(delete, "wrong"), Target("127.0.0.1", server.port, f"{bo.slug}-05", bo.password, ""))
        server.wait_idle()
    result = report(classroom)
    done = result.cell("anna-schmidt", "01")
    assert (done.done, done.attempts) == (True, 1)
    assert result.cell("bo", "05") == Outcome(1, False, None, ("deleted_and_committed", "only_removed"))
    lines = result.table("en").splitlines()
    assert lines[1].startswith(f"Anna Schmidt          ✓1 {done.first_done_at[11:16]} ·        ·        1/3   10")
    assert lines[2] == "Bo                    ·        ✗1       ·        0/3   0"
    assert result.table("de").splitlines()[0].split()[0] == "Schüler:in"


def test_reset_gives_fresh_mailboxes_and_forgets_the_sessions(tmp_path: Path, cert_dir: Path) -> None:
    classroom = Classroom.setup(tmp_path / "class", ["Anna"], CLASS_EXERCISES[:2])
    (anna,) = classroom.students
    seed = CLASS_EXERCISES[0]
    account = classroom.account(anna, seed)
    with ClassServer(classroom, settings(cert_dir)) as server:
        replay(script(seed, "right"), Target("127.0.0.1", server.port, account, anna.password, ""))
        server.wait_idle()
        assert classroom.store.mailbox_stats(account) == (0, 0)
        assert classroom.outcome(anna, seed).done
        assert classroom.reset(classroom.find_student("anna"), seed) == [seed]
        served = classroom.variant(anna, seed)
        assert served == make_variant(seed, classroom_seed(account, anna.password))
        assert classroom.store.mailbox_stats(account) == (1, octets(served.data[0]))
        assert list(classroom.store.stored(account)) == list(served.initial)
        assert classroom.outcome(anna, seed) == Outcome()
        replay(script(seed, "wrong"), Target("127.0.0.1", server.port, account, anna.password, ""))
        server.wait_idle()
    assert classroom.outcome(anna, seed) == Outcome(1, False, None, ("deleted_and_committed", "mailbox_count"))


def test_serving_the_roster_again_keeps_passwords_and_adds_new_students(tmp_path: Path) -> None:
    first = Classroom.setup(tmp_path / "class", ["Anna", "Bo"], CLASS_EXERCISES[:2])
    again = Classroom.setup(tmp_path / "class", ["Anna", "Bo", "Cem"], CLASS_EXERCISES[:2])
    assert again.students[:2] == first.students
    assert [student.slug for student in again.students] == ["anna", "bo", "cem"]
    assert len({student.password for student in again.students}) == 3
    assert len(again.store.accounts()) == 6
    handout = list(csv.reader((tmp_path / "class" / "handout.csv").read_text().splitlines()))
    assert handout[0] == ["name", "login prefix", "password", "logins"]
    assert handout[3] == ["Cem", "cem", again.students[2].password, "cem-NN (e.g. cem-01)"]


def test_an_exercise_new_to_the_class_gets_accounts_and_old_mailboxes_stay(tmp_path: Path) -> None:
    """A newer poplab brings an exercise: serving the class again opens it for every student already there."""
    first = Classroom.setup(tmp_path / "class", ["Anna", "Bo"], CLASS_EXERCISES[:1])
    left = list(first.store.stored("anna-01").items())[1:]
    first.store.replace("anna-01", left)  # Anna deleted her first message in exercise 01
    again = Classroom.setup(tmp_path / "class", ["Anna", "Bo"], CLASS_EXERCISES[:2])
    two = CLASS_EXERCISES[1].id
    assert [account.name for account in again.store.accounts()] == ["anna-01", f"anna-{two}", "bo-01", f"bo-{two}"]
    bo = again.store.account(f"bo-{two}")
    assert bo is not None and bo.password == again.students[1].password
    assert sorted(again.store.stored(f"bo-{two}")) == sorted(again.variant(again.students[1], CLASS_EXERCISES[1]).uids)
    assert list(again.store.stored("anna-01").items()) == left


def test_the_admin_exercise_is_not_served_to_a_class(tmp_path: Path) -> None:
    """14 needs the learner to administer the server; 16 is served with the classroom's SMTP server."""
    classroom = Classroom.setup(tmp_path / "class", ["Anna"], EXERCISES)
    assert [exercise.id for exercise in classroom.exercises] == [e.id for e in EXERCISES if e.id != "14"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Name;Klasse\nAnna Schmidt;9b\n\nJürgen Müller;9b\n", ["Anna Schmidt", "Jürgen Müller"]),
        ("\ufeffAnna\nBo\n", ["Anna", "Bo"]),
        ("id,Student\n1,Anna\n2,Bo\n", ["Anna", "Bo"]),
    ],
)
def test_a_roster_is_a_name_column_or_the_first_column(tmp_path: Path, text: str, names: list[str]) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    assert read_roster(path) == names


def test_an_empty_roster_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("name\n\n")
    with pytest.raises(ClassroomError, match="no student names"):
        read_roster(path)


def test_login_prefixes_are_typeable_and_unique(tmp_path: Path) -> None:
    assert slug_of("Jürgen Müller") == "jurgen-muller"
    assert slug_of("  ") == "student"
    classroom = Classroom.setup(tmp_path / "class", ["Anna", "anna", "ANNA!"], CLASS_EXERCISES[:1])
    assert [student.slug for student in classroom.students] == ["anna", "anna-2", "anna-3"]
    assert classroom.locate("anna-2-01") == (classroom.students[1], CLASS_EXERCISES[0])
    assert classroom.locate("anna-2-14") is None
    assert classroom.locate("alice@example.com") is None
