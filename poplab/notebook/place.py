"""What every lab has, bundled or remote: the language, opening sessions (plain, STLS, implicit TLS, logged in
or not), the console, the exercises, and closing everything it opened."""

from __future__ import annotations

import ssl
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Self

from poplab.client.session import Security
from poplab.i18n import resolve_language, translator
from poplab.notebook import texts
from poplab.notebook.session import LabError, LabSession

if TYPE_CHECKING:
    from poplab.notebook.console import Console
    from poplab.notebook.eavesdrop import Eavesdropper
    from poplab.notebook.sandbox import Sandbox

Tls = bool | Literal["stls"]
"""False: plain POP3; "stls": plain, then STLS; True: implicit TLS (the 995-style port)."""


def security_of(tls: Tls) -> Security:
    return "tls" if tls is True else "stls" if tls == "stls" else "plain"


class LabBase:
    """The shared part of :class:`~poplab.notebook.lab.Lab` and :class:`~poplab.notebook.lab.RemoteLab`."""

    host = "127.0.0.1"
    default_tls: Tls = False

    def __init__(self, lang: str | None) -> None:
        self._lang = resolve_language(lang)
        self.sessions: list[LabSession] = []
        self.consoles: dict[str, Console] = {}
        """The newest console of each task (``lab.console(task="01-3")``), which that task's self-check reads."""

    @property
    def lang(self) -> str:
        """The language of every rendering: "en" or "de" (can be changed at any time)."""
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._lang = resolve_language(value)

    def t(self, message: str, /, **values: object) -> str:
        return translator(self._lang)(message, **values)

    # ---- to be provided by the two kinds of lab ---------------------------------------------------------

    @property
    def server_name(self) -> str:
        raise NotImplementedError

    def tls_context(self) -> ssl.SSLContext | None:
        raise NotImplementedError

    def _port_for(self, tls: Tls) -> int:
        raise NotImplementedError

    def _password_for(self, account: str) -> str:
        raise LabError(self.t(texts.ERR_NEED_PASSWORD, account=account))

    def sandbox(self, task: str, *, fresh: bool = False, apop: bool = False) -> Sandbox:
        raise LabError(self.t(texts.ERR_NOT_BUNDLED, server=self.server_name))

    # ---- sessions -------------------------------------------------------------------------------------

    def session(
        self,
        account: str | None = None,
        password: str | None = None,
        *,
        tls: Tls | None = None,
        via: Eavesdropper | None = None,
    ) -> LabSession:
        """A new session, logged in with USER/PASS when ``account`` is given (else still in AUTHORIZATION)."""
        chosen: Tls = self.default_tls if tls is None else tls
        if via is not None:
            chosen = True if via.tls else chosen
        port = via.port if via is not None else self._port_for(chosen)
        context = self.tls_context() if chosen else None
        session = LabSession.open(self, self.host, port, security_of(chosen), context)
        self.sessions.append(session)
        if account is not None:
            secret = password if password is not None else self._password_for(account)
            exchange = session.login(account, secret)
            if not exchange.ok:
                session.drop()
                raise LabError(self.t(texts.ERR_LOGIN_FAILED, account=account, reply=exchange.status))
        return session

    def console(
        self,
        account: str | None = None,
        password: str | None = None,
        *,
        tls: Tls | None = None,
        via: Eavesdropper | None = None,
        task: str | None = None,
    ) -> Console:
        """A text box and an output area: type POP3 commands, see each annotated exchange appear.

        With ``task`` (e.g. "01-3") the console talks to that task's own fresh copy of the demo mailboxes
        (:meth:`sandbox`), and the task's self-check reads what the server saw there."""
        from poplab.notebook.console import Console  # ipywidgets only when a console is wanted

        if task is None:

            def open_session() -> LabSession:
                return self.session(account, password, tls=tls, via=via)

        else:
            sandbox = self.sandbox(task, fresh=True)

            def open_session() -> LabSession:
                return sandbox.session(account, tls=tls or False)

        made = Console(open_session(), reopen=open_session)  # reopened when a reset cut the session
        if task is not None:
            self.consoles[task] = made
        return made

    def drop_sessions(self) -> None:
        """Cut every session this lab opened (without QUIT: nothing marked is deleted)."""
        for session in self.sessions:
            session.drop()
            session.cut_by_lab = True
        self.sessions.clear()

    def stop(self) -> None:
        self.drop_sessions()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
