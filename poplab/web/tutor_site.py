"""The web site ``poplab web`` runs: textual-serve's server with our own routes. ``/`` is the tutor page (or, in a
class, the login first; or "the class is full"); ``/ws/LANG`` is the websocket that starts one confined tutor process
(:class:`~poplab.web.tutor_process.TutorProcess`) per browser and carries its screen; ``/static`` is
textual-serve's script and styles (no directory listings). There is no download route and no other way from the
page to the server's files: the tutor process itself can write only in its own visitor directory.

The number of tutor processes is capped (``max_visitors``); a browser past the cap gets the "class is full" page.
In a class, one student has one tutor: opening it in a second window ends the first."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server, to_int

from poplab.exercises.classroom import Student
from poplab.web import pages
from poplab.web.class_login import ClassLogins
from poplab.web.tutor_process import TutorCommand, TutorProcess

log = logging.getLogger("poplab.web")
COOKIE = "poplab_ticket"
LANGUAGES = ("en", "de")
MAX_MESSAGE = 64 * 1024
"""A websocket message from the page is a few keys or a resize; nothing bigger is read."""
SIZE_LIMITS = (20, 400, 8, 200)
"""Columns from 20 to 400, rows from 8 to 200: what a page may ask the tutor to draw."""


@dataclass(frozen=True)
class SiteOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    max_visitors: int = 30
    lang: str | None = None
    """None: each browser's Accept-Language (English unless it prefers German)."""
    pop_server: tuple[str, int] | None = None
    """In a class: the classroom server the tutors connect to."""
    smtp_port: int | None = None
    """The classroom server's SMTP port (exercise 16), handed to each class tutor for Ctrl+O."""
    root: Path | None = None
    """Where visitor directories are made (default: the system's temporary directory)."""
    sandbox: bool = True


