"""Fixtures for the store tests: every store test runs over both stores, the memory store and the Maildir store
in a fresh data directory under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from poplab.store.api import ManagedStore
from poplab.store.demo import install_demo
from poplab.store.maildir_store import MaildirStore
from poplab.store.memory import MemoryStore

KINDS = ("memory", "maildir")


def empty_data_dir(path: Path) -> Path:
    """A data directory with an accounts file that has no accounts."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "accounts.toml").write_text("", encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """An empty data directory (an accounts file without accounts)."""
    return empty_data_dir(tmp_path / "data")


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(kind: str, tmp_path: Path) -> ManagedStore:
    """An empty store of this test's kind."""
    if kind == "memory":
        return MemoryStore()
    return MaildirStore(empty_data_dir(tmp_path / "data"))


@pytest.fixture
def demo(kind: str, tmp_path: Path) -> ManagedStore:
    """A store of this test's kind holding the demo data."""
    if kind == "memory":
        return MemoryStore.with_demo()
    return install_demo(tmp_path / "data")
