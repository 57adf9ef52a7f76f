"""deploy/jupyterhub/jupyterhub_config.py, loaded as JupyterHub loads it: the classroom server is a managed
service running ``poplab classroom serve``, students sign in with the handout (and nobody else), and the first
start copies the lesson notebooks and hands the student's server its classroom login."""

from __future__ import annotations

import asyncio
import runpy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("jupyterhub", reason="the JupyterHub deployment test needs the jupyterhub package")

from traitlets.config import Config

from poplab.exercises import load_exercises
from poplab.exercises.classroom import Classroom

CONFIG = Path(__file__).parents[2] / "deploy" / "jupyterhub" / "jupyterhub_config.py"


def _load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Config, dict[str, Any]]:
    monkeypatch.setenv("POPLAB_CLASSROOM", str(tmp_path / "classroom"))
    monkeypatch.setenv("POPLAB_HOMES", str(tmp_path / "homes"))
    monkeypatch.setenv("POPLAB_ROSTER", str(tmp_path / "roster.csv"))
    config = Config()
    names = runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: config})
    return config, names


def test_the_classroom_server_is_a_managed_service(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config, _ = _load(monkeypatch, tmp_path)
    (service,) = config.JupyterHub.services
    assert service["name"] == "classroom"
    assert service["command"][1:5] == ["-m", "poplab", "classroom", "serve"]
    assert service["command"][5] == str(tmp_path / "roster.csv")


def test_students_sign_in_with_the_handout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, names = _load(monkeypatch, tmp_path)
    classroom = Classroom.setup(tmp_path / "classroom", ["Anna Schmidt", "Ben Ortiz"], load_exercises())
    anna = classroom.find_student("anna-schmidt")
    authenticator = names["RosterAuthenticator"]()
    sign_in = authenticator.authenticate
    assert asyncio.run(sign_in(None, {"username": "Anna Schmidt", "password": anna.password})) == "anna-schmidt"
    assert asyncio.run(sign_in(None, {"username": "anna-schmidt", "password": "wrong"})) is None
    assert asyncio.run(sign_in(None, {"username": "mallory", "password": anna.password})) is None
    spawner = SimpleNamespace(user=SimpleNamespace(name="anna-schmidt"), environment={})
    names["pre_spawn_hook"](spawner)
    lessons = tmp_path / "homes" / "anna-schmidt" / "pop3-lessons"
    assert (lessons / "01-first-session.ipynb").exists()
    assert spawner.environment["POPLAB_CLASS_LOGIN"] == "anna-schmidt"
    assert spawner.environment["POPLAB_PASSWORD"] == anna.password
    (lessons / "01-first-session.ipynb").write_text("my work", encoding="utf-8")
    names["pre_spawn_hook"](spawner)  # a second start keeps the student's work
    assert (lessons / "01-first-session.ipynb").read_text(encoding="utf-8") == "my work"


def test_kubernetes_students_reach_their_classroom_server() -> None:
    """values.yaml and classroom.yaml agree: the students' pods post self-checks to the classroom Service's progress
    port, may reach it through their network policy, and the classroom pod may ask the hub whose a token is."""
    yaml = pytest.importorskip("yaml", reason="reading the Kubernetes files needs PyYAML (JupyterHub brings it)")
    values = yaml.safe_load((CONFIG.parent / "values.yaml").read_text(encoding="utf-8"))
    deployment, service = (
        doc for doc in yaml.safe_load_all((CONFIG.parent / "classroom.yaml").read_text(encoding="utf-8"))
        if doc["kind"] in ("Deployment", "Service")
    )  # fmt: skip
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    command = container["command"]
    progress_port = int(command[command.index("--progress-port") + 1])
    assert {"name": "progress", "port": progress_port} in service["spec"]["ports"]
    assert {"name": "JUPYTERHUB_API_URL", "value": "http://hub:8081/hub/api"} in container["env"]
    assert pod["metadata"]["labels"]["hub.jupyter.org/network-access-hub"] == "true"
    students = values["singleuser"]
    url = f"http://{service['metadata']['name']}.poplab.svc.cluster.local:{progress_port}/progress"
    assert students["extraEnv"]["POPLAB_PROGRESS_URL"] == url
    (rule,) = students["networkPolicy"]["egress"]
    assert rule["to"] == [{"podSelector": {"matchLabels": service["spec"]["selector"]}}]
    smtp_port = int(command[command.index("--smtp-port") + 1])
    assert {"name": "smtp", "port": smtp_port} in service["spec"]["ports"]
    assert int(students["extraEnv"]["POPLAB_CLASS_SMTP_PORT"]) == smtp_port
    wanted = {progress_port, smtp_port, int(students["extraEnv"]["POPLAB_CLASS_PORT"])}
    assert wanted <= {p["port"] for p in rule["ports"]}
    compile(values["hub"]["extraConfig"]["poplab"], "values.yaml:hub.extraConfig.poplab", "exec")
