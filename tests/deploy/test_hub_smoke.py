"""JupyterHub for a class, end to end on this machine: ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py``
with the real proxy (``configurable-http-proxy`` from npm) and local student servers. Two students from the
roster sign in through the hub's REST API, start their servers, find their lessons copied in, run lesson 01 cell
by cell in a kernel of their own server (as JupyterLab does, over the kernel's websocket), and both appear in
``poplab classroom report`` with lesson 01 done: each self-check travels from the kernel to the classroom
server's progress endpoint with the student's hub token, and the classroom asks the hub whose token it is. The
hub refuses a wrong password and a name not on the roster, the endpoint a token the hub does not know, and a
student's token notes only that student's checks."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("jupyterhub", reason="the JupyterHub smoke test needs the jupyterhub package")
pytest.importorskip("jupyter_server", reason="the JupyterHub smoke test needs JupyterLab (the notebooks extra)")
if shutil.which("configurable-http-proxy") is None:
    pytest.skip(
        "the JupyterHub smoke test needs JupyterHub's proxy: npm install -g configurable-http-proxy",
        allow_module_level=True,
    )

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from poplab.exercises.notebook_progress import lessons_of

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
ROSTER = ["Anna Schmidt", "Ben Ortiz"]
NOTEBOOK = "pop3-lessons/01-first-session.ipynb"
STARTUP = 90.0
"""Seconds the hub, a student's server or a cell gets before the test gives up (a deadline, not a measurement)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Hub:
    url: str
    classroom: Path
    homes: Path
    pop_port: int
    progress_port: int
    log: Path

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def student(self, slug: str) -> dict[str, str]:
        students = json.loads((self.classroom / "class.json").read_text(encoding="utf-8"))["students"]
        return dict(next(s for s in students if s["slug"] == slug))


def _solved_notebooks(folder: Path) -> Path:
    """The lesson notebooks with every blank filled in, as ``notebooks/build.py --solved`` writes them for teachers."""
    subprocess.run([sys.executable, str(ROOT / "notebooks" / "build.py"), "--solved", str(folder)], check=True)
    return folder


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    place = tmp_path_factory.mktemp("hub")
    (place / "roster.csv").write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    port, pop_port, progress_port = _free_port(), _free_port(), _free_port()
    environment = {
        **os.environ,
        "POPLAB_ROSTER": str(place / "roster.csv"),
        "POPLAB_CLASSROOM": str(place / "srv" / "classroom"),
        "POPLAB_HOMES": str(place / "homes"),
        "POPLAB_NOTEBOOKS": str(_solved_notebooks(place / "solved")),
        "POPLAB_POP_PORT": str(pop_port),
        "POPLAB_PROGRESS_PORT": str(progress_port),
        "POPLAB_SMTP_PORT": str(_free_port()),
        "POPLAB_HUB_PORT": str(port),
    }
    for name in ("POPLAB_LEARNER", "POPLAB_PROGRESS", "JUPYTERHUB_API_TOKEN"):
        environment.pop(name, None)
    log = place / "jupyterhub.log"
    command = [
        sys.executable, "-m", "jupyterhub", "-f", str(CONFIG),
        f"--JupyterHub.hub_bind_url=http://127.0.0.1:{_free_port()}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}",
    ]  # fmt: skip
    if os.geteuid() == 0:  # a CI container: Jupyter refuses root unless told (a teacher runs the hub as a user)
        command.append("--Spawner.args=--allow-root")
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=place, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    hub = Hub(f"http://127.0.0.1:{port}", place / "srv" / "classroom", place / "homes", pop_port, progress_port, log)
    try:
        asyncio.run(_wait_for_hub(hub, process))
        yield hub
    finally:
        _stop(process)


