"""Where a notebook's self-checks are noted: the learner's own ``notebooks.json``, kept beside the exercises'
progress (``<progress root>/<learner>/notebooks.json``, listed by ``poplab notebooks --progress``), and — when the
notebook runs for a class — the student's file in the classroom's directory, which ``poplab classroom report`` and
``poplab classroom watch`` read.

A notebook runs for a class when its environment names the classroom and the student, as a JupyterHub spawner
sets them: ``POPLAB_CLASSROOM=DIR`` (the directory of ``poplab classroom serve``) and ``POPLAB_LEARNER`` (the
student's login prefix from the handout; ``POPLAB_CLASS_LOGIN`` is read when ``POPLAB_LEARNER`` is not set). A
login prefix the classroom does not know records nothing there. The file format, the locking and the atomic
replace are :mod:`poplab.exercises.notebook_progress`'s.

On JupyterHub the check goes to the classroom server instead, which needs no folder shared with the student: when
``POPLAB_PROGRESS_URL`` names the classroom's progress endpoint (:mod:`poplab.exercises.hub_progress`), the check
is posted there with the student's own hub token (``JUPYTERHUB_API_TOKEN``, which JupyterHub gives every
student's server), and the classroom notes it for the student the hub says the token is. An endpoint that does
not answer within :data:`POST_SECONDS` costs only that record."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

from poplab.exercises.classroom import student_results_dir
from poplab.exercises.hub_progress import DIRECT
from poplab.exercises.notebook_progress import FILE, NotebookRecord, TaskEntry
from poplab.exercises.progress import LEARNER_VAR, Progress

CLASSROOM_VAR = "POPLAB_CLASSROOM"
CLASS_LOGIN_VAR = "POPLAB_CLASS_LOGIN"
PROGRESS_URL_VAR = "POPLAB_PROGRESS_URL"
HUB_TOKEN_VAR = "JUPYTERHUB_API_TOKEN"
POST_SECONDS = 3.0

__all__ = ["CLASSROOM_VAR", "FILE", "NotebookProgress", "TaskEntry", "classroom_record", "note"]


class NotebookProgress(NotebookRecord):
    """One learner's notebook progress (the same learner and folder as ``poplab exercise``)."""

    def __init__(self, root: Path | None = None, learner: str | None = None) -> None:
        super().__init__(Progress(root, learner).dir)


def classroom_record(environ: Mapping[str, str] | None = None) -> NotebookRecord | None:
    """The student's notebook record in the classroom the environment names, or None (no classroom, no student,
    or a login prefix the classroom does not know)."""
    environ = os.environ if environ is None else environ
    directory = environ.get(CLASSROOM_VAR, "").strip()
    learner = (environ.get(LEARNER_VAR) or environ.get(CLASS_LOGIN_VAR) or "").strip()
    if not directory or not learner:
        return None
    folder = student_results_dir(Path(directory).expanduser(), learner)
    return NotebookRecord(folder) if folder is not None else None


def note(task: str, passed: bool) -> None:
    """Note one check of ``task`` in the learner's progress and, for a class, in the classroom. A file that
    cannot be written costs only its record: the verdict still shows."""
    _note_in(NotebookProgress, task, passed)
    if not post_to_classroom(task, passed):
        _note_in(classroom_record, task, passed)


def post_to_classroom(task: str, passed: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Note the check at the classroom's progress endpoint, if the environment names one and a hub token; False
    when it does not (then the classroom folder, if any, is written directly). A failed post loses only this
    record."""
    environ = os.environ if environ is None else environ
    url, token = environ.get(PROGRESS_URL_VAR, "").strip(), environ.get(HUB_TOKEN_VAR, "").strip()
    if not url or not token:
        return False
    body = json.dumps({"task": task, "passed": passed}).encode()
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    try:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with DIRECT.open(request, timeout=POST_SECONDS):  # no proxy from the environment: the token is the hub's
            pass
    except (OSError, ValueError):
        pass  # the endpoint is down, refused the token, or the URL is malformed: the verdict still shows
    return True


def _note_in(where: Callable[[], NotebookRecord | None], task: str, passed: bool) -> bool:
    try:
        record = where()
        if record is None:
            return False
        record.note(task, passed)
    except (OSError, ValueError):
        return False  # a read-only home, a classroom folder not writable here, a damaged class.json
    return True
