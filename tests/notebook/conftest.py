"""Fixtures for the notebook API tests: a fresh lab per test (they start in milliseconds), in either language,
with exercise progress kept in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.notebook import Lab


@pytest.fixture(autouse=True)
def _progress_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POPLAB_PROGRESS", str(tmp_path / "progress"))


@pytest.fixture
def lab() -> Iterator[Lab]:
    with Lab(lang="en") as made:
        yield made


@pytest.fixture
def lab_de() -> Iterator[Lab]:
    with Lab(lang="de") as made:
        yield made
