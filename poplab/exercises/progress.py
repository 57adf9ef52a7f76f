"""A learner's progress, kept in the user data directory: per exercise whether it is done, how often it was
checked, when it was first done and how many hints were shown (``progress.json``), and the record of the
running exercise (``runs/NN/``) that the server writes at every session end so that ``poplab exercise check``
in another terminal — or a notebook — sees what the server saw.

Layout under ``$POPLAB_PROGRESS`` (default: ``<user data dir>/poplab/progress``)::

    <learner>/progress.json
    <learner>/runs/NN/run.json        where the exercise's server listens, the account, the starting UIDs
    <learner>/runs/NN/sessions.jsonl  one finished session a line, appended
    <learner>/runs/NN/mailbox.json    the store's state after the last session
    <learner>/runs/NN/data/           the Maildir data directory, for exercises that keep their mail on disk

Every file is written whole (temp file + rename) or appended a line at a time, so a reader never sees half. Files
are created readable by their owner only (0600) and folders 0700 — records hold what learners typed, a
classroom's files every password — from the start, not changed afterwards.
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs

from poplab.exercises.record import (
    MailboxState,
    SessionRecord,
    mailbox_from_json,
    mailbox_to_json,
    record_to_json,
    records_from_jsonl,
)
from poplab.exercises.result import CheckResult

ENV_VAR = "POPLAB_PROGRESS"
LEARNER_VAR = "POPLAB_LEARNER"


def default_progress_root() -> Path:
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(platformdirs.user_data_dir("poplab", appauthor=False)) / "progress"


def default_learner() -> str:
    try:
        return os.environ.get(LEARNER_VAR) or getpass.getuser()
    except (KeyError, OSError):
        return "learner"


def now() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    """One exercise's progress."""

    done: bool = False
    checks: int = 0
    first_done_at: str | None = None
    hints_shown: int = 0
    last_failed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Run:
    """What a running (or stopped) exercise's server left in ``runs/NN/``."""

    info: dict[str, Any]
    sessions: tuple[SessionRecord, ...]
    mailbox: MailboxState


PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parent, each 0700 (``Path.mkdir`` gives parents the default mode)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)


def write_json(path: Path, data: object) -> None:
    write_private(path, json.dumps(data, indent=1, ensure_ascii=False))


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def write_private(path: Path, text: str) -> None:
    """Write a text file whole (temp file + rename); the temp file is created 0600."""
    private_dir(path.parent)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def append_line(path: Path, text: str) -> None:
    private_dir(path.parent)
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
    with os.fdopen(handle, "a", encoding="utf-8") as file:
        file.write(text + "\n")


class Progress:
    """One learner's progress directory."""

    def __init__(self, root: Path | None = None, learner: str | None = None) -> None:
        name = re.sub(r"[^A-Za-z0-9._-]", "_", learner or default_learner()) or "learner"
        self.dir = (root or default_progress_root()) / name

    # ---- the running exercise's record ------------------------------------------------------------------

    def run_dir(self, exercise: str) -> Path:
        return self.dir / "runs" / exercise

    def begin_run(self, exercise: str, info: dict[str, Any]) -> None:
        """Forget the previous run of this exercise and note the new one's server."""
        folder = self.run_dir(exercise)
        for name in ("sessions.jsonl", "mailbox.json"):
            (folder / name).unlink(missing_ok=True)
        write_json(folder / "run.json", info)

    def add_session(self, exercise: str, record: SessionRecord, mailbox: MailboxState) -> None:
        append_line(self.run_dir(exercise) / "sessions.jsonl", json.dumps(record_to_json(record)))
        write_json(self.run_dir(exercise) / "mailbox.json", mailbox_to_json(mailbox))

    def read_run(self, exercise: str) -> Run | None:
        folder = self.run_dir(exercise)
        info = read_json(folder / "run.json")
        if info is None:
            return None
        try:
            text = (folder / "sessions.jsonl").read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        mailbox = read_json(folder / "mailbox.json")
        state = mailbox_from_json(mailbox) if mailbox is not None else mailbox_from_json(info.get("mailbox", {}))
        return Run(info, tuple(records_from_jsonl(text)), state)

    # ---- progress.json ----------------------------------------------------------------------------------

    def entries(self) -> dict[str, Entry]:
        data = read_json(self.dir / "progress.json") or {}
        return {key: _entry(value) for key, value in data.get("exercises", {}).items()}

    def entry(self, exercise: str) -> Entry:
        return self.entries().get(exercise, Entry())

    def _save(self, exercise: str, entry: Entry | None) -> None:
        entries = self.entries()
        if entry is None:
            entries.pop(exercise, None)
        else:
            entries[exercise] = entry
        write_json(self.dir / "progress.json", {"exercises": {key: asdict(value) for key, value in entries.items()}})

    def note_check(self, result: CheckResult) -> Entry:
        old = self.entry(result.exercise)
        first = old.first_done_at or (now() if result.passed else None)
        failed = tuple(outcome.name for outcome in result.failed)
        entry = replace(
            old, done=old.done or result.passed, checks=old.checks + 1, first_done_at=first, last_failed=failed
        )
        self._save(result.exercise, entry)
        return entry

    def note_hint(self, exercise: str, count: int) -> int:
        """Count one more hint shown (at most ``count``); returns the number of the hint to show (from 1)."""
        old = self.entry(exercise)
        shown = min(old.hints_shown + 1, count)
        self._save(exercise, replace(old, hints_shown=shown))
        return shown

    def reset(self, exercise: str) -> None:
        """Forget an exercise's progress and its run (a running server goes on with its own mailbox)."""
        self._save(exercise, None)
        shutil.rmtree(self.run_dir(exercise), ignore_errors=True)


def _entry(data: dict[str, Any]) -> Entry:
    return Entry(
        done=bool(data.get("done", False)),
        checks=int(data.get("checks", 0)),
        first_done_at=data.get("first_done_at"),
        hints_shown=int(data.get("hints_shown", 0)),
        last_failed=tuple(data.get("last_failed", ())),
    )
