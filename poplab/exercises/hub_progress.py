"""Notebook progress over HTTP, for a class on JupyterHub: the classroom server's endpoint where each student's
notebook notes its self-checks, so neither a student's server nor its pod needs the classroom's folder.

``POST <anything>/progress`` with ``Authorization: token <the student's JupyterHub token>`` (the
``JUPYTERHUB_API_TOKEN`` every student's server, and so every kernel, has) and the body
``{"task": "01-2", "passed": true}``. The endpoint asks the hub whose token it is (``GET <hub API>/user``, the
call any token may make about its owner) and notes the check in that student's ``notebooks.json``, as
:class:`NotebookRecord` does for a notebook with the folder at hand. So a student notes only their own checks; a
token the hub does not know gets 401, a hub user who is not in the class (the teacher) 403. Answers are JSON:
``{"task": "01-2", "done": true, "attempts": 2}`` or ``{"error": "..."}``.

The hub's answer for a token is kept for :data:`TOKEN_SECONDS` (at most :data:`MAX_TOKENS` answers, the oldest
forgotten first), so a class running its checks costs the hub one request per student and period. Only a user's
token counts (a service's name could look like a student's). Neither side goes through an HTTP proxy from the
environment: the token is for the hub and the classroom only. The server is the standard library's threading HTTP
server: one thread per connection, each with :data:`REQUEST_SECONDS` to send its request, so a client that
dribbles holds one thread and nothing else; bodies over :data:`MAX_BODY` octets are refused unread, and whatever
a body holds gets a JSON answer, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from poplab.exercises.classroom import student_results_dir
from poplab.exercises.notebook_progress import NotebookRecord

TOKEN_SECONDS = 300.0
MAX_TOKENS = 10_000
REQUEST_SECONDS = 10.0
MAX_BODY = 4096
TASK = re.compile(r"\d{2}-\d{1,2}")
"""A lesson task's name, as the notebooks' checks use them: ``01-2``."""

Identify = Callable[[str], "str | None"]
"""A JupyterHub token → the name of the hub user it belongs to, or None (unknown, expired, revoked)."""


DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""HTTP without the environment's proxy: a hub token goes to the hub or the classroom, nowhere else."""


def hub_identity(api_url: str, timeout: float = 5.0) -> Identify:
    """Whose user token it is, asked of the hub at ``api_url`` (``JUPYTERHUB_API_URL``, ending in ``/hub/api``)."""

    def identify(token: str) -> str | None:
        request = urllib.request.Request(api_url.rstrip("/") + "/user", headers={"Authorization": f"token {token}"})
        try:
            with DIRECT.open(request, timeout=timeout) as response:
                model = json.loads(response.read(65536))
        except urllib.error.HTTPError as problem:
            if problem.code in (401, 403):
                return None
            raise
        if not isinstance(model, dict) or model.get("kind", "user") != "user":
            return None
        name = model.get("name")
        return name if isinstance(name, str) else None

    return identify


class _Cached:
    """``identify`` with its answers kept for ``seconds`` (keyed by a hash: no token is kept in memory)."""

    def __init__(self, identify: Identify, seconds: float = TOKEN_SECONDS, size: int = MAX_TOKENS) -> None:
        self._identify, self._seconds, self._size = identify, seconds, size
        self._known: OrderedDict[bytes, tuple[float, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, token: str) -> str | None:
        key = hashlib.sha256(token.encode()).digest()
        moment = time.monotonic()
        with self._lock:
            found = self._known.get(key)
        if found is not None and moment - found[0] < self._seconds:
            return found[1]
        name = self._identify(token)
        with self._lock:
            self._known.pop(key, None)
            self._known[key] = (moment, name)
            while len(self._known) > self._size:
                self._known.popitem(last=False)  # the oldest answer
        return name


class ProgressService:
    """The endpoint for the classroom in ``directory``, on ``host``:``port`` (0: any free port), in a thread."""

    def __init__(self, directory: Path, identify: Identify, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = directory
        self.identify = _Cached(identify)
        service = self

        class Handler(_Handler):
            owner = service

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="poplab-progress", daemon=True)
        self._started = False

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> ProgressService:
        self._thread.start()
        self._started = True
        return self

    def stop(self) -> None:
        """Stop serving (if it began) and free the port."""
        if self._started:
            self._server.shutdown()  # waits for serve_forever, which a never-started server never runs
        self._server.server_close()

    def note(self, token: str, body: Any) -> tuple[int, dict[str, Any]]:
        """The answer (status, JSON) to one request's token and parsed body."""
        try:
            user = self.identify(token) if token else None
        except (OSError, ValueError):  # unreachable, an HTTP error, not JSON
            return 503, {"error": "the hub did not answer; try again"}
        if user is None:
            return 401, {"error": "not a JupyterHub token of this hub"}
        folder = student_results_dir(self.directory, user)
        if folder is None:
            return 403, {"error": f"{user} is not a student of this class"}
        task, passed = (body.get("task"), body.get("passed")) if isinstance(body, dict) else (None, None)
        if not isinstance(task, str) or not TASK.fullmatch(task) or not isinstance(passed, bool):
            return 400, {"error": 'the body is {"task": "NN-k", "passed": true or false}'}
        try:
            entry = NotebookRecord(folder).note(task, passed)
        except OSError:
            return 500, {"error": "the classroom could not write the check; tell your teacher"}
        return 200, {"task": task, "done": entry.done, "attempts": entry.attempts}


class _Handler(BaseHTTPRequestHandler):
    owner: ProgressService
    timeout = REQUEST_SECONDS
    server_version = "poplab-progress"

    def do_POST(self) -> None:
        if not self.path.split("?")[0].endswith("/progress"):
            return self._answer(404, {"error": "POST .../progress"})
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._answer(413, {"error": f"a body of at most {MAX_BODY} octets"})
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            body = None
        scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
        status, answer = self.owner.note(token.strip() if scheme.lower() in ("token", "bearer") else "", body)
        self._answer(status, answer)

    def do_GET(self) -> None:
        self._answer(405, {"error": "POST .../progress"})

    def _answer(self, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the classroom server's own lines say what happened."""
