"""The classroom: a roster of students, each with a generated password and one account per exercise
(``<student>-<NN>``, e.g. ``anna-schmidt-05``) holding a fresh copy of that exercise's mailbox, in a Maildir data
directory; the handout for the teacher; checking each finished session of a student and keeping the result;
resetting a student's exercise.

Layout of a classroom directory::

    class.json                     the students (name, login prefix, password) and the exercises
    handout.csv                    for the teacher: name, login prefix, password, example login
    data/                          the data directory (accounts.toml, one Maildir per account)
    records/<student>/<NN>.jsonl   every finished session of the student on that exercise's account
    results/<student>/<NN>.json    attempts (sessions), done, first done at, the checks that failed last
    results/<student>/notebooks.json   the student's notebook self-checks, written by their notebook
                                   (:mod:`poplab.exercises.notebook_progress`)

Every folder is created 0700 and every file 0600 (the handout and ``class.json`` hold every password). A CSV
cell poplab writes never starts a spreadsheet formula (:func:`csv_cell`).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import secrets
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from poplab.exercises.checks_smtp import mails
from poplab.exercises.fixture import check_context, empty_maildir_store, fill_mailbox, mailbox_state
from poplab.exercises.model import Exercise
from poplab.exercises.notebook_progress import LessonProgress, NotebookRecord, summarize
from poplab.exercises.progress import append_line, private_dir, read_json, write_json, write_private
from poplab.exercises.record import SessionRecord, record_to_json, records_from_jsonl
from poplab.exercises.result import evaluate
from poplab.exercises.variant import Variant, make_variant
from poplab.protocol.seams import Account
from poplab.store.accounts_file import dump_accounts, write_atomically
from poplab.store.maildir_store import ACCOUNTS_FILE, MaildirStore

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""No 0/o, 1/l/i: a password read off a printed slip is typed right."""
PASSWORD_LENGTH = 10
NAME_COLUMNS = ("name", "student", "schüler", "schueler", "teilnehmer")
CACHED_RECORDS = 32
"""Records of this many accounts are kept in memory between checks (the most recently checked ones)."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection")."""


class ClassroomError(ValueError):
    """A roster or classroom directory problem, in one line."""


@dataclass(frozen=True)
class Student:
    name: str
    slug: str
    password: str


@dataclass(frozen=True)
class Outcome:
    """One student's state in one exercise."""

    attempts: int = 0
    done: bool = False
    first_done_at: str | None = None
    last_failed: tuple[str, ...] = ()
    failed_logins: int = 0
    """Sessions that named this account but never got past the password: anyone can type another's login, so
    they are counted here for the teacher and are neither an attempt nor part of the record the checks read."""


def read_roster(path: Path) -> list[str]:
    """Student names from a CSV file: the column called name (or student, Schüler, Teilnehmer) if there is a
    header, else the first column. Blank lines are skipped; the file may come from Excel (BOM, semicolons)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as problem:
        raise ClassroomError(f"{path}: cannot read the roster: {problem}") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(mark in first for mark in ",;\t") else ","
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]
    column = 0
    if rows and any(cell.strip().lower() in NAME_COLUMNS for cell in rows[0]):
        column = next(i for i, cell in enumerate(rows[0]) if cell.strip().lower() in NAME_COLUMNS)
        rows = rows[1:]
    names = [row[column].strip() for row in rows if len(row) > column and row[column].strip()]
    if not names:
        raise ClassroomError(f"{path}: no student names (one name a line, or a column called name)")
    return names


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a leading ``'`` (as OWASP
    recommends); other text is kept."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def slug_of(name: str) -> str:
    """``Jürgen Müller`` → ``jurgen-muller``: a login prefix anyone can type."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:24].strip("-") or "student"


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def classroom_seed(account: str, password: str) -> str:
    """The seed of a class account's variant: its login and the student's password, so a student can have their
    own task filled in (``poplab exercise show --account --password``) but cannot compute a neighbour's."""
    return f"class/{account}/{password}"


def student_results_dir(directory: Path, slug: str) -> Path | None:
    """``results/<student>/`` of the classroom in ``directory`` for a login prefix it knows, else None (a name
    from outside never becomes a path)."""
    data = read_json(directory / "class.json")
    students = data.get("students", []) if isinstance(data, dict) else []
    wanted = slug.strip().casefold()
    for student in students:
        if isinstance(student, dict) and student.get("slug") == wanted:
            return directory / "results" / str(student["slug"])
    return None


def classroom_exercises(exercises: Iterable[Exercise]) -> tuple[Exercise, ...]:
    """The exercises a class can do on the shared server (not those that need administering it)."""
    return tuple(exercise for exercise in exercises if exercise.classroom)


@dataclass
class _Loaded:
    """A record file as far as it has been read: which file (device, inode, first octets), up to where, what."""

    identity: tuple[int, int, bytes]
    offset: int
    sessions: list[SessionRecord]


