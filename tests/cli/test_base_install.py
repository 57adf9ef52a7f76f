"""The base install (``pip install -e .``) is the tutor, the server and the notebook API; JupyterLab and a kernel
come with the ``notebooks`` extra. Checked without a network: the project's declared dependencies, and a fresh
interpreter in which importing jupyterlab, ipykernel or nbclient fails runs the tutor (pilot: the seed login) and
the notebook API (a session with STAT, its HTML, the console widget)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]
NOTEBOOK_ONLY = ("jupyterlab", "ipykernel", "nbclient")

SCRIPT = r"""
import asyncio, importlib.abc, sys, tempfile
from pathlib import Path

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"jupyterlab", "ipykernel", "nbclient"}:
            raise ModuleNotFoundError(f"No module named {name!r} (not in the base install)")
        return None

sys.meta_path.insert(0, NotInstalled())

from poplab.notebook import Lab
with Lab() as lab:
    session = lab.session()
    reply = session.send("USER wiki@example.com")
    session.send("PASS passwort_im_klartext")
    stat = session.send("STAT")
    assert stat.ok and stat.text == "1 236", stat.text
    assert "STAT" in stat._repr_html_()
    lab.console()
    session.quit()

from poplab.tui.app import TutorApp, TutorOptions

async def tutor():
    app = TutorApp(TutorOptions(data_dir=Path(tempfile.mkdtemp()), login_delay=0.0, lang="en", welcome=False))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(400):
            await asyncio.sleep(0.01)
            if app.conductor.lab.session is not None:
                break
        reply = await app.conductor.send("USER wiki@example.com")
        assert reply is not None and reply.ok, reply
asyncio.run(tutor())
assert not any(name.split(".")[0] in {"jupyterlab", "ipykernel", "nbclient"} for name in sys.modules)
print("base install: tutor and notebook API work")
"""


def test_jupyterlab_and_the_kernel_are_not_base_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = " ".join(project["dependencies"])
    assert not any(name in base for name in NOTEBOOK_ONLY)
    extras = project["optional-dependencies"]
    assert any(dep.startswith("jupyterlab") for dep in extras["notebooks"])
    itself = [dep for dep in extras["test"] if dep.startswith("poplab[")]
    assert len(itself) == 1 and "notebooks" in itself[0].removeprefix("poplab[").rstrip("]").split(",")


def test_the_tutor_and_the_notebook_api_run_without_jupyterlab() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "base install: tutor and notebook API work"
