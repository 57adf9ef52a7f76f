"""``poplab notebooks``: copy the lesson notebooks (English or German) into a writable folder — the originals stay
clean, and notebooks a learner already worked on are kept — and open JupyterLab there."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import poplab
from poplab.commands.common import CliError, default_data_dir
from poplab.i18n import LANGUAGES, Translator, translator
from poplab.notebook import texts

FIRST = "01-first-session.ipynb"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "notebooks",
        help="open the lesson notebooks in JupyterLab",
        description="Copy the lesson notebooks into a folder of your own and open JupyterLab there.",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to put the notebooks (default: notebooks/LANG in the data directory)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="en or de (default: $POPLAB_LANG or the locale)"
    )
    parser.add_argument("--fresh", action="store_true", help="replace notebooks already in DIR with the originals")
    parser.add_argument("--no-browser", action="store_true", help="start JupyterLab without opening a browser")
    parser.add_argument("--port", type=int, default=None, help="the port JupyterLab listens on (passed through)")
    parser.add_argument("--token", default=None, help="JupyterLab's access token (passed through)")
    parser.add_argument(
        "--solutions", action="store_true", help="for teachers: copy the solved notebooks (every blank filled in)"
    )
    parser.add_argument(
        "--progress", action="store_true", help="list this learner's notebook self-checks (done, attempts) and exit"
    )
    parser.set_defaults(run=run)


def source_folder(lang: str) -> Path:
    """The committed notebooks of one language: next to the package in a source checkout (an editable
    install), else in ``notebooks/`` under the current folder (``pip install .`` run in the checkout)."""
    candidates = [Path(poplab.__file__).resolve().parent.parent / "notebooks", Path.cwd() / "notebooks"]
    for folder in candidates:
        if any((folder / lang).glob("*.ipynb")):
            return folder / lang
    return candidates[0] / lang


def copy_notebooks(source: Path, target: Path, fresh: bool) -> tuple[int, int]:
    """Copy every notebook from ``source`` into ``target``; an existing one is kept unless ``fresh``.
    Returns how many were copied and how many kept."""
    target.mkdir(parents=True, exist_ok=True)
    copied = kept = 0
    for notebook in sorted(source.glob("*.ipynb")):
        destination = target / notebook.name
        if destination.exists() and not fresh:
            kept += 1
            continue
        shutil.copyfile(notebook, destination)
        copied += 1
    return copied, kept


def jupyter_command(folder: Path, no_browser: bool, port: int | None = None, token: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if no_browser:
        command.append("--no-browser")
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # a container or a classroom VM: JupyterLab refuses root otherwise
    if (folder / FIRST).exists():
        command.append(str(folder / FIRST))
    return command


def write_solutions(source: Path, target: Path) -> int:
    """The solved notebooks of ``source``'s language, made by ``notebooks/build.py`` next to it, into ``target``."""
    spec = importlib.util.spec_from_file_location("poplab_notebook_build", source.parent / "build.py")
    if spec is None or spec.loader is None:
        raise CliError(f"{source.parent / 'build.py'}: not found")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    target.mkdir(parents=True, exist_ok=True)
    for lesson in build.LESSONS:
        made = build.text_of(build.build(lesson, source.name, solved=True))
        (target / f"{lesson.name}.ipynb").write_text(made, encoding="utf-8")
    return len(build.LESSONS)


def progress_listing() -> str:
    """One line per lesson task checked in a notebook: done, attempts, first done at."""
    from poplab.notebook.lesson_progress import NotebookProgress

    entries = NotebookProgress().entries()
    lines = [f"{'task':<6} {'done':<5} {'attempts':<9} first done"]
    for task, entry in entries.items():
        lines.append(f"{task:<6} {'✓' if entry.done else '✗':<5} {entry.attempts:<9} {entry.first_done_at or '—'}")
    return "\n".join(lines)


def prepare(args: argparse.Namespace, t: Translator) -> Path:
    source = source_folder(t.language)
    if not any(source.glob("*.ipynb")):
        raise CliError(t(texts.CLI_NO_NOTEBOOKS, folder=source))
    target = (args.dir if args.dir is not None else default_data_dir() / "notebooks" / t.language).expanduser()
    try:
        if getattr(args, "solutions", False):
            copied, kept = write_solutions(source, target), 0
        else:
            copied, kept = copy_notebooks(source, target, args.fresh)
    except OSError as problem:
        raise CliError(f"{target}: {problem.strerror or problem}") from None
    print(t.plural(texts.CLI_COPIED, copied, folder=target))
    if kept:
        print(t.plural(texts.CLI_KEPT, kept))
    return target


def run(args: argparse.Namespace) -> int:
    t = translator(args.lang)
    if getattr(args, "progress", False):
        print(progress_listing())
        return 0
    folder = prepare(args, t)
    if importlib.util.find_spec("jupyterlab") is None:
        raise CliError(t(texts.CLI_NO_JUPYTER))
    print(t(texts.CLI_STARTING, folder=folder), flush=True)
    environment = {**os.environ, "POPLAB_LANG": t.language}
    try:
        return subprocess.call(
            jupyter_command(folder, args.no_browser, getattr(args, "port", None), getattr(args, "token", None)),
            cwd=folder,
            env=environment,
        )
    except KeyboardInterrupt:
        return 0
