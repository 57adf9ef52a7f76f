"""What every subcommand shares: the data directory option and the one-line error type."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from poplab.protocol.seams import StoreError
from poplab.store.api import AdminError
from poplab.store.datadir import open_data_dir
from poplab.store.maildir_store import MaildirStore

if TYPE_CHECKING:
    from poplab.client.session import Security

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


class CliError(Exception):
    """A problem the user can fix, printed as one line: ``poplab: error: <message>``."""


def default_data_dir() -> Path:
    """``$POPLAB_DATA`` if set, else the user data directory (e.g. ~/.local/share/poplab)."""
    env = os.environ.get("POPLAB_DATA")
    return Path(env) if env else Path(platformdirs.user_data_dir("poplab", appauthor=False))


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="data directory (accounts.toml and one Maildir per account); created with the demo data if it "
        "does not exist. Default: $POPLAB_DATA or the user data directory",
    )


def data_dir(args: argparse.Namespace) -> Path:
    return args.data if args.data is not None else default_data_dir()


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[MaildirStore]:
    """The data directory's store (created with the demo data if missing); store and admin errors inside the
    block become one-line CLI errors."""
    try:
        yield open_data_dir(data_dir(args), create=True)
    except (AdminError, StoreError) as problem:
        raise CliError(str(problem)) from None


def add_security_options(parser: argparse.ArgumentParser) -> None:
    """How a learner's client reaches a server: plain, implicit TLS or STLS, and which certificate to trust."""
    security = parser.add_mutually_exclusive_group()
    security.add_argument("--tls", action="store_true", help="implicit TLS from the first byte (POP3S, port 995)")
    security.add_argument("--starttls", action="store_true", help="connect in plain text, then STLS (RFC 2595)")
    parser.add_argument("--cafile", type=Path, metavar="PEM", help="trust this certificate (e.g. a lab's own)")
    parser.add_argument(
        "--insecure", action="store_true", help="accept any certificate (only for a lab's self-signed one)"
    )


def security_of(args: argparse.Namespace) -> Security:
    """The security chosen with :func:`add_security_options`; a missing --cafile is a one-line error."""
    if args.cafile is not None and not args.cafile.is_file():
        raise CliError(f"--cafile {args.cafile}: no such file")
    return "tls" if args.tls else "stls" if args.starttls else "plain"


def port(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free port) to 65535."""
    return _number_in(text, 0, 65535, "a port from 0 to 65535")


def port_or_none(text: str) -> int:
    """An argparse type: a TCP port, or -1 for none."""
    return _number_in(text, -1, 65535, "a port from 0 to 65535, or -1 for none")


def seconds(text: str) -> float:
    """An argparse type: a finite, non-negative number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")
    return value


def _number_in(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value
