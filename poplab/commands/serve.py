"""``poplab serve``: run the teaching server until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from poplab.capture.live import CaptureFolder
from poplab.commands.common import CliError, add_data_option, data_dir, open_store, port, port_or_none, seconds
from poplab.protocol import faults
from poplab.protocol.config import ServerConfig
from poplab.protocol.flavors import FLAVORS
from poplab.protocol.limits import MIN_AUTOLOGOUT_SECONDS
from poplab.server.app import PopServer
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.session import is_loopback
from poplab.server.session_log import LOG_DETAILS, start_logging
from poplab.server.settings import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TLS_PORT, ServerSettings
from poplab.smtp import SmtpServer, SmtpSettings
from poplab.smtp.handler import LoginLimiter
from poplab.store.api import ManagedStore
from poplab.store.maildir_store import DataDirInUse, hold_server_lock

if TYPE_CHECKING:
    from poplab.commands.common import Subparsers


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the teaching POP3 server",
        description="Run the teaching POP3 server: plain POP3 with STLS, and POP3 over implicit TLS.",
        epilog="fault and quirk profiles (--fault, one or more; BROKEN ones break the RFC on purpose):\n"
        + faults.help_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help=f"POP3 port, like 110 (default {DEFAULT_PORT}; 0 = any free)"
    )
    parser.add_argument(
        "--tls-port",
        type=port_or_none,
        default=DEFAULT_TLS_PORT,
        help=f"POP3S port with implicit TLS, like 995 (default {DEFAULT_TLS_PORT}; 0 = any free; -1 = none)",
    )
    add_data_option(parser)
    parser.add_argument(
        "--smtp-port",
        type=port_or_none,
        default=None,
        metavar="PORT",
        help="also run an SMTP submission server (aiosmtpd) on this port, like 587, delivering into the same "
        "mailboxes: STARTTLS, AUTH PLAIN/LOGIN, the lab's accounts only (e.g. 1025; 0 = any free; -1 = none; "
        "default: none, with --classroom 1025 for exercise 16)",
    )
    parser.add_argument("--apop", action="store_true", help="offer APOP (a timestamp in the greeting)")
    parser.add_argument("--utf8", action="store_true", help="offer UTF8 and LANG (RFC 6856) in CAPA")
    parser.add_argument(
        "--allow-plaintext",
        action="store_true",
        help="allow USER/PASS and AUTH PLAIN without TLS from peers beyond loopback",
    )
    parser.add_argument(
        "--autologout",
        type=seconds,
        default=MIN_AUTOLOGOUT_SECONDS,
        metavar="SECONDS",
        help=f"close idle sessions after this long (default {MIN_AUTOLOGOUT_SECONDS}, the RFC 1939 minimum)",
    )
    parser.add_argument(
        "--login-delay", type=seconds, default=1.0, metavar="SECONDS", help="delay after a failed login"
    )
    _add_style_options(parser)
    parser.add_argument("--quiet", action="store_true", help="do not print the session log")
    parser.add_argument(
        "--log",
        choices=LOG_DETAILS,
        default="summary",
        help="session log detail: one line per session (summary, the default) or every command and reply (lines)",
    )
    parser.add_argument(
        "--capture",
        type=Path,
        default=None,
        metavar="DIR",
        help="write one pcap file per session (what went over the wire, TLS still encrypted) and the TLS keys "
        "(SSLKEYLOGFILE format) to DIR, for Wireshark",
    )
    parser.add_argument(
        "--classroom",
        type=Path,
        metavar="ROSTER.csv",
        help="serve a class: every student gets an account per exercise and is checked as they work "
        "(same as 'poplab classroom serve ROSTER.csv')",
    )
    parser.set_defaults(run=run)


def _add_style_options(parser: argparse.ArgumentParser) -> None:
    """--flavor, --fault and --line-delay: another server's texts, and misbehaviour on purpose."""
    parser.add_argument(
        "--flavor",
        choices=list(FLAVORS),
        default="seed",
        help="greeting and reply texts in the style of a real server (the protocol stays the same; default seed)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        choices=list(faults.FAULTS),
        default=[],
        metavar="NAME",
        help="switch on a fault or quirk profile (see below; repeat for more than one)",
    )
    parser.add_argument(
        "--line-delay",
        type=float,
        default=faults.DEFAULT_LINE_DELAY,
        metavar="SECONDS",
        help=f"wait per line of the slow profile (default {faults.DEFAULT_LINE_DELAY})",
    )


def settings_from(args: argparse.Namespace, data: Path) -> ServerSettings:
    if args.autologout <= 0:
        raise CliError("--autologout must be a positive number of seconds")
    if args.line_delay < 0:
        raise CliError("--line-delay must not be negative")
    tls = server_context(ensure_certificate(data / "tls"))
    return ServerSettings(
        host=args.host,
        port=args.port,
        tls_port=None if args.tls_port < 0 else args.tls_port,
        tls=tls,
        autologout=args.autologout,
        protocol=ServerConfig(
            apop=args.apop,
            utf8=args.utf8,
            tls_available=True,
            allow_plaintext=args.allow_plaintext,
            failed_login_delay=args.login_delay,
            flavor=args.flavor,
            faults=frozenset(args.fault),
            line_delay=args.line_delay,
        ),
    )