async def _wait_for_hub(hub: Hub, process: subprocess.Popen[bytes]) -> None:
    client = AsyncHTTPClient()
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        assert process.poll() is None, f"jupyterhub exited ({process.returncode}):\n{hub.tail()}"
        try:
            await client.fetch(f"{hub.url}/hub/api/")
            if _listening(hub.pop_port) and _listening(hub.progress_port):
                return
        except (OSError, HTTPClientError):
            pass
        await asyncio.sleep(0.3)
    raise AssertionError(f"the hub or its classroom service did not come up:\n{hub.tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT, as a teacher's Ctrl-C: the hub stops the student servers, the classroom service and the proxy."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# ---- a student, through the REST API and the kernel's websocket ---------------------------------------------


async def _api(hub: Hub, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    headers = {"Authorization": f"token {token}"} if token else {}
    request = HTTPRequest(
        hub.url + path,
        method=method,
        headers=headers,
        body=json.dumps(body) if body is not None else (b"" if method == "POST" else None),
        request_timeout=STARTUP,
    )
    response = await AsyncHTTPClient().fetch(request, raise_error=False)
    text = response.body.decode() if response.body else ""
    return response.code, json.loads(text) if text.strip().startswith(("{", "[")) else text


async def sign_in(hub: Hub, name: str, password: str, login: str) -> tuple[int, Any]:
    """A token for ``login``, asked for with the handout's name and password (the REST API's sign-in)."""
    body = {"auth": {"username": name, "password": password}, "note": "smoke test"}
    return await _api(hub, "POST", f"/hub/api/users/{login}/tokens", body=body)


async def start_server(hub: Hub, login: str, token: str) -> None:
    code, _ = await _api(hub, "POST", f"/hub/api/users/{login}/server", token)
    assert code in (201, 202), code
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        code, user = await _api(hub, "GET", f"/hub/api/users/{login}", token)
        assert code == 200, user
        server = user.get("servers", {}).get("")
        if server and server.get("ready"):
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"{login}'s server did not start:\n{hub.tail()}")


@dataclass(frozen=True)
class CellRun:
    source: str
    text: str
    errors: tuple[str, ...]


async def run_notebook(hub: Hub, login: str, token: str, path: str) -> list[CellRun]:
    """Every code cell of the notebook at ``path`` in the student's home, in a new kernel of their server."""
    base = f"/user/{login}/api"
    code, model = await _api(hub, "GET", f"{base}/contents/{path}", token)
    assert code == 200, model
    code, kernel = await _api(hub, "POST", f"{base}/kernels", token, {"name": "python3"})
    assert code == 201, kernel
    url = hub.url.replace("http", "ws", 1) + f"{base}/kernels/{kernel['id']}/channels"
    socket_ = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
    try:
        cells = [cell for cell in model["content"]["cells"] if cell["cell_type"] == "code"]
        return [await _execute(socket_, "".join(cell["source"])) for cell in cells]
    finally:
        socket_.close()
        await _api(hub, "DELETE", f"{base}/kernels/{kernel['id']}", token)


async def _execute(socket_: Any, source: str) -> CellRun:
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "username": "", "session": "smoke", "version": "5.3"}
    content = {"code": source, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}
    await socket_.write_message(
        json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"})
    )
    texts: list[str] = []
    errors: list[str] = []
    replied = idle = False
    while not (replied and idle):
        raw = await asyncio.wait_for(socket_.read_message(), STARTUP)
        assert raw is not None, "the kernel's websocket closed"
        message = json.loads(raw)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, body = message["msg_type"], message["content"]
        if kind == "execute_reply":
            replied = True
        elif kind == "status":
            idle = body["execution_state"] == "idle"
        elif kind == "stream":
            texts.append(body["text"])
        elif kind in ("execute_result", "display_data"):
            texts.append(body["data"].get("text/plain", ""))
        elif kind == "error":
            errors.append(f"{body['ename']}: {body['evalue']}")
    return CellRun(source, "".join(texts), tuple(errors))


async def student_runs_lesson_01(hub: Hub, name: str, login: str, password: str) -> list[CellRun]:
    code, token = await sign_in(hub, name, password, login)
    assert code == 201, token
    await start_server(hub, login, token["token"])
    return await run_notebook(hub, login, token["token"], NOTEBOOK)


