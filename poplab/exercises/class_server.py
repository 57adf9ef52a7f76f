"""The classroom server: the teaching server over the classroom's data directory, with a recorder that hands
every finished session to a worker thread, which checks it and keeps the student's result. The server's own
thread never waits for a check, and a check that fails with an error is logged and costs no other session.
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
from poplab.exercises.recorder import Recorder, RecordingStore
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings

logger = logging.getLogger("poplab.classroom")

Checked = Callable[[Student, Exercise, Outcome, SessionRecord], None]


class ClassServer:
    """``with ClassServer(classroom, settings) as server: ...``; ``on_checked`` hears about every result."""

    def __init__(self, classroom: Classroom, settings: ServerSettings, on_checked: Checked | None = None) -> None:
        self.classroom = classroom
        if any(exercise.apop for exercise in classroom.exercises):
            settings = replace(settings, protocol=replace(settings.protocol, apop=True))
        self.recording = RecordingStore(classroom.store)
        self.recorder = Recorder(self.recording, self._queue_put, keep=False)
        self.server = ServerThread(self.recording, settings)
        self.on_checked = on_checked
        self._queue: queue.Queue[SessionRecord | None] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="poplab-classroom", daemon=True)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int | None:
        return self.server.tls_port

    def start(self) -> ClassServer:
        self._worker.start()
        self.server.start()
        self.server.subscribe(self.recorder.observe)
        return self

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
        self._queue.join()

    def stop(self) -> None:
        self.server.stop()
        self._queue.put(None)
        self._worker.join(timeout=30)

    def __enter__(self) -> ClassServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
