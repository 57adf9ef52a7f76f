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


def jupyter_command(folder: Path, no_browser: bool) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # a container or a classroom VM: JupyterLab refuses root otherwise
    if (folder / FIRST).exists():
        command.append(str(folder / FIRST))
    return command


def prepare(args: argparse.Namespace, t: Translator) -> Path:
    source = source_folder(t.language)
    if not any(source.glob("*.ipynb")):
        raise CliError(t(texts.CLI_NO_NOTEBOOKS, folder=source))
    target = (args.dir if args.dir is not None else default_data_dir() / "notebooks" / t.language).expanduser()
    try:
        copied, kept = copy_notebooks(source, target, args.fresh)
    except OSError as problem:
        raise CliError(f"{target}: {problem.strerror or problem}") from None
    print(t.plural(texts.CLI_COPIED, copied, folder=target))
    if kept:
        print(t.plural(texts.CLI_KEPT, kept))
    return target


def run(args: argparse.Namespace) -> int:
    t = translator(args.lang)
    folder = prepare(args, t)
    if importlib.util.find_spec("jupyterlab") is None:
        raise CliError(t(texts.CLI_NO_JUPYTER))
    print(t(texts.CLI_STARTING, folder=folder), flush=True)
    environment = {**os.environ, "POPLAB_LANG": t.language}
    try:
        return subprocess.call(jupyter_command(folder, args.no_browser), cwd=folder, env=environment)
    except KeyboardInterrupt:
        return 0