# ---- the tests --------------------------------------------------------------------------------------------------


def _lesson_01_tasks() -> int:
    from poplab.notebook.lesson_check import task_ids  # the tasks the notebooks check: "01-1", "01-2" ...

    return dict(lessons_of(task_ids()))["01"]


def test_only_the_roster_signs_in(hub: Hub) -> None:
    anna = hub.student("anna-schmidt")

    async def attempts() -> list[int]:
        return [
            (await sign_in(hub, "Anna Schmidt", anna["password"] + "x", "anna-schmidt"))[0],
            (await sign_in(hub, "Mallory", anna["password"], "anna-schmidt"))[0],
            (await _api(hub, "GET", "/hub/api/users/anna-schmidt"))[0],
        ]

    assert asyncio.run(attempts()) == [403, 403, 403]


def test_two_students_run_lesson_01_and_both_are_in_the_report(hub: Hub) -> None:
    students = [("Anna Schmidt", "anna-schmidt"), ("ben-ortiz", "ben-ortiz")]  # by name, and by login prefix

    async def both() -> list[list[CellRun]]:
        runs = (student_runs_lesson_01(hub, name, login, hub.student(login)["password"]) for name, login in students)
        return list(await asyncio.gather(*runs))

    tasks = _lesson_01_tasks()
    for (_, login), cells in zip(students, asyncio.run(both()), strict=True):
        assert [cell.errors for cell in cells if cell.errors] == [], login
        verdicts = [cell.text.strip() for cell in cells if "check(" in cell.source]
        assert len(verdicts) == tasks and all(v.startswith("✓ Well done.") for v in verdicts), verdicts
        assert (hub.homes / login / NOTEBOOK).exists()

    report = subprocess.run(
        [sys.executable, "-m", "poplab", "classroom", "report", "--dir", str(hub.classroom), "--lang", "en"],
        capture_output=True,
        text=True,
        check=True,
    )
    header, *rows = report.stdout.splitlines()
    column = header.index("L01")
    lesson_cells = {row[:22].strip(): row[column : column + 6].strip() for row in rows[:2]}
    assert lesson_cells == {"Anna Schmidt": f"{tasks}/{tasks}", "Ben Ortiz": f"{tasks}/{tasks}"}, report.stdout
    with (hub.classroom / "report.csv").open(encoding="utf-8") as table:
        lesson_01 = {
            row["login"]: (row["done"], row["tasks"]) for row in csv.DictReader(table) if row["exercise"] == "L01"
        }
    assert lesson_01 == {login: ("yes", f"{tasks}/{tasks}") for _, login in students}


def test_a_token_notes_its_own_students_checks_only(hub: Hub) -> None:
    anna = hub.student("anna-schmidt")
    progress = f"http://127.0.0.1:{hub.progress_port}/progress"

    async def post(token: str) -> tuple[int, Any]:
        request = HTTPRequest(
            progress,
            method="POST",
            headers={"Authorization": f"token {token}"},
            body='{"task": "02-1", "passed": false}',
        )
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
        return response.code, json.loads(response.body)

    async def tries() -> list[tuple[int, Any]]:
        code, token = await sign_in(hub, "Anna Schmidt", anna["password"], "anna-schmidt")
        assert code == 201, token
        return [await post(token["token"]), await post("0" * 32)]

    assert asyncio.run(tries()) == [
        (200, {"task": "02-1", "done": False, "attempts": 1}),
        (401, {"error": "not a JupyterHub token of this hub"}),
    ]
    results = hub.classroom / "results"
    assert json.loads((results / "anna-schmidt" / "notebooks.json").read_text())["tasks"]["02-1"]["attempts"] == 1
    ben = results / "ben-ortiz" / "notebooks.json"
    assert "02-1" not in (json.loads(ben.read_text())["tasks"] if ben.exists() else {})
