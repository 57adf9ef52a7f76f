"""The "try from here" branch, without Textual: a live session on a fresh bundled server brought to the replay's
position by sending the recorded client's commands again, so a learner can take another branch. The fresh server
serves the demo mailboxes (or, for a classroom record, the student's mailbox as it was served), so the same
commands give the same state, the same messages and the same deletion marks.

Recordings hold no secrets: a redacted PASS is sent with the account's password on the fresh server, a redacted
APOP with the digest of the fresh greeting's timestamp. Other credentials (AUTH) cannot be replayed; the branch
notes that and goes on.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from poplab.protocol.seams import Account
from poplab.store.memory import MemoryStore
from poplab.transcript import REDACTED
from poplab.tui import replay_texts as texts
from poplab.tui.conductor import Conductor
from poplab.tui.lab import BundledServer, Lab
from poplab.tui.replay_files import Recording


def branch_store(recording: Recording, account: str | None) -> MemoryStore:
    """The demo store; for a recording that brings its mailbox, that account alone, holding those messages."""
    if recording.mailbox is None or account is None:
        return MemoryStore.with_demo()
    store = MemoryStore()
    store.add_account(Account(account, secrets.token_hex(8)))
    store.replace(account, list(recording.mailbox))
    return store


def logged_in_as(lines: list[bytes]) -> str | None:
    """The account the client named last with USER or APOP."""
    named = None
    for raw in lines:
        words = raw.decode("utf-8", "replace").split()
        if len(words) > 1 and words[0].upper() in ("USER", "APOP"):
            named = words[1]
    return named


class Branch:
    """A conductor on a fresh bundled server; :meth:`start` replays ``lines`` (the client's, redacted) into it."""

    def __init__(self, recording: Recording, lines: list[bytes], lang: str, cert_dir: Path) -> None:
        self.lines = lines
        self.store = branch_store(recording, logged_in_as(lines))
        bundled = BundledServer(cert_dir, self.store, failed_login_delay=0.0)
        lab = Lab(None, bundled)
        if recording.implicit_tls:
            lab.security = "tls"
        self.conductor = Conductor(lab, lang=lang, cert_dir=cert_dir, login_delay=0.0)
        self.replayed = 0
        self._user: str | None = None

    async def start(self) -> None:
        conductor = self.conductor
        await conductor.start()
        for raw in self.lines:
            line = await self._prepare(raw)
            if line is not None:
                await conductor.send(line)
                self.replayed += 1

    async def stop(self) -> None:
        await self.conductor.stop()

    async def _prepare(self, raw: bytes) -> str | None:
        """The line to send again: as recorded, or with the secret the recording left out."""
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        words = line.split()
        verb = words[0].upper() if words else ""
        if verb == "USER" and len(words) > 1:
            self._user = words[1]
        if REDACTED not in line:
            return line
        account = self.store.account(self._user or "") if verb == "PASS" else None
        if verb == "PASS" and account is not None:
            return f"PASS {account.password}"
        if verb == "APOP" and len(words) > 2 and (named := self.store.account(words[1])) is not None:
            return await self.conductor.apop(named.name, named.shared_secret)
        await self.conductor.note(texts.TRY_LOGIN_UNKNOWN, "warning", verb=verb or "AUTH")
        return None
