"""The notebook's lab: :class:`Lab` runs the bundled teaching server in a background thread on free loopback
ports (plain with STLS, and implicit TLS with a certificate made in a temporary folder) over fresh demo
mailboxes; :meth:`Lab.connect` gives the same notebook API against any other POP3 server. Nothing starts until
a lab is made, and :meth:`Lab.stop` (or leaving the ``with`` block) leaves no thread, socket or folder behind.
Beside the POP3 server runs the lab's SMTP server over the same store (:attr:`Lab.smtp_port`,
:meth:`Lab.smtp_session`): mail sent there arrives in the mailboxes the POP3 sessions read."""

from __future__ import annotations

import shutil
import ssl
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any, Literal

from poplab.client import tls_context
from poplab.notebook import texts
from poplab.notebook.eavesdrop import Eavesdropper
from poplab.notebook.exercise import NotebookExercise
from poplab.notebook.exercise import load as load_exercise
from poplab.notebook.mailbox import AccountsView, MailboxView
from poplab.notebook.place import LabBase, Tls
from poplab.notebook.sandbox import Sandbox
from poplab.notebook.session import LabError
from poplab.notebook.smtp_session import LabSmtpSession
from poplab.protocol.seams import Account
from poplab.server.bundled import lab_settings, lab_smtp
from poplab.server.certs import ensure_certificate
from poplab.server.runner import ServerThread
from poplab.store.api import ManagedStore
from poplab.store.demo import demo_accounts, install_demo, restore_demo
from poplab.store.maildir_store import MaildirStore
from poplab.store.memory import MemoryStore

StoreKind = Literal["memory", "maildir"]
SETTLE_SECONDS = 5.0


def _shut(server: ServerThread, smtp: Any, folder: Path) -> None:
    smtp.stop()
    _shut_pop3(server, folder)


