"""Fixtures for the tutor's tests: the app with the bundled server on free loopback ports and fresh demo
mailboxes, its certificate and lesson progress in a temporary directory, no delay after a failed login, and no
welcome screen (its own tests ask for it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from poplab.tui.app import TutorApp, TutorOptions

MakeApp = Callable[..., TutorApp]


@pytest.fixture
def make_app(tmp_path: Path) -> MakeApp:
    def make(**options: object) -> TutorApp:
        settings: dict[str, object] = {"data_dir": tmp_path, "login_delay": 0.0, "lang": "en", "welcome": False}
        settings.update(options)
        return TutorApp(TutorOptions(**settings))  # type: ignore[arg-type]

    return make