class TutorSite(Server):
    """``TutorSite(options, logins).serve()`` runs until Ctrl-C or SIGTERM."""

    def __init__(self, options: SiteOptions, logins: ClassLogins | None = None) -> None:
        super().__init__("poplab tutor", host=options.host, port=options.port, title="poplab")
        self.options = options
        self.logins = logins
        self.visitors: dict[str, TutorProcess] = {}
        self.by_student: dict[str, tuple[web.WebSocketResponse, TutorProcess]] = {}
        self.on_ready: Callable[[], None] | None = None

    # ---- the aiohttp application ----------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024, middlewares=[_security_headers])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/login", self.handle_login_page),
                web.post("/login", self.handle_login),
                web.get("/logout", self.handle_logout),
                web.get("/ws/{lang}", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        if self.on_ready is not None:
            self.on_ready()

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(visitor.stop() for visitor in list(self.visitors.values())), return_exceptions=True)

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    # ---- pages ----------------------------------------------------------------------------------------------

    def lang(self, request: web.Request) -> str:
        if self.options.lang:
            return self.options.lang
        wanted = request.headers.get("Accept-Language", "").split(",")[0].strip().lower()
        return "de" if wanted.startswith("de") else "en"

    def full(self) -> bool:
        return len(self.visitors) >= self.options.max_visitors

    def student_of(self, request: web.Request) -> Student | None:
        return self.logins.student(request.cookies.get(COOKIE)) if self.logins is not None else None

    async def handle_index(self, request: web.Request) -> web.Response:
        lang = self.lang(request)
        student = self.student_of(request)
        if self.logins is not None and student is None:
            raise web.HTTPFound("/login")
        if self.full() and (student is None or student.slug not in self.by_student):
            return _html(pages.full_page(lang, self.options.max_visitors), status=503)
        banner = pages.signed_in_banner(lang, student.name, student.slug) if student else pages.alone_banner(lang)
        base = f"{'https' if request.secure else 'http'}://{request.host}"
        websocket = ("wss" if request.secure else "ws") + f"://{request.host}/ws/{lang}"
        font = _clamp(to_int(request.query.get("fontsize", "16"), 16), 10, 40)  # ?fontsize=28 for a projector
        page = pages.tutor_page(lang, websocket, f"{base}/static/", banner, student is not None, font)
        return _html(page)

    async def handle_login_page(self, request: web.Request) -> web.Response:
        if self.logins is None:
            raise web.HTTPFound("/")
        return _html(pages.login_page(self.lang(request)))

    async def handle_login(self, request: web.Request) -> web.Response:
        if self.logins is None:
            raise web.HTTPFound("/")
        form = await request.post()
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        ticket = await self.logins.sign_in(name, password, request.remote or "")
        if ticket is None:
            return _html(pages.login_page(self.lang(request), wrong=True, name=name[:200]), status=401)
        response = web.HTTPFound("/")
        response.set_cookie(COOKIE, ticket, httponly=True, samesite="Strict", secure=request.secure, path="/")
        raise response

    async def handle_logout(self, request: web.Request) -> web.Response:
        if self.logins is not None:
            self.logins.sign_out(request.cookies.get(COOKIE))
        response = web.HTTPFound("/login" if self.logins is not None else "/")
        response.del_cookie(COOKIE, path="/")
        raise response

    # ---- the websocket: one tutor process per browser --------------------------------------------------------

    def command_for(self, student: Student | None, lang: str) -> TutorCommand:
        """The tutor a visitor gets: alone, ``poplab tutor`` with its own bundled server; in a class,
        ``poplab tutor HOST PORT`` on the classroom server, the student's login and password in the environment
        (``POPLAB_CLASS_LOGIN``, ``POPLAB_PASSWORD``) — never in a shell line or on the command line."""
        if student is None or self.options.pop_server is None:
            return TutorCommand(("tutor", "--lang", lang), sandbox=self.options.sandbox)
        host, port = self.options.pop_server
        environment = {"POPLAB_CLASS_LOGIN": student.slug, "POPLAB_PASSWORD": student.password}
        smtp = ("--smtp-port", str(self.options.smtp_port)) if self.options.smtp_port is not None else ()
        return TutorCommand(("tutor", host, str(port), *smtp, "--lang", lang), environment, self.options.sandbox)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        if not _same_origin(request):
            raise web.HTTPForbidden(text="cross-site websocket refused")
        student = self.student_of(request)
        if self.logins is not None and student is None:
            raise web.HTTPForbidden(text="sign in first")
        await websocket.prepare(request)
        if student is not None:
            await self._end_older(student)
        if self.full():
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"the class is full")
            return websocket
        lang = request.match_info.get("lang", "en")
        lang = lang if lang in LANGUAGES else "en"
        width = _clamp(to_int(request.query.get("width", "80"), 80), *SIZE_LIMITS[:2])
        height = _clamp(to_int(request.query.get("height", "24"), 24), *SIZE_LIMITS[2:])
        visitor = TutorProcess(
            self.command_for(student, lang),
            self.options.root,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.visitors[visitor.app_service_id] = visitor
        if student is not None:
            self.by_student[student.slug] = (websocket, visitor)
        try:
            await visitor.start(width, height)
            await self._relay(websocket, visitor)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("a visitor's tutor failed; the others go on")
        finally:
            self.visitors.pop(visitor.app_service_id, None)
            if student is not None and self.by_student.get(student.slug, (None,))[0] is websocket:
                del self.by_student[student.slug]
            await visitor.stop()
        return websocket

    async def _end_older(self, student: Student) -> None:
        older = self.by_student.pop(student.slug, None)
        if older is None:
            return
        websocket, visitor = older
        with contextlib.suppress(Exception):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"opened in another window")
        for _ in range(100):  # its tutor stops in its own handler; wait until its place is free
            if visitor.app_service_id not in self.visitors:
                break
            await asyncio.sleep(0.1)

    async def _relay(self, websocket: web.WebSocketResponse, visitor: TutorProcess) -> None:
        """What the page sends: keys (``stdin``), a new size, ping, focus and blur; anything else is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await visitor.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                width = _clamp(to_int(str(data.get("width", 80)), 80), *SIZE_LIMITS[:2])
                height = _clamp(to_int(str(data.get("height", 24)), 24), *SIZE_LIMITS[2:])
                await visitor.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await visitor.blur()
            elif kind == "focus":
                await visitor.focus()


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _same_origin(request: web.Request) -> bool:
    """A browser sends Origin with a websocket; it must be this site (another page must not drive a tutor)."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


@web.middleware
async def _security_headers(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as problem:
        response = problem
        _harden(response)
        raise
    _harden(response)
    return response


def _harden(response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
