"""JupyterHub for a poplab class on one machine (``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py``).

- Students sign in with the handout of ``poplab classroom serve``: name or login prefix, and the password
  (:class:`RosterAuthenticator` reads ``class.json`` of the classroom directory; nobody else gets in). The hub
  creates (or extends) the classroom from the roster when it starts, so it knows the whole class before anyone
  signs in: the teacher sees every student on the admin page, and a student can sign in through the REST API
  (``POST /hub/api/users/LOGIN/tokens`` with ``{"auth": {"username": ..., "password": ...}}``) as well as the page.
- The classroom server runs as a JupyterHub managed service (the hub starts it, restarts it if it dies, stops it):
  ``poplab classroom serve ROSTER`` on POP3 port 1110 (SMTP 1025) of this machine.
- Each student's lesson notebooks are copied into their home on the first start of their server (never again, so
  their work stays), and their server gets the classroom's address and their login in the environment
  (``POPLAB_CLASS_HOST``, ``POPLAB_CLASS_PORT``, ``POPLAB_CLASS_SMTP_PORT``, ``POPLAB_CLASS_LOGIN``,
  ``POPLAB_PASSWORD``), so a notebook can do
  the class's exercises on the classroom server, and the classroom server's notebook progress endpoint
  (``POPLAB_PROGRESS_URL``): every self-check in a lesson is posted there with the student's own hub token, the
  classroom server asks the hub whose token it is, and the check lands in ``poplab classroom report``. So a
  student's server needs no access to the classroom's folder (with system users or on Kubernetes it has none).

Settings come from the environment (defaults in brackets): ``POPLAB_ROSTER`` [/srv/poplab/roster.csv],
``POPLAB_CLASSROOM`` [/srv/poplab/classroom], ``POPLAB_HOMES`` [/srv/poplab/homes], ``POPLAB_NOTEBOOKS`` [the
notebooks/ folder beside this repository's poplab], ``POPLAB_LANG`` [en], ``POPLAB_POP_PORT`` [1110],
``POPLAB_SMTP_PORT`` [1025], ``POPLAB_PROGRESS_PORT`` [1180], ``POPLAB_HUB_PORT`` [8000], ``POPLAB_TEACHER``
[teacher: an admin login, password ``POPLAB_TEACHER_PASSWORD``].
On Kubernetes use values.yaml (Zero to JupyterHub) instead; see README.md.
"""

from __future__ import annotations

import hmac
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import SimpleLocalProcessSpawner

from poplab.exercises import load_exercises
from poplab.exercises.classroom import Classroom, read_roster

HERE = Path(__file__).resolve().parent
ROSTER = Path(os.environ.get("POPLAB_ROSTER", "/srv/poplab/roster.csv"))
CLASSROOM = Path(os.environ.get("POPLAB_CLASSROOM", "/srv/poplab/classroom"))
HOMES = Path(os.environ.get("POPLAB_HOMES", "/srv/poplab/homes"))
NOTEBOOKS = Path(os.environ.get("POPLAB_NOTEBOOKS", str(HERE.parent.parent / "notebooks")))
LANG = os.environ.get("POPLAB_LANG", "en")
POP_PORT = int(os.environ.get("POPLAB_POP_PORT", "1110"))
SMTP_PORT = int(os.environ.get("POPLAB_SMTP_PORT", "1025"))
PROGRESS_PORT = int(os.environ.get("POPLAB_PROGRESS_PORT", "1180"))
TEACHER = os.environ.get("POPLAB_TEACHER", "teacher")
TEACHER_PASSWORD = os.environ.get("POPLAB_TEACHER_PASSWORD", "")
LESSONS = "pop3-lessons"


def students() -> list[dict[str, str]]:
    """The class list in the classroom directory (the hub writes it from the roster when it starts)."""
    try:
        return list(json.loads((CLASSROOM / "class.json").read_text(encoding="utf-8"))["students"])
    except (OSError, ValueError, KeyError):
        return []


