"""The classroom's notebook progress endpoint for JupyterHub (poplab/exercises/hub_progress.py) and the notebook
side that posts to it (poplab/notebook/lesson_progress.py): a check posted with a student's token lands in that
student's file and in the report; tokens the hub does not know, hub users outside the class, malformed or
oversized bodies and other paths get a clear JSON answer and change nothing; a hub that is down costs a 503, not
a crash; a client that dribbles its request holds up no one else. Here the hub's "whose token is this" is a
table (the real hub answers it in tests/deploy/test_hub_smoke.py)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from poplab.exercises import find_exercise, load_exercises
from poplab.exercises.class_report import report
from poplab.exercises.classroom import Classroom
from poplab.exercises.hub_progress import MAX_BODY, REQUEST_SECONDS, ProgressService, _Cached, hub_identity
from poplab.exercises.notebook_progress import NotebookRecord
from poplab.notebook.lesson_progress import post_to_classroom

TOKENS = {"anna-token": "anna-schmidt", "bo-token": "bo", "teacher-token": "teacher"}


class Hub:
    """Whose a token is, as the hub would say, and how often it was asked."""

    def __init__(self) -> None:
        self.asked = 0
        self.down = False

    def __call__(self, token: str) -> str | None:
        self.asked += 1
        if self.down:
            raise ConnectionRefusedError("the hub is down")
        return TOKENS.get(token)


@pytest.fixture
def classroom(tmp_path: Path) -> Classroom:
    return Classroom.setup(tmp_path / "class", ["Anna Schmidt", "Bo"], [find_exercise("01", load_exercises())])


@pytest.fixture
def hub() -> Hub:
    return Hub()


@pytest.fixture
def service(classroom: Classroom, hub: Hub) -> Iterator[ProgressService]:
    running = ProgressService(classroom.dir, hub).start()
    yield running
    running.stop()


def post(service: ProgressService, body: bytes | str, token: str | None = "anna-token", path: str = "/progress") -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=REQUEST_SECONDS / 2)
    headers = {"Authorization": f"token {token}"} if token else {}
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    answer = (response.status, json.loads(response.read()))
    connection.close()
    return answer


def tasks(classroom: Classroom, slug: str) -> dict[str, Any]:
    return {task: entry.attempts for task, entry in NotebookRecord(classroom.dir / "results" / slug).entries().items()}


def test_a_check_lands_in_the_students_file_and_the_report(service: ProgressService, classroom: Classroom) -> None:
    assert post(service, '{"task": "01-1", "passed": false}') == (200, {"task": "01-1", "done": False, "attempts": 1})
    assert post(service, '{"task": "01-1", "passed": true}') == (200, {"task": "01-1", "done": True, "attempts": 2})
    assert post(service, '{"task": "01-2", "passed": true}', "bo-token") == (
        200,
        {"task": "01-2", "done": True, "attempts": 1},
    )
    assert tasks(classroom, "anna-schmidt") == {"01-1": 2}
    assert tasks(classroom, "bo") == {"01-2": 1}
    grid = report(classroom, ("01-1", "01-2", "01-3"))
    assert (grid.lesson("anna-schmidt", "01").mark, grid.lesson("bo", "01").mark) == ("1/3", "1/3")


GOOD = '{"task": "01-1", "passed": true}'
NOT_THE_HUBS = (401, {"error": "not a JupyterHub token of this hub"})
BAD_BODY = (400, {"error": 'the body is {"task": "NN-k", "passed": true or false}'})


@pytest.mark.parametrize(
    ("token", "body", "path", "answer"),
    [
        (None, GOOD, "/progress", NOT_THE_HUBS),
        ("forged", GOOD, "/progress", NOT_THE_HUBS),
        ("teacher-token", GOOD, "/progress", (403, {"error": "teacher is not a student of this class"})),
        ("anna-token", '{"task": "01-1"}', "/progress", BAD_BODY),
        ("anna-token", '{"task": "../../x", "passed": true}', "/progress", BAD_BODY),
        ("anna-token", '{"task": "01-1", "passed": "yes"}', "/progress", BAD_BODY),
        ("anna-token", "\x00\xff not json", "/progress", BAD_BODY),
        ("anna-token", "[1, 2]", "/progress", BAD_BODY),
        ("anna-token", "[" * (MAX_BODY - 1), "/progress", BAD_BODY),
        ("anna-token", GOOD, "/other", (404, {"error": "POST .../progress"})),
        ("anna-token", "x" * (MAX_BODY + 1), "/progress", (413, {"error": f"a body of at most {MAX_BODY} octets"})),
    ],
    ids=[
        "no-token",
        "forged",
        "teacher",
        "no-verdict",
        "path-task",
        "string-verdict",
        "junk",
        "list",
        "deep",
        "path",
        "big",
    ],
)
def test_refusals_say_why_and_change_nothing(
    service: ProgressService, classroom: Classroom, token: str | None, body: str, path: str, answer: Any
) -> None:
    assert post(service, body, token, path) == answer
    assert tasks(classroom, "anna-schmidt") == {} and tasks(classroom, "bo") == {}


def test_get_is_refused(service: ProgressService) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    connection.request("GET", "/progress")
    response = connection.getresponse()
    assert (response.status, json.loads(response.read())) == (405, {"error": "POST .../progress"})


def test_the_hub_is_asked_once_per_token(service: ProgressService, hub: Hub) -> None:
    for _ in range(5):
        post(service, '{"task": "01-1", "passed": true}')
    post(service, '{"task": "01-1", "passed": true}', "forged")
    post(service, '{"task": "01-1", "passed": true}', "forged")
    assert hub.asked == 2


def test_a_hub_that_is_down_costs_a_503(service: ProgressService, hub: Hub, classroom: Classroom) -> None:
    hub.down = True
    assert post(service, '{"task": "01-1", "passed": true}') == (503, {"error": "the hub did not answer; try again"})
    hub.down = False
    assert post(service, '{"task": "01-1", "passed": true}')[0] == 200  # nothing cached from the failure
    assert tasks(classroom, "anna-schmidt") == {"01-1": 1}


def test_a_dribbling_client_holds_up_no_one(service: ProgressService) -> None:
    with socket.create_connection(("127.0.0.1", service.port)) as slow:
        slow.sendall(b"POST /progress HTTP/1.1\r\nContent-Length: 40\r\n")  # and then nothing
        assert post(service, '{"task": "01-1", "passed": true}')[0] == 200


def test_the_notebook_posts_with_its_hub_token(service: ProgressService, classroom: Classroom) -> None:
    environ = {"POPLAB_PROGRESS_URL": f"http://127.0.0.1:{service.port}/progress", "JUPYTERHUB_API_TOKEN": "bo-token"}
    assert post_to_classroom("02-1", True, environ) is True
    assert tasks(classroom, "bo") == {"02-1": 1}


def test_the_notebook_loses_only_the_record_when_the_endpoint_is_away(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    environ = {"POPLAB_PROGRESS_URL": f"http://127.0.0.1:{closed}/progress", "JUPYTERHUB_API_TOKEN": "bo-token"}
    assert post_to_classroom("02-1", True, environ) is True
    assert post_to_classroom("02-1", True, {**environ, "POPLAB_PROGRESS_URL": "not a url"}) is True
    assert post_to_classroom("02-1", True, {"POPLAB_PROGRESS_URL": environ["POPLAB_PROGRESS_URL"]}) is False


def test_classroom_serve_needs_the_hubs_api_for_progress(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text("Anna\n", encoding="utf-8")
    command = [sys.executable, "-m", "poplab", "classroom", "serve", str(tmp_path / "roster.csv")]
    command += ["--dir", str(tmp_path / "class"), "--port", "0", "--tls-port", "-1", "--progress-port", "0"]
    environment = {k: v for k, v in os.environ.items() if k != "JUPYTERHUB_API_URL"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "poplab: error: --progress-port needs the hub's API: --hub-api URL or $JUPYTERHUB_API_URL\n",
    )


class StandInHub(BaseHTTPRequestHandler):
    """``GET /hub/api/user`` as a hub answers it, for the tokens in ``ANSWERS``."""

    ANSWERS: ClassVar[dict[str, tuple[int, bytes]]] = {
        "user": (200, b'{"kind": "user", "name": "anna-schmidt"}'),
        "service": (200, b'{"kind": "service", "name": "anna-schmidt"}'),
        "list": (200, b"[1, 2]"),
        "revoked": (403, b'{"status": 403}'),
        "broken": (500, b"oops"),
    }

    def do_GET(self) -> None:
        token = (self.headers.get("Authorization") or "").removeprefix("token ")
        status, body = self.ANSWERS.get(token, (401, b"{}"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hub_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hub/api"
    server.shutdown()
    server.server_close()


def test_only_a_users_token_names_a_student(hub_api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # never used: the token goes to the hub only
    identify = hub_identity(hub_api)
    assert [identify(token) for token in ("user", "service", "list", "revoked", "unknown")] == [
        "anna-schmidt",
        None,
        None,
        None,
        None,
    ]
    with pytest.raises(OSError):
        identify("broken")  # the endpoint answers 503 for this


def test_the_cache_keeps_the_newest_answers() -> None:
    asked: list[str] = []
    cached = _Cached(lambda token: asked.append(token) or token, size=2)
    for token in ("a", "b", "a", "c", "a", "b"):
        cached(token)
    assert asked == ["a", "b", "c", "a", "b"]  # a hit is free; c pushed out a (the oldest answer), a then b


def test_a_service_that_never_started_stops_at_once(classroom: Classroom, hub: Hub) -> None:
    service = ProgressService(classroom.dir, hub)
    stopping = threading.Thread(target=service.stop)
    stopping.start()
    stopping.join(10)
    assert not stopping.is_alive()


def test_classroom_serve_on_a_busy_port_says_so_and_ends(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text("Anna\n", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        command = [sys.executable, "-m", "poplab", "classroom", "serve", str(tmp_path / "roster.csv")]
        command += ["--dir", str(tmp_path / "class"), "--port", str(taken), "--tls-port", "-1", "--smtp-port", "0"]
        command += ["--progress-port", "0", "--hub-api", "http://127.0.0.1:9/hub/api"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(f"poplab: error: cannot listen on 127.0.0.1:{taken} or 0: ")