class Classroom:
    """A classroom directory. :meth:`setup` creates or extends one; the constructor opens an existing one."""

    def __init__(self, directory: Path, exercises: Sequence[Exercise]) -> None:
        self.dir = directory
        data = read_json(directory / "class.json")
        if data is None:
            raise ClassroomError(f"{directory}: not a classroom directory (no class.json); serve a roster first")
        self.students = tuple(Student(**item) for item in data["students"])
        wanted = set(data["exercises"])
        self.exercises = tuple(exercise for exercise in exercises if exercise.id in wanted)
        self.store = MaildirStore(directory / "data")
        self._loaded: dict[Path, _Loaded] = {}
        self.renamed: tuple[Student, ...] = ()
        """Students added by the last :meth:`setup` whose login prefix got a number: the name was taken."""

    @classmethod
    def setup(cls, directory: Path, names: Iterable[str], exercises: Sequence[Exercise]) -> Classroom:
        """Create the classroom (or add new names to it): accounts, fresh mailboxes and the handout. Students
        already there keep their password and their mailboxes."""
        chosen = classroom_exercises(exercises)
        private_dir(directory)
        old = read_json(directory / "class.json")
        students = [Student(**item) for item in old["students"]] if old else []
        added = _add_students(students, names)
        ids = sorted({*(old["exercises"] if old else ()), *(exercise.id for exercise in chosen)})
        write_json(directory / "class.json", {"students": [asdict(s) for s in students], "exercises": ids})
        classroom = cls(directory, exercises) if old else _fresh(directory, exercises)
        classroom._create_missing_accounts()
        classroom.write_handout()
        classroom.renamed = tuple(student for student in added if student.slug != slug_of(student.name))
        return classroom

    # ---- accounts ---------------------------------------------------------------------------------------

    def account(self, student: Student, exercise: Exercise) -> str:
        return f"{student.slug}-{exercise.id}"

    def locate(self, account: str | None) -> tuple[Student, Exercise] | None:
        """The student and exercise an account belongs to."""
        slug, _, number = (account or "").rpartition("-")
        student = next((s for s in self.students if s.slug == slug), None)
        exercise = next((e for e in self.exercises if e.id == number), None)
        return (student, exercise) if student is not None and exercise is not None else None

    def _create_missing_accounts(self) -> None:
        """An account with a fresh mailbox for each student and exercise that has none yet: new students, and
        exercises added to the class since it was made (a newer poplab). Accounts already there keep their
        mailboxes."""
        existing = {account.name for account in self.store.accounts()}
        pairs = [(s, e) for s in self.students for e in self.exercises if self.account(s, e) not in existing]
        if not pairs:
            return
        accounts = [*self.store.accounts(), *(Account(self.account(s, e), s.password) for s, e in pairs)]
        write_atomically(self.dir / "data" / ACCOUNTS_FILE, dump_accounts(accounts).encode("utf-8"))
        for student, exercise in pairs:
            fill_mailbox(self.store, exercise, self.account(student, exercise), self.variant(student, exercise))

    def variant(self, student: Student, exercise: Exercise) -> Variant:
        """The mailbox this student is served in this exercise."""
        return make_variant(exercise, classroom_seed(self.account(student, exercise), student.password))

    def find_student(self, key: str) -> Student:
        wanted = key.strip().casefold()
        for student in self.students:
            if wanted == student.slug:
                return student
        named = [student for student in self.students if student.name.casefold() == wanted]
        if len(named) > 1:
            prefixes = ", ".join(student.slug for student in named)
            raise ClassroomError(f"{len(named)} students are called {key!r}: use the login prefix ({prefixes})")
        if named:
            return named[0]
        raise ClassroomError(f"no student {key!r} in {self.dir} (use the name or login prefix of the handout)")

    def write_handout(self) -> Path:
        path = self.dir / "handout.csv"
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["name", "login prefix", "password", "logins"])
        first = self.exercises[0].id if self.exercises else "NN"
        for student in self.students:
            row = [student.name, student.slug, student.password, f"{student.slug}-NN (e.g. {student.slug}-{first})"]
            writer.writerow([csv_cell(cell) for cell in row])
        write_private(path, out.getvalue())
        return path

    # ---- results ----------------------------------------------------------------------------------------

    def notebooks(self, student: Student, lessons: Iterable[tuple[str, int]]) -> tuple[LessonProgress, ...]:
        """The student's notebook progress per lesson (``lessons``: lesson and its number of tasks)."""
        return summarize(NotebookRecord(self.dir / "results" / student.slug).entries(), lessons)

    def _records_path(self, student: Student, exercise: Exercise) -> Path:
        return self.dir / "records" / student.slug / f"{exercise.id}.jsonl"

    def _result_path(self, student: Student, exercise: Exercise) -> Path:
        return self.dir / "results" / student.slug / f"{exercise.id}.json"

    def record_session(self, record: SessionRecord, port: int = 0) -> tuple[Student, Exercise, Outcome] | None:
        """Keep a finished session of a student and check the exercise with everything done on it so far. A
        session that never logged in only counts as a failed login of the account it named. An SMTP session
        belongs to the exercise account that received its mail (a student sends only to their own)."""
        if record.protocol == "smtp":
            located = self._mail_receiver(record)
        elif record.account is None:
            return self._failed_login(record)
        else:
            located = self.locate(record.account)
        if located is None:
            return None
        student, exercise = located
        path = self._records_path(student, exercise)
        append_line(path, json.dumps(record_to_json(record)))
        sessions = self._sessions(path)
        account = self.account(student, exercise)
        variant = self.variant(student, exercise)
        context = check_context(exercise, variant, account, sessions, mailbox_state(self.store, [account]), port)
        result = evaluate(exercise, context, with_answer=False)
        old = self.outcome(student, exercise)
        when = _iso(record.closed or record.opened) if result.passed and not old.done else old.first_done_at
        failed = tuple(outcome.name for outcome in result.failed)
        outcome = replace(old, attempts=old.attempts + 1, done=old.done or result.passed, first_done_at=when)
        outcome = replace(outcome, last_failed=failed)
        write_json(self._result_path(student, exercise), asdict(outcome))
        return student, exercise, outcome

    def _mail_receiver(self, record: SessionRecord) -> tuple[Student, Exercise] | None:
        """The student and mail exercise of the first account an SMTP session's mail was accepted for."""
        accepted = (recipient for mail in mails(record) for recipient in mail.recipients)
        located = (self.locate(recipient.casefold()) for recipient in accepted)
        return next((found for found in located if found is not None and found[1].smtp), None)

    def _sessions(self, path: Path) -> tuple[SessionRecord, ...]:
        """Every session of a record file, reading only what was appended since the last check (the whole file
        again when it is another one: reset from another process, or a new classroom)."""
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            identity = (info.st_dev, info.st_ino, file.read(64))
            loaded = self._loaded.pop(path, None)
            if loaded is None or loaded.identity != identity or info.st_size < loaded.offset:
                loaded = _Loaded(identity, 0, [])
            file.seek(loaded.offset)
            new = file.read()
        complete = new[: new.rfind(b"\n") + 1]
        loaded.sessions.extend(records_from_jsonl(complete.decode("utf-8", "replace")))
        loaded.offset += len(complete)
        self._loaded[path] = loaded
        while len(self._loaded) > CACHED_RECORDS:
            del self._loaded[next(iter(self._loaded))]
        return tuple(loaded.sessions)

    def _failed_login(self, record: SessionRecord) -> tuple[Student, Exercise, Outcome] | None:
        located = self.locate(record.tried)
        if located is None:
            return None
        student, exercise = located
        old = self.outcome(student, exercise)
        outcome = replace(old, failed_logins=old.failed_logins + 1)
        write_json(self._result_path(student, exercise), asdict(outcome))
        return student, exercise, outcome

    def outcome(self, student: Student, exercise: Exercise) -> Outcome:
        data: dict[str, Any] | None = read_json(self._result_path(student, exercise))
        if data is None:
            return Outcome()
        return Outcome(
            data["attempts"],
            data["done"],
            data["first_done_at"],
            tuple(data["last_failed"]),
            int(data.get("failed_logins", 0)),
        )

    def reset(self, student: Student, exercise: Exercise | None = None) -> list[Exercise]:
        """Give the student fresh mailboxes and forget their sessions (in one exercise, or in all)."""
        chosen = [exercise] if exercise is not None else list(self.exercises)
        for item in chosen:
            self.store.set_account(Account(self.account(student, item), student.password))
            fill_mailbox(self.store, item, self.account(student, item), self.variant(student, item))
            self._records_path(student, item).unlink(missing_ok=True)
            self._loaded.pop(self._records_path(student, item), None)
            self._result_path(student, item).unlink(missing_ok=True)
        return chosen


def _add_students(students: list[Student], names: Iterable[str]) -> list[Student]:
    """Add the names not there yet. A name the roster gives twice is two students (the second gets a number in
    its login prefix); serving the same roster again adds nobody."""
    known = Counter(student.name for student in students)
    seen: Counter[str] = Counter()
    slugs = {student.slug for student in students}
    added = []
    for name in names:
        seen[name] += 1
        if seen[name] <= known[name]:
            continue
        base = slug = slug_of(name)
        counter = 2
        while slug in slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        student = Student(name, slug, new_password())
        students.append(student)
        added.append(student)
        known[name] += 1
        slugs.add(slug)
    return added


def _fresh(directory: Path, exercises: Sequence[Exercise]) -> Classroom:
    for name in ("data", "records", "results"):
        shutil.rmtree(directory / name, ignore_errors=True)
    empty_maildir_store(directory / "data")
    return Classroom(directory, exercises)


def _iso(moment: float) -> str:
    return datetime.datetime.fromtimestamp(moment).isoformat(timespec="seconds")
