"""The command line: argument parsing and wiring (the composition root). Each subcommand lives in
``poplab.commands.<name>`` with a ``register(subparsers)`` function; errors are one clear line, never a
traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from poplab import __version__
from poplab.commands import (
    admin,
    annotate,
    bench,
    classroom,
    exercise,
    notebooks,
    proxy,
    replay,
    serve,
    talk,
    tutor,
    web,
)
from poplab.commands.common import CliError
from poplab.commands.help_texts import add_examples
from poplab.i18n import LANGUAGES

SUBCOMMANDS = (tutor, serve, talk, proxy, admin, annotate, replay, exercise, classroom, notebooks, bench, web)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="poplab",
        description="An interactive POP3 lab: a real teaching server and tools that explain every line.",
    )
    parser.add_argument("--version", action="version", version=f"poplab {__version__}")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of what learners read (en, de; default: $POPLAB_LANG or the locale); "
        "without a COMMAND, poplab opens the terminal tutor in it",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    add_examples(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(argv) if argv is not None else sys.argv[1:]
    if not words or (words[0].startswith("-") and words[0] not in ("-h", "--help", "--version")):
        words = ["tutor", *words]  # `poplab` alone, or with tutor options, opens the terminal tutor
    args = parser.parse_args(words)
    try:
        result: int = args.run(args)
    except CliError as problem:
        print(f"poplab: error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as problem:  # a file or directory the command needed: one line, no traceback
        where = f"{problem.filename}: " if problem.filename else ""
        print(f"poplab: error: {where}{problem.strerror or problem}", file=sys.stderr)
        return 2
    return result
