"""Shared pieces of the poplab web tests: a classroom directory with two students."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from poplab.exercises import load_exercises
from poplab.exercises.classroom import Classroom


@pytest.fixture
def classroom_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "classroom"
    Classroom.setup(directory, ["Anna Schmidt", "Ben <script>Ortiz"], load_exercises())
    return directory


def password_of(directory: Path, slug: str) -> str:
    students = json.loads((directory / "class.json").read_text(encoding="utf-8"))["students"]
    return str(next(student["password"] for student in students if student["slug"] == slug))
