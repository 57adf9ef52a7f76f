"""``poplab tutor`` (the terminal tutor with the bundled server; also what ``poplab`` alone runs) and
``poplab connect HOST PORT`` (the same tutor against any other POP3 server). Textual is imported only here, when
the tutor actually starts, so the other subcommands start fast."""

from __future__ import annotations

import argparse
from pathlib import Path

from poplab.commands.common import CliError, add_security_options, data_dir, default_data_dir, port, security_of
from poplab.i18n import LANGUAGES
from poplab.tui.lab import Endpoint


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tutor = subparsers.add_parser(
        "tutor",
        help="the terminal tutor: type POP3 commands against the bundled server and see every line explained",
        description="The terminal tutor. Starts the bundled teaching server on free loopback ports with fresh demo "
        "mailboxes, connects to it, and explains every line. Lessons (F6) guide you through POP3. With HOST and "
        "PORT it connects to that server instead, as connect does: an exercise's or a classroom's server, say.",
    )
    tutor.add_argument("host", nargs="?", metavar="HOST", help="another server to connect to (default: bundled)")
    tutor.add_argument("port", nargs="?", type=port, metavar="PORT", help="its port, e.g. 1110")
    _smtp_port(tutor)
    add_security_options(tutor)
    _common(tutor)
    tutor.set_defaults(run=run_tutor)
    connect = subparsers.add_parser(
        "connect",
        help="the terminal tutor against any POP3 server (Dovecot, a provider, another poplab)",
        description="The terminal tutor connected to another POP3 server. The server-side panes (mailbox, "
        "lessons) need the bundled server and say so.",
    )
    connect.add_argument("host", metavar="HOST", help="server name or address")
    connect.add_argument("port", metavar="PORT", type=port, help="port, e.g. 110 (plain, STLS) or 995 (--tls)")
    _smtp_port(connect)
    add_security_options(connect)
    _common(connect)
    connect.set_defaults(run=run_connect)


def _smtp_port(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--smtp-port",
        type=port,
        default=None,
        metavar="N",
        help="that server's SMTP port, for Ctrl+O (a classroom's: 1025)",
    )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the lab's certificate (tls/), lesson progress and exercise records are kept "
        "(default: $POPLAB_DATA or the user data directory); the bundled server's mailboxes live in memory",
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the tutor (default: $POPLAB_LANG or locale)")
    parser.add_argument(
        "--projector",
        action="store_true",
        help="start in projector mode (F9): high contrast, the transcript alone, for teaching from the front",
    )


def run_tutor(args: argparse.Namespace) -> int:
    """The tutor with the bundled server; ``args`` may come from ``poplab`` with no arguments at all."""
    from poplab.tui.app import TutorApp, TutorOptions

    if getattr(args, "host", None) is not None:
        if args.port is None:
            raise CliError("give HOST and PORT, or neither for the bundled server")
        return run_connect(args)
    data = data_dir(args) if getattr(args, "data", None) is not None else default_data_dir()
    options = TutorOptions(data_dir=data, lang=getattr(args, "lang", None), projector=getattr(args, "projector", False))
    TutorApp(options).run()
    return 0


def endpoint_from(args: argparse.Namespace) -> Endpoint:
    """Where ``poplab connect`` connects, and how; a bad port or a missing --cafile is a one-line error."""
    if not 0 < args.port < 65536:
        raise CliError(f"PORT must be between 1 and 65535, not {args.port}")
    return Endpoint(args.host, args.port, security_of(args), cafile=args.cafile, insecure=args.insecure)


def run_connect(args: argparse.Namespace) -> int:
    from poplab.tui.app import TutorApp, TutorOptions

    endpoint = endpoint_from(args)
    smtp = None
    if args.smtp_port is not None:  # SMTP starts in plain text; STARTTLS typed by the learner switches it
        smtp = Endpoint(args.host, args.smtp_port, "plain", cafile=args.cafile, insecure=args.insecure)
    options = TutorOptions(endpoint, smtp, data_dir(args), args.lang, projector=args.projector)
    TutorApp(options).run()
    return 0
