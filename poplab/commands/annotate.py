"""``poplab annotate FILE``: print a recorded transcript with every line explained (English or German), coloured
on a terminal — or, with ``--to html|md|json|pcap``, turn it into a handout or a capture for Wireshark. FILE is a
transcript's JSON export, a Markdown handout (or Markdown transcript), or the ``S: ...`` / ``C: ...`` text form."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from poplab import handout
from poplab.annotate import annotate, render
from poplab.commands.common import CliError
from poplab.handout.markdown import looks_like_markdown
from poplab.i18n import N_, Translator, translator
from poplab.transcript import Transcript, TranscriptError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "annotate",
        help="explain every line of a recorded POP3 transcript",
        description="Print a POP3 transcript (JSON export, Markdown handout, or 'S: ...' / 'C: ...' lines) with every "
        "line explained: what it is, the session state before and after, the RFC section, and warnings. With --to, "
        "write it as an annotated HTML or Markdown handout, as JSON, or as a pcap file for Wireshark.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the transcript to explain (.json, .md or .txt)")
    parser.add_argument(
        "--to",
        choices=handout.KINDS,
        default=None,
        help="write an export instead: html (self-contained, printable, with diagrams), md (read back by "
        "poplab annotate), json (lossless) or pcap (Wireshark, tshark)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=None, metavar="OUT", help="with --to: the file to write (default: stdout)"
    )
    parser.add_argument(
        "--show-passwords", action="store_true", help="with --to: keep passwords (they are redacted by default)"
    )
    parser.add_argument("--title", default=None, help="with --to html or md: the handout's title")
    parser.add_argument(
        "--lang", default=None, metavar="LANG", help="en or de (default: $POPLAB_LANG, else the locale, else en)"
    )
    parser.add_argument("--no-color", action="store_true", help="no ANSI colours (also when $NO_COLOR is set)")
    parser.add_argument("--long", action="store_true", help="add the longer explanation, octets and RFC link")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    t = translator(args.lang)
    transcript = load(args.file, t)
    if args.to is not None:
        return _export(transcript, args, t)
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
        text = data.decode("utf-8")
        if path.suffix.lower() in (".md", ".markdown") or looks_like_markdown(text):
            return handout.read_markdown(text)
        return Transcript.from_text(text)
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    except TranscriptError as problem:
        reason = str(problem)
    raise CliError(t(N_("{path} is not a POP3 transcript: {reason}"), path=path, reason=reason))


def _export(transcript: Transcript, args: argparse.Namespace, t: Translator) -> int:
    """Write the export to ``--output`` or stdout (a pcap never to a terminal)."""
    exported = handout.export(transcript, args.to, t.language, not args.show_passwords, args.title)
    data = exported.encode("utf-8") if isinstance(exported, str) else exported
    if args.output is not None:
        try:
            args.output.write_bytes(data)
        except OSError as problem:
            reason = problem.strerror or str(problem)
            raise CliError(t(N_("cannot write {path}: {reason}"), path=args.output, reason=reason)) from None
        return 0
    if isinstance(exported, bytes) and sys.stdout.isatty():
        raise CliError(t(N_("a pcap file is binary: write it with -o FILE.pcap or redirect the output")))
    if isinstance(exported, str):
        return _write(exported)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


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
