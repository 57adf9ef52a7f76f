"""A task's own copy of the demo mailboxes: a second teaching server, started in milliseconds over fresh demo
data, that a self-check (or a task's console) works on. A wrong try there costs nothing — the lab's own
mailboxes, and so the lesson's later text, stay as they were — and the next check starts from a fresh copy."""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

from poplab.notebook.mailbox import MailboxView
from poplab.notebook.place import Tls, security_of
from poplab.notebook.session import LabSession
from poplab.server.bundled import lab_settings
from poplab.server.runner import ServerThread
from poplab.store.memory import MemoryStore

if TYPE_CHECKING:
    from poplab.notebook.lab import Lab


class Sandbox:
    """``lab.sandbox("03-2")``: the copy one task works on; sessions to it render as usual."""

    def __init__(self, lab: Lab, task: str, apop: bool = False) -> None:
        self.lab = lab
        self.task = task
        self.store = MemoryStore.with_demo()
        settings = lab_settings(lab.folder / "tls", apop=apop, login_delay=lab.login_delay, host=lab.host)
        self.server = ServerThread(self.store, settings).start()
        self.sessions: list[LabSession] = []

    @property
    def lang(self) -> str:
        return self.lab.lang

    @property
    def host(self) -> str:
        return self.lab.host

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int:
        port = self.server.tls_port
        assert port is not None
        return port

    @property
    def server_name(self) -> str:
        return f"{self.host}:{self.port}"

    def tls_context(self) -> ssl.SSLContext:
        return self.lab.tls_context()

    def session(self, account: str | None = None, *, tls: Tls = False) -> LabSession:
        """A session to this copy, logged in (USER/PASS) when ``account`` is given."""
        port = self.tls_port if tls is True else self.port
        session = LabSession.open(self, self.host, port, security_of(tls), self.tls_context() if tls else None)
        self.sessions.append(session)
        if account is not None:
            found = self.store.account(account)
            session.login(account, found.password if found is not None else "")
        return session

    def mailbox(self, account: str) -> MailboxView:
        return MailboxView.read(self.server, self.store, account, self.lang)

    def stored(self, account: str) -> dict[str, bytes]:
        return self.store.stored(account)

    def stop(self) -> None:
        for session in self.sessions:
            session.drop()
        self.sessions.clear()
        self.server.stop()
