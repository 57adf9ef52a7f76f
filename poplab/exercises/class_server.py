"""The classroom server: the teaching server over the classroom's data directory, with a recorder that hands
every finished session to a worker thread, which checks it and keeps the student's result. The server's own
thread never waits for a check, and a check that fails with an error is logged and costs no other session.

When the class has an exercise that sends mail (16), an SMTP server runs beside POP3 over the same mailboxes.
In class it is a submission server as RFC 6409 describes it: every client logs in (AUTH) before MAIL, loopback
too, and a student sends only to their own account of that exercise, so nobody can fill a classmate's mailbox
(or their own POP3 exercise's) or do their sending for them. Failed logins count in the POP3 server's throttle.
Its sessions are recorded and checked as the POP3 ones, under the student whose account received the mail.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType

from poplab.exercises.classroom import Classroom, Outcome, Student
from poplab.exercises.model import Exercise
from poplab.exercises.record import SessionRecord
from poplab.exercises.recorder import Recorder, RecordingStore, SmtpRecorder
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.smtp import SmtpSettings, SmtpThread

logger = logging.getLogger("poplab.classroom")

Checked = Callable[[Student, Exercise, Outcome, SessionRecord], None]


class ClassServer:
    """``with ClassServer(classroom, settings) as server: ...``; ``on_checked`` hears about every result.
    ``smtp_port``: where SMTP listens when the class has an exercise that sends mail (0: a free port; None: no
    SMTP, and such an exercise cannot be done)."""

    def __init__(
        self,
        classroom: Classroom,
        settings: ServerSettings,
        on_checked: Checked | None = None,
        smtp_port: int | None = 0,
    ) -> None:
        self.classroom = classroom
        if any(exercise.apop for exercise in classroom.exercises):
            settings = replace(settings, protocol=replace(settings.protocol, apop=True))
        self.settings = settings
        self.recording = RecordingStore(classroom.store)
        self.recorder = Recorder(self.recording, self._queue_put, keep=False)
        self.server = ServerThread(self.recording, settings)
        self.smtp_recorder = SmtpRecorder(self._queue_put)
        self.smtp: SmtpThread | None = None
        self._smtp_port = smtp_port if any(exercise.smtp for exercise in classroom.exercises) else None
        self.on_checked = on_checked
        self._queue: queue.Queue[SessionRecord | None] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="poplab-classroom", daemon=True)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int | None:
        return self.server.tls_port

    @property
    def smtp_port(self) -> int | None:
        return int(self.smtp.port) if self.smtp is not None else None

    def start(self) -> ClassServer:
        self._worker.start()
        self.server.start()
        self.server.subscribe(self.recorder.observe)
        if self.serves_smtp:
            smtp = SmtpThread(self.classroom.store, self._smtp_settings(), self.server.server.throttle)
            try:
                smtp.start()
            except OSError:
                self.server.stop()
                self._queue.put(None)  # the worker ends too
                raise
            smtp.subscribe(self.smtp_recorder.observe)
            self.smtp = smtp
        return self

    @property
    def serves_smtp(self) -> bool:
        """Whether SMTP runs (or will run) beside POP3: the class has an exercise that sends mail."""
        return self._smtp_port is not None

    def _smtp_settings(self) -> SmtpSettings:
        pop = self.settings
        return SmtpSettings(
            host=pop.host,
            port=self._smtp_port or 0,
            tls=pop.tls,
            allow_plaintext=pop.protocol.allow_plaintext,
            failed_login_delay=pop.protocol.failed_login_delay,
            require_auth=True,
            recipient_rule=self._own_accounts_only,
        )

    def _own_accounts_only(self, login: str, account: str) -> str | None:
        """In class a student sends only to their own accounts of an exercise that sends mail (the reply that
        refuses any other: a classmate's, or their own POP3 exercise's, whose mailbox the checks rely on)."""
        sender, receiver = self.classroom.locate(login), self.classroom.locate(account)
        if sender is not None and receiver is not None and sender[0] == receiver[0] and receiver[1].smtp:
            return None
        return (
            f"550 5.7.1 <{account}>: in this class you send only to your own account of the mail exercise "
            f"(you logged in as {login})"
        )

    def _queue_put(self, record: SessionRecord) -> None:
        self._queue.put(record)

    def _work(self) -> None:
        while (record := self._queue.get()) is not None:
            try:
                self._check(record)
            except Exception:
                logger.exception("checking session %d failed; the class goes on", record.id)
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _check(self, record: SessionRecord) -> None:
        checked = self.classroom.record_session(record, self.port)
        if checked is not None and self.on_checked is not None:
            student, exercise, outcome = checked
            self.on_checked(student, exercise, outcome, record)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until every session that has ended so far is checked (for tests and a clean stop)."""
        self.recorder.settle(timeout)
        self.smtp_recorder.settle(timeout)
        self._queue.join()

    def stop(self) -> None:
        if self.smtp is not None:
            self.smtp.stop()
        self.server.stop()
        self._queue.put(None)
        self._worker.join(timeout=30)

    def __enter__(self) -> ClassServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
