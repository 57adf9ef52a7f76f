"""Signing in to a class in the browser: a name (or login prefix) and the password from the handout, checked
against the classroom directory's ``class.json`` (re-read at each attempt, so students added by a later
``classroom serve`` can sign in); a signed-in browser holds a random ticket (a cookie), which names the student
for the tutor process. Failed attempts are slowed down per address."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from poplab.exercises import load_exercises
from poplab.exercises.classroom import Classroom, ClassroomError, Student

TICKET_SECONDS = 12 * 3600
"""A ticket lasts a school day."""
FAILED_DELAY = 1.0
"""Seconds each failed sign-in waits, and more after repeated failures from one address (up to 8 s)."""
MAX_TICKETS = 10_000
MAX_FIELD = 200


@dataclass(frozen=True)
class Ticket:
    student: Student
    expires: float


class ClassLogins:
    """The class's sign-ins: :meth:`sign_in` checks credentials and returns a ticket; :meth:`student` reads one."""

    def __init__(self, directory: Path, exercises_dir: Path | None = None) -> None:
        self.directory = directory
        self.exercises = load_exercises(exercises_dir)
        self.classroom()  # a wrong directory is an error at start, not at the first sign-in
        self._tickets: dict[str, Ticket] = {}
        self._failures: dict[str, int] = {}

    def classroom(self) -> Classroom:
        return Classroom(self.directory, self.exercises)

    def find(self, name: str, password: str) -> Student | None:
        """The student with this name or login prefix and password, or None."""
        if not name or not password or len(name) > MAX_FIELD or len(password) > MAX_FIELD:
            return None
        try:
            student = self.classroom().find_student(name)
        except ClassroomError:
            return None
        return student if secrets.compare_digest(student.password.encode(), password.strip().encode()) else None

    async def sign_in(self, name: str, password: str, address: str) -> str | None:
        """A new ticket for the student, or None after a delay that grows with the address's failures."""
        student = self.find(name, password)
        if student is None:
            failures = self._failures.get(address, 0) + 1
            self._failures[address] = failures
            await asyncio.sleep(min(FAILED_DELAY * failures, 8.0))
            return None
        self._failures.pop(address, None)
        self._forget_expired()
        ticket = secrets.token_urlsafe(32)
        self._tickets[ticket] = Ticket(student, time.monotonic() + TICKET_SECONDS)
        return ticket

    def student(self, ticket: str | None) -> Student | None:
        found = self._tickets.get(ticket or "")
        if found is None or found.expires < time.monotonic():
            return None
        return found.student

    def sign_out(self, ticket: str | None) -> None:
        self._tickets.pop(ticket or "", None)

    def _forget_expired(self) -> None:
        now = time.monotonic()
        for key in [key for key, value in self._tickets.items() if value.expires < now]:
            del self._tickets[key]
        while len(self._tickets) >= MAX_TICKETS:
            del self._tickets[next(iter(self._tickets))]