class Lab(LabBase):
    """``lab = Lab()`` (or ``with Lab(lang="de") as lab:``) — then ``lab.session("wiki@example.com")``.

    ``store`` "memory" (default) or "maildir" (a Maildir in :attr:`folder`); ``apop`` puts a timestamp in the
    greeting; ``login_delay`` is the pause after a failed login (short, for class).
    """

    def __init__(
        self, lang: str | None = None, *, store: StoreKind = "memory", apop: bool = False, login_delay: float = 0.2
    ) -> None:
        super().__init__(lang)
        self.login_delay = login_delay
        self.taps: list[Eavesdropper] = []
        self.exercises: list[NotebookExercise] = []
        self.sandboxes: dict[str, Sandbox] = {}
        self.folder = Path(tempfile.mkdtemp(prefix="poplab-lab-"))
        try:
            self.store: ManagedStore = install_demo(self.folder / "data") if store == "maildir" else _memory()
            settings = lab_settings(self.folder / "tls", apop=apop, login_delay=login_delay, host=self.host)
            self.cafile = ensure_certificate(self.folder / "tls").cert
            self.server = ServerThread(self.store, settings).start()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        try:
            self.smtp = lab_smtp(self.store, self.folder / "tls", host=self.host)
        except BaseException:
            _shut_pop3(self.server, self.folder)
            raise
        self.smtp_sessions: list[LabSmtpSession] = []
        self._finalizer = weakref.finalize(self, _shut, self.server, self.smtp, self.folder)

    @classmethod
    def connect(
        cls, host: str, port: int, tls: Tls = False, *, cafile: str | Path | None = None, verify: bool = True,
        lang: str | None = None,
    ) -> RemoteLab:  # fmt: skip
        """The notebook API against any POP3 server (Dovecot, a provider); the server-side views are not there."""
        return RemoteLab(host, port, tls, tls_context(cafile, verify), lang)

    # ---- where it listens -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._finalizer.alive

    def _check(self) -> None:
        if not self.running:
            raise LabError(self.t(texts.ERR_STOPPED))

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int:
        port = self.server.tls_port
        assert port is not None
        return port

    @property
    def smtp_port(self) -> int:
        """The port of the lab's SMTP server (plain, STARTTLS offered; AUTH optional on loopback)."""
        return int(self.smtp.port)

    def smtp_session(self) -> LabSmtpSession:
        """A new SMTP session to the lab's SMTP server: ``send("EHLO me")``, ``send("MAIL FROM:<...>")`` ..."""
        self._check()
        session = LabSmtpSession(self.host, self.smtp_port, self.lang)
        self.smtp_sessions.append(session)
        return session

    def maildir(self, account: str) -> Path:
        """The Maildir of ``account`` in a lab made with ``store="maildir"`` (new/ holds mail not yet seen)."""
        self._password_for(account)
        if not isinstance(self.store, MaildirStore):
            raise LabError(self.t(texts.ERR_NOT_MAILDIR))
        return self.store.maildir_path(account)

    @property
    def data_dir(self) -> Path:
        """The data directory of a lab made with ``store="maildir"`` (accounts.toml and one Maildir each)."""
        return self.folder / "data"

    @property
    def server_name(self) -> str:
        return f"{self.host}:{self.port}"

    def tls_context(self) -> ssl.SSLContext:
        """A client context that trusts the lab's own certificate (and checks it)."""
        return tls_context(self.cafile)

    def _port_for(self, tls: Tls) -> int:
        self._check()
        return self.tls_port if tls is True else self.port

    def _password_for(self, account: str) -> str:
        found = self.store.account(account)
        if found is None:
            raise LabError(self.t(texts.ERR_UNKNOWN_ACCOUNT, account=account))
        return found.password

    # ---- the server side --------------------------------------------------------------------------------

    def mailbox(self, account: str) -> MailboxView:
        """The mailbox as the server sees it now, with the marks of the session holding it."""
        self._check()
        self._password_for(account)
        return MailboxView.read(self.server, self.store, account, self.lang)

    def accounts(self) -> AccountsView:
        """Every account with its POP access, mailbox size and lock."""
        return AccountsView.read(self.store, self.lang)

    def deliver(self, account: str, message: str | bytes) -> str:
        """New mail arrives for ``account``; returns its UIDL id."""
        self._password_for(account)
        return self.store.deliver(account, message.encode("utf-8") if isinstance(message, str) else message)

    def add_account(self, name: str, password: str, pop_enabled: bool = True) -> None:
        self.store.add_account(Account(name, password, pop_enabled))

    def set_pop_enabled(self, account: str, enabled: bool) -> None:
        """Switch POP access for one account on or off, as Exchange's ``Set-CasMailbox -PopEnabled``."""
        found = self.store.account(account)
        if found is None:
            raise LabError(self.t(texts.ERR_UNKNOWN_ACCOUNT, account=account))
        self.store.set_account(Account(found.name, found.password, enabled, found.apop_secret))

    def eavesdropper(self, tls: bool = False) -> Eavesdropper:
        """A relay that records every byte between a client and this server (on the plain or the TLS port)."""
        tap = Eavesdropper(self, self.host, self._port_for(tls), tls).start()
        self.taps.append(tap)
        return tap

    def exercise(self, ident: str, save_progress: bool = True) -> NotebookExercise:
        """Exercise ``ident`` (e.g. "05") on its own fresh server; ``.check()`` says what passed and what not.
        Progress is saved as ``poplab exercise`` does, unless ``save_progress`` is False."""
        self._check()
        running = load_exercise(self, ident, save_progress)
        self.exercises.append(running)
        return running

    def sandbox(self, task: str, *, fresh: bool = False, apop: bool = False) -> Sandbox:
        """Task ``task``'s own copy of the demo mailboxes on a server of its own (made on first use; ``fresh``
        replaces it with a new copy). Self-checks work there, so a wrong try never changes the lab's mailboxes."""
        self._check()
        old = self.sandboxes.get(task)
        if old is not None and not fresh:
            return old
        if old is not None:
            old.stop()
        made = self.sandboxes[task] = Sandbox(self, task, apop=apop)
        return made

    # ---- reset and stop ---------------------------------------------------------------------------------

    def reset(self) -> None:
        """Cut every session (nothing marked is deleted) and restore exactly the demo accounts and mailboxes."""
        self._check()
        self.drop_sessions()
        self._drop_smtp_sessions()
        self._cut_server_sessions()
        demo = {account.name for account in demo_accounts()}
        for account in self.store.accounts():
            if account.name not in demo:
                self.store.remove_account(account.name)
        restore_demo(self.store)

    def _cut_server_sessions(self) -> None:
        server = self.server

        def cut() -> None:
            for session in list(server.server.sessions):
                session.shutdown()

        server.call(cut)
        deadline = time.monotonic() + SETTLE_SECONDS
        while server.session_count() and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        """Cut every session, close the eavesdroppers, stop the servers, remove the temporary folder."""
        self.drop_sessions()
        self._drop_smtp_sessions()
        for tap in self.taps:
            tap.close()
        self.taps.clear()
        for exercise in self.exercises:
            exercise.stop()
        self.exercises.clear()
        for sandbox in self.sandboxes.values():
            sandbox.stop()
        self.sandboxes.clear()
        self.consoles.clear()
        self._finalizer()

    def _drop_smtp_sessions(self) -> None:
        for session in self.smtp_sessions:
            session.drop()
        self.smtp_sessions.clear()

    def __repr__(self) -> str:
        if not self.running:
            return self.t(texts.LAB_STOPPED)
        return self.t(texts.LAB_RUNNING, host=self.host, port=self.port, tls_port=self.tls_port)


def _shut_pop3(server: ServerThread, folder: Path) -> None:
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _memory() -> MemoryStore:
    return MemoryStore.with_demo()


class RemoteLab(LabBase):
    """``Lab.connect(host, port, tls=...)``: sessions to another server; no server-side views."""

    def __init__(self, host: str, port: int, tls: Tls, context: ssl.SSLContext, lang: str | None) -> None:
        super().__init__(lang)
        self.host = host
        self.port = port
        self.default_tls = tls
        self._context = context

    @property
    def server_name(self) -> str:
        return f"{self.host}:{self.port}"

    def tls_context(self) -> ssl.SSLContext:
        return self._context

    def _port_for(self, tls: Tls) -> int:
        return self.port

    def mailbox(self, account: str) -> MailboxView:
        raise LabError(self.t(texts.ERR_NOT_BUNDLED, server=self.server_name))

    def __repr__(self) -> str:
        return self.t(texts.LAB_REMOTE, host=self.host, port=self.port)
