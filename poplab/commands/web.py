"""``poplab web``: the terminal tutor in the browser (textual-serve; one confined tutor process per browser).
Alone, each visitor gets the tutor with its own bundled server, as ``poplab`` gives; with ``--classroom DIR`` a
visitor signs in with the handout's name and password and the tutor works on the classroom server, so every
session lands in ``poplab classroom report``. textual-serve is imported only when the command runs."""

from __future__ import annotations

import argparse
import socket
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from poplab.commands.common import CliError, port, port_or_none
from poplab.i18n import LANGUAGES

if TYPE_CHECKING:
    from poplab.commands.common import Subparsers
    from poplab.exercises.class_server import ClassServer

DEFAULT_PORT = 8000
DEFAULT_VISITORS = 30
POP_PORT = 1110
SMTP_PORT = 1025


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "web",
        help="the terminal tutor in the browser, one tutor per visitor (alone or for a class)",
        description="Serve the terminal tutor to browsers with textual-serve: each browser gets its own tutor "
        "process, confined to a private directory (no shell, no files of the server). Alone, every visitor gets "
        "the bundled teaching server; with --classroom DIR visitors sign in with the handout's name and password "
        "and work on the classroom server, so their sessions reach `poplab classroom report`.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: the class's network)")
    parser.add_argument("--port", type=port, default=DEFAULT_PORT, help=f"HTTP port (default {DEFAULT_PORT})")
    parser.add_argument(
        "--max-visitors",
        type=int,
        default=DEFAULT_VISITORS,
        metavar="N",
        help=f"tutor processes at once (default {DEFAULT_VISITORS}; about 60 MB each); more see 'the class is full'",
    )
    parser.add_argument("--classroom", type=Path, default=None, metavar="DIR", help="a classroom directory")
    parser.add_argument("--roster", type=Path, default=None, metavar="ROSTER.csv", help="set up DIR from a roster")
    parser.add_argument("--pop-host", default="127.0.0.1", help="the classroom server's address (default loopback)")
    parser.add_argument(
        "--pop-port",
        type=port,
        default=POP_PORT,
        help=f"the classroom server's port (default {POP_PORT}); if none answers there, poplab web starts it",
    )
    parser.add_argument(
        "--smtp-port",
        type=port_or_none,
        default=SMTP_PORT,
        help=f"the classroom server's SMTP port, for Ctrl+O in the tutor (default {SMTP_PORT}; -1: none)",
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="language (default: each browser's own preference)")
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run tutors without the Landlock confinement (only where the kernel has none, on a trusted network)",
    )
    parser.set_defaults(run=run_web)


def run_web(args: argparse.Namespace) -> int:
    try:
        from poplab.web.class_login import ClassLogins
        from poplab.web.confine import landlock_abi
        from poplab.web.tutor_site import SiteOptions, TutorSite
    except ImportError as problem:
        raise CliError(f"poplab web needs textual-serve ({problem.name}): pip install 'poplab[web]'") from None
    if args.max_visitors < 1:
        raise CliError("--max-visitors must be at least 1")
    if not args.no_sandbox and landlock_abi() == 0:
        raise CliError("this kernel has no Landlock to confine the tutors; --no-sandbox runs them unconfined")
    with ExitStack() as stack:
        logins, pop_server, smtp_port = None, None, None
        if args.classroom is not None:
            pop_server, smtp_port = _classroom_server(args, stack)
            logins = ClassLogins(args.classroom)
        options = SiteOptions(
            host=args.host,
            port=args.port,
            max_visitors=args.max_visitors,
            lang=args.lang,
            pop_server=pop_server,
            smtp_port=smtp_port,
            sandbox=not args.no_sandbox,
        )
        site = TutorSite(options, logins)
        site.on_ready = lambda: _announce(args, pop_server)
        try:
            site.serve()
        except OSError as problem:
            raise CliError(f"cannot listen on {args.host}:{args.port}: {problem.strerror or problem}") from None
    return 0


def _classroom_server(args: argparse.Namespace, stack: ExitStack) -> tuple[tuple[str, int], int | None]:
    """The classroom server the tutors use — the one answering at --pop-host/--pop-port, or one started here —
    and its SMTP port (None: none)."""
    smtp_port = None if args.smtp_port < 0 else args.smtp_port
    if _pop_answers(args.pop_host, args.pop_port):
        if args.roster is not None:
            raise CliError("a classroom server already runs there; --roster is for starting one")
        return (args.pop_host, args.pop_port), smtp_port
    server = _start_classroom(args, smtp_port)
    stack.callback(server.stop)
    return (args.pop_host, server.port), server.smtp_port


def _pop_answers(host: str, pop_port: int) -> bool:
    try:
        with socket.create_connection((host, pop_port), timeout=2) as connection:
            connection.settimeout(2)
            return connection.recv(512).startswith(b"+OK")
    except OSError:
        return False


def _start_classroom(args: argparse.Namespace, smtp_port: int | None) -> ClassServer:
    from poplab.exercises import ExerciseError, load_exercises
    from poplab.exercises.class_server import ClassServer
    from poplab.exercises.classroom import Classroom, ClassroomError, read_roster
    from poplab.protocol.config import ServerConfig
    from poplab.server.certs import ensure_certificate, server_context
    from poplab.server.settings import ServerSettings

    try:
        exercises = load_exercises()
        if args.roster is not None:
            classroom = Classroom.setup(args.classroom, read_roster(args.roster), exercises)
        else:
            classroom = Classroom(args.classroom, exercises)
    except (ClassroomError, ExerciseError) as problem:
        raise CliError(str(problem)) from None
    tls = server_context(ensure_certificate(args.classroom / "tls"))
    settings = ServerSettings(
        host=args.pop_host, port=args.pop_port, tls_port=None, tls=tls, protocol=ServerConfig(tls_available=True)
    )
    server = ClassServer(classroom, settings, smtp_port=smtp_port)
    try:
        server.start()
    except OSError as problem:
        ports = f"{args.pop_port} or {smtp_port}" if server.serves_smtp else f"{args.pop_port}"
        raise CliError(f"cannot start the classroom server on {args.pop_host}:{ports}: {problem}") from None
    return server


def projector_urls(host: str, http_port: int) -> list[str]:
    """The addresses to put on the projector: for a wildcard host, this machine's non-loopback IPv4 addresses
    (by its own name; no packet is sent), else the host itself."""
    if host not in ("0.0.0.0", "::", ""):
        return [f"http://{host}:{http_port}/"]
    try:
        found = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        found = set()
    addresses = sorted(str(address) for address in found if not str(address).startswith("127."))
    return [f"http://{address}:{http_port}/" for address in addresses] or [
        f"http://{socket.gethostname()}:{http_port}/"
    ]


def _announce(args: argparse.Namespace, pop_server: tuple[str, int] | None) -> None:
    urls = projector_urls(args.host, args.port)
    if args.host in ("0.0.0.0", "::", ""):
        print("Put this on the projector: " + "  ".join(urls))
    else:
        print(f"poplab web on {urls[0]} (loopback only; --host 0.0.0.0 for the class's network)")
    if pop_server is not None:
        where = f"{pop_server[0]}:{pop_server[1]}"
        print(f"Students sign in with the handout's name and password; the classroom server is {where}")
    print(f"At most {args.max_visitors} tutors at once. Press Ctrl-C to stop.", flush=True)
    sys.stdout.flush()