def class_logins() -> set[str]:
    """Every student's login prefix, after creating or extending the classroom from the roster (students already
    there keep their password and mailboxes; without a roster file, the class list as it is)."""
    if ROSTER.exists():
        Classroom.setup(CLASSROOM, read_roster(ROSTER), load_exercises())
    return {student["slug"] for student in students()}


def student_named(name: str) -> dict[str, str] | None:
    wanted = name.strip().casefold()
    return next((s for s in students() if wanted in (s["slug"], s["name"].casefold())), None)


class RosterAuthenticator(Authenticator):  # type: ignore[misc]
    """Name (or login prefix) and password from the classroom handout; the hub user is the login prefix."""

    async def authenticate(self, handler: Any, data: dict[str, str]) -> str | None:
        name, password = data.get("username", ""), data.get("password", "").strip()
        if TEACHER_PASSWORD and name == TEACHER and hmac.compare_digest(password, TEACHER_PASSWORD):
            return TEACHER
        student = student_named(name)
        if student is None or not hmac.compare_digest(student["password"].encode(), password.encode()):
            return None
        return student["slug"]


def copy_notebooks(home: Path, lang: str = LANG) -> bool:
    """The lesson notebooks into ``home/pop3-lessons`` if they are not there yet (the first start)."""
    target = home / LESSONS
    if target.exists():
        return False
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(NOTEBOOKS / lang, target, ignore=shutil.ignore_patterns(".*"), copy_function=shutil.copy)
    return True


def class_environment(username: str) -> dict[str, str]:
    student = student_named(username)
    if student is None:
        return {}
    return {
        "POPLAB_CLASS_HOST": "127.0.0.1",
        "POPLAB_CLASS_PORT": str(POP_PORT),
        "POPLAB_CLASS_SMTP_PORT": str(SMTP_PORT),
        "POPLAB_CLASS_LOGIN": student["slug"],
        "POPLAB_PASSWORD": student["password"],
        "POPLAB_LANG": LANG,
        "POPLAB_PROGRESS_URL": f"http://127.0.0.1:{PROGRESS_PORT}/progress",
    }


def pre_spawn_hook(spawner: Any) -> None:
    home = HOMES / spawner.user.name
    copy_notebooks(home)
    spawner.environment.update(class_environment(spawner.user.name))
    # JupyterLab's settings for a class (jupyter/labconfig): no "Jupyter news?" question on every student's screen
    spawner.environment["JUPYTER_CONFIG_PATH"] = str(HERE / "jupyter")


c: Any = get_config()  # type: ignore[name-defined]  # noqa: F821 (JupyterHub's config loader provides it)

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('POPLAB_HUB_PORT', '8000')}"
c.JupyterHub.authenticator_class = RosterAuthenticator
c.Authenticator.allowed_users = class_logins() | {TEACHER}  # the class, known before anyone signs in; the teacher
c.Authenticator.admin_users = {TEACHER}
c.JupyterHub.spawner_class = SimpleLocalProcessSpawner  # one machine: every student's server as the hub's user
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.notebook_dir = str(HOMES / "{username}")
c.Spawner.default_url = f"/lab/tree/{LESSONS}"
c.Spawner.pre_spawn_hook = pre_spawn_hook
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.JupyterHub.services = [
    {
        "name": "classroom",
        "command": [
            sys.executable, "-m", "poplab", "classroom", "serve", str(ROSTER), "--dir", str(CLASSROOM),
            "--port", str(POP_PORT), "--tls-port", "-1", "--smtp-port", str(SMTP_PORT),
            "--progress-port", str(PROGRESS_PORT),
        ],  # the hub gives its managed services JUPYTERHUB_API_URL, where the classroom asks whose a token is
    }
]  # fmt: skip
c.JupyterHub.db_url = os.environ.get("POPLAB_HUB_DB", "sqlite:///" + str(CLASSROOM.parent / "jupyterhub.sqlite"))
c.JupyterHub.cookie_secret_file = str(CLASSROOM.parent / "jupyterhub_cookie_secret")
