"""Classroom exercises: the exercise model and loader for the top-level ``exercises/`` folder, named pure checks
over the server-side record of a learner's sessions and the final mailbox state, hints, per-learner progress,
and the classroom server. The API the other faces use::

    from poplab.exercises import load_exercises, find_exercise, start
    running = start(find_exercise("05", load_exercises()))
    print(running.task(), running.port, running.account, running.password)
    print(running.check().text())      # what passed, what did not, the next hint
"""

from __future__ import annotations

from poplab.exercises.loader import ExerciseError, exercises_dir, find_exercise, load_exercise, load_exercises
from poplab.exercises.model import Answer, CheckSpec, Exercise, Fixture
from poplab.exercises.progress import Progress
from poplab.exercises.record import MailboxState, SessionRecord
from poplab.exercises.registry import CheckContext, registered
from poplab.exercises.result import CheckOutcome, CheckResult, evaluate
from poplab.exercises.running import Listen, RunningExercise, start
from poplab.exercises.texts import Message, Text

__all__ = [
    "Answer",
    "CheckContext",
    "CheckOutcome",
    "CheckResult",
    "CheckSpec",
    "Exercise",
    "ExerciseError",
    "Fixture",
    "Listen",
    "MailboxState",
    "Message",
    "Progress",
    "RunningExercise",
    "SessionRecord",
    "Text",
    "evaluate",
    "exercises_dir",
    "find_exercise",
    "load_exercise",
    "load_exercises",
    "registered",
    "start",
]
