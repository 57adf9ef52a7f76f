"""``poplab annotate FILE``: print a recorded transcript with every line explained (English or German), coloured
on a terminal. FILE is a transcript's JSON export, or the ``S: ...`` / ``C: ...`` text form."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from poplab.annotate import annotate, render
from poplab.commands.common import CliError
from poplab.i18n import N_, Translator, translator
from poplab.transcript import Transcript, TranscriptError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "annotate",
        help="explain every line of a recorded POP3 transcript",
        description="Print a POP3 transcript (JSON export, or 'S: ...' / 'C: ...' lines) with every line "
        "explained: what it is, the session state before and after, the RFC section, and warnings.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.json", help="the transcript to explain")
    parser.add_argument(
        "--lang", default=None, metavar="LANG", help="en or de (default: $POPLAB_LANG, else the locale, else en)"
    )
    parser.add_argument("--no-color", action="store_true", help="no ANSI colours (also when $NO_COLOR is set)")
    parser.add_argument("--long", action="store_true", help="add the longer explanation, octets and RFC link")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    t = translator(args.lang)
    transcript = load(args.file, t)
    annotations = annotate(transcript, t.language)
    text = render(annotations, t.language, long=args.long, color=use_color(args.no_color, sys.stdout))
    return _write(text)


def load(path: Path, t: Translator) -> Transcript:
    """Read a transcript file; any problem becomes one :class:`CliError` line."""
    try:
        data = path.read_bytes()
    except OSError as problem:
        reason = problem.strerror or str(problem)
        raise CliError(t(N_("cannot read {path}: {reason}"), path=path, reason=reason)) from None
    try:
        if data.lstrip().startswith(b"{"):
            return Transcript.from_json(data)
        return Transcript.from_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    except TranscriptError as problem:
        reason = str(problem)
    raise CliError(t(N_("{path} is not a POP3 transcript: {reason}"), path=path, reason=reason))


def use_color(disabled: bool, stream: TextIO) -> bool:
    """Colours only on a terminal, and never with ``--no-color`` or ``$NO_COLOR`` (https://no-color.org)."""
    return not disabled and not os.environ.get("NO_COLOR") and stream.isatty()


def _write(text: str) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