def run(args: argparse.Namespace) -> int:
    if args.classroom is not None:
        from poplab.commands.classroom import classroom_serve

        return classroom_serve(args)
    data = data_dir(args)
    with open_store(args) as store:
        try:  # one server per data directory: two would not see each other's sessions (the lock goes at exit)
            server_lock = hold_server_lock(data)
        except DataDirInUse as problem:
            print(f"poplab: {problem}", file=sys.stderr)
            return 2
        settings = settings_from(args, data)
    server = PopServer(store, settings)
    smtp = _smtp_server(args, store, settings, server.throttle)
    log = None
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own log: our SMTP log says it (or --quiet)
    if not args.quiet:
        log = start_logging(args.log, sys.stderr)  # a thread writes it, off the sessions' path
    try:
        _capture(server, args.capture)
        asyncio.run(_serve(server, data, smtp))
    except KeyboardInterrupt:
        pass
    finally:
        if log is not None:
            log.stop()  # what is still queued is written first
        server_lock.release()
    print("poplab: stopped; sessions cut off deleted nothing.", file=sys.stderr)
    return 0


def _smtp_server(
    args: argparse.Namespace, store: ManagedStore, settings: ServerSettings, limiter: LoginLimiter | None
) -> SmtpServer | None:
    """The SMTP server beside POP3 (--smtp-port): same host, same certificate, same clear-text rule, and the POP3
    server's count of failed logins (a password guessed over SMTP counts as one guessed over POP3)."""
    if args.smtp_port is None or args.smtp_port < 0:
        return None
    smtp_settings = SmtpSettings(
        host=args.host,
        port=args.smtp_port,
        tls=settings.tls,
        allow_plaintext=args.allow_plaintext,
        failed_login_delay=args.login_delay,
    )
    return SmtpServer(store, smtp_settings, limiter)


def _capture(server: PopServer, folder: Path | None) -> None:
    """``--capture DIR``: every accepted socket tapped into a pcap file, the TLS keys logged beside them."""
    if folder is None:
        return
    try:
        capture = CaptureFolder(folder)
    except OSError as problem:
        raise CliError(f"cannot capture into {folder}: {problem.strerror or problem}") from None
    if server.settings.tls is not None:
        server.settings.tls.keylog_filename = str(capture.keylog)
    server.tap = capture.tap
    print(
        f"poplab: capturing each session into {folder}/session-*.pcap, TLS keys in {capture.keylog} "
        f"(Wireshark: Preferences → Protocols → TLS → (Pre)-Master-Secret log filename)",
        file=sys.stderr,
    )


async def _serve(server: PopServer, data: Path, smtp: SmtpServer | None = None) -> None:
    settings = server.settings
    try:
        await server.start()
        if smtp is not None:
            await smtp.start()
    except OSError as problem:
        await server.stop()
        raise CliError(_bind_error(problem, settings, smtp)) from None
    print(_banner(server, data, smtp), flush=True)
    stopped = asyncio.Event()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # no signal handlers on Windows' loop
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)  # SIGTERM stops as Ctrl-C does
    try:
        await stopped.wait()
    finally:
        if smtp is not None:
            await smtp.stop()
        await server.stop()


def _bind_error(problem: OSError, settings: ServerSettings, smtp: SmtpServer | None = None) -> str:
    if problem.errno == errno.EADDRINUSE:
        ports = f"{settings.port} or {settings.tls_port}" + (f" or {smtp.settings.port}" if smtp else "")
        return f"a port on {settings.host} is already in use ({ports}); try --port 0"
    if problem.errno == errno.EACCES:
        return f"no permission to listen on {settings.host}:{settings.port} (ports below 1024 need root)"
    return f"cannot listen on {settings.host}: {problem.strerror or problem}"


def _banner(server: PopServer, data: Path, smtp: SmtpServer | None = None) -> str:
    settings = server.settings
    lines = [f"poplab: POP3 on {settings.host}:{server.port} (STLS available)"]
    if server.tls_port is not None:
        lines.append(f"poplab: POP3S (implicit TLS) on {settings.host}:{server.tls_port}")
    if smtp is not None:
        lines.append(
            f"poplab: SMTP on {settings.host}:{smtp.port} (STARTTLS, AUTH PLAIN/LOGIN; mail for the lab's accounts "
            f"only, at most {smtp.settings.max_message_size} octets)"
        )
    lines.append(f"poplab: data in {data}; certificate in {data / 'tls'}")
    if settings.autologout_below_rfc:
        lines.append(
            f"poplab: autologout after {settings.autologout:g} s — below the RFC 1939 minimum of "
            f"{MIN_AUTOLOGOUT_SECONDS} s, for demos only"
        )
    lines.extend(_style_lines(settings.protocol))
    if not is_loopback(settings.host) and not settings.protocol.allow_plaintext:
        lines.append("poplab: clear-text logins from beyond loopback are refused until TLS is active")
    lines.append("poplab: press Ctrl-C to stop")
    return "\n".join(lines)


def _style_lines(config: ServerConfig) -> list[str]:
    lines = [f"poplab: replies in the style of {config.style.description}"] if config.flavor != "seed" else []
    for name in sorted(config.faults):
        fault = faults.FAULTS[name]
        lines.append(f"poplab: fault profile {name}: {fault.summary}")
    return lines
