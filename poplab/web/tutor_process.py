"""One visitor's tutor process. textual-serve's ``AppService`` starts its command through a shell
(``create_subprocess_shell``) with the web server's whole environment; this one starts a fixed argument vector
with ``create_subprocess_exec`` — no shell, so nothing a visitor typed (a login, a password) is ever parsed as shell
text — in its own private visitor directory, with a small environment, confined by :mod:`poplab.web.confine`.
A password the tutor needs travels in the environment (``POPLAB_PASSWORD``), never on the command line where
``ps`` would show it. The directory is removed when the process ends."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
from asyncio.subprocess import Process
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual_serve.app_service import AppService

STOP_SECONDS = 5.0
PASSED_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONPATH", "VIRTUAL_ENV", "SSL_CERT_FILE")


@dataclass(frozen=True)
class TutorCommand:
    """What a visitor's tutor runs: ``poplab`` arguments (never a shell line) and extra environment."""

    arguments: tuple[str, ...]
    environment: Mapping[str, str] = field(default_factory=dict)
    sandbox: bool = True

    def argv(self, directory: Path) -> list[str]:
        """The argument vector: this Python, the confining entry point, the visitor directory, poplab's args."""
        head = [sys.executable, "-m", "poplab.web.visitor"] + ([] if self.sandbox else ["--no-sandbox"])
        return [*head, str(directory), *self.arguments]


def visitor_environment(directory: Path, extra: Mapping[str, str], width: int, height: int) -> dict[str, str]:
    """The tutor's environment: a few of ours (PATH, locale), HOME/TMPDIR/POPLAB_DATA in the visitor directory,
    textual's web driver, and ``extra``; nothing else of the web server's (no tokens or keys leak into it)."""
    environment = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
    environment.update(
        HOME=str(directory),
        TMPDIR=str(directory),
        POPLAB_DATA=str(directory / "data"),
        POPLAB_PROGRESS=str(directory / "progress"),
        PYTHONDONTWRITEBYTECODE="1",
        TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
        TEXTUAL_FPS="30",
        TEXTUAL_COLOR_SYSTEM="truecolor",
        TERM_PROGRAM="textual",
        COLUMNS=str(width),
        ROWS=str(height),
    )
    environment.update(extra)
    return environment


class TutorProcess(AppService):
    """textual-serve's app service for one visitor, started without a shell and confined."""

    def __init__(self, command: TutorCommand, root: Path | None, **kwargs: Any) -> None:
        super().__init__(" ".join(command.arguments), **kwargs)
        self.tutor = command
        self.directory = Path(tempfile.mkdtemp(prefix="visitor-", dir=root))  # 0700, a name nobody can guess

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = visitor_environment(self.directory, self.tutor.environment, width, height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.tutor.argv(self.directory),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            cwd=self.directory,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Ask the tutor to quit; kill it if it has not within :data:`STOP_SECONDS`; remove its directory."""
        with contextlib.suppress(TimeoutError, ConnectionError):
            await asyncio.wait_for(super().stop(), STOP_SECONDS)
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
        if self._task is not None:
            self._task.cancel()
            self._task = None
        shutil.rmtree(self.directory, ignore_errors=True)
