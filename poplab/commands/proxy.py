"""``poplab proxy``: put the annotating proxy between a real mail client and any POP3 server, and watch every line
explained as it passes; Ctrl-C stops it. With ``--tui`` the terminal tutor shows it (its watch mode): the proxy
runs in the tutor's event loop, handed in through :class:`TutorSource`, as the tutor may not import the proxy."""

from __future__ import annotations

import argparse
import asyncio
import errno
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from poplab import handout
from poplab.client.session import tls_context
from poplab.commands.common import CliError, data_dir
from poplab.i18n import LANGUAGES
from poplab.proxy.app import ProxyServer
from poplab.proxy.events import Note, ProxyEvent, Relayed, SessionStarted
from poplab.proxy.live import Export, LiveView, json_export
from poplab.proxy.settings import DEFAULT_LISTEN_HOST, DEFAULT_LISTEN_PORT, ProxySettings, Upstream, UpstreamSecurity
from poplab.server.certs import ensure_certificate, server_context
from poplab.transcript import Transcript

if TYPE_CHECKING:
    from poplab.commands.common import Subparsers
    from poplab.tui.watch import WatchEvent

EXAMPLES = """examples:
  poplab proxy --upstream 127.0.0.1:1110                    # in front of poplab serve
  poplab proxy --upstream pop.example.com:995 --upstream-tls --save session.json
  poplab proxy --upstream 127.0.0.1:1110 --save handout.html --lang de   # the annotated handout, in German
  poplab proxy --upstream 127.0.0.1:1110 --tui              # the same, shown in the terminal tutor
  curl pop3://127.0.0.1:1100/1 -u 'wiki@example.com:passwort_im_klartext'
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "proxy",
        help="relay a real mail client to a POP3 server and explain every line live",
        description="The annotating proxy: point your mail client (Thunderbird, fetchmail, mpop, curl, poplib)\n"
        "at it, and it relays to the POP3 server given with --upstream, explaining every line as it\n"
        "passes. Passwords never show in what it prints; saved transcripts redact them unless\n"
        "--no-redact is given.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--upstream", required=True, metavar="HOST:PORT", help="the POP3 server to relay to")
    security = parser.add_mutually_exclusive_group()
    security.add_argument("--upstream-tls", action="store_true", help="implicit TLS to the server (POP3S, port 995)")
    security.add_argument("--upstream-starttls", action="store_true", help="plain text to the server, then STLS")
    trust = parser.add_mutually_exclusive_group()
    trust.add_argument("--upstream-cafile", type=Path, metavar="PEM", help="trust this certificate for the server")
    trust.add_argument(
        "--upstream-insecure", action="store_true", help="accept any server certificate (only for self-signed labs)"
    )
    parser.add_argument(
        "--listen",
        default=f"{DEFAULT_LISTEN_HOST}:{DEFAULT_LISTEN_PORT}",
        metavar="HOST:PORT",
        help="where "
        f"your mail client connects (default {DEFAULT_LISTEN_HOST}:{DEFAULT_LISTEN_PORT}; port 0 = any free)",
    )
    client = parser.add_mutually_exclusive_group()
    client.add_argument("--tls", action="store_true", help="implicit TLS to your client, with the lab's certificate")
    client.add_argument("--stls", action="store_true", help="offer STLS to your client, with the lab's certificate")
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="where the lab's certificate is kept, in DIR/tls (default: $POPLAB_DATA or the user data directory)",
    )
    parser.add_argument(
        "--save",
        type=Path,
        metavar="FILE",
        help="save each session when it ends (FILE, then FILE-2 ...), as its suffix says: .html or .md (the "
        "annotated handout, in --lang), .json (lossless) or .pcap (for Wireshark); no suffix: JSON",
    )
    parser.add_argument("--no-redact", action="store_true", help="keep passwords in saved transcripts")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the explanations")
    parser.add_argument("--long", action="store_true", help="longer explanations with octets and RFC links")
    parser.add_argument("--tui", action="store_true", help="show the exchange in the terminal tutor (Ctrl+Q ends it)")
    parser.set_defaults(run=run)


def address(text: str, option: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:110`` for IPv6) as a pair; anything else is a one-line error."""
    host, colon, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not colon or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise CliError(f"{option} wants HOST:PORT, e.g. 127.0.0.1:1110, not {text!r}")
    return host, int(port)


def upstream_from(args: argparse.Namespace) -> Upstream:
    host, port = address(args.upstream, "--upstream")
    security: UpstreamSecurity = "tls" if args.upstream_tls else "stls" if args.upstream_starttls else "plain"
    if args.upstream_cafile is not None and not args.upstream_cafile.is_file():
        raise CliError(f"--upstream-cafile: no such file: {args.upstream_cafile}")
    context = None
    if security != "plain":
        context = tls_context(args.upstream_cafile, verify=not args.upstream_insecure)
    return Upstream(host, port, security, context)


def settings_from(args: argparse.Namespace) -> ProxySettings:
    host, port = address(args.listen, "--listen")
    upstream = upstream_from(args)
    context = server_context(ensure_certificate(data_dir(args) / "tls")) if args.tls or args.stls else None
    return ProxySettings(
        upstream,
        host,
        port,
        client_tls=context if args.tls else None,
        client_stls=context if args.stls else None,
    )


SAVE_KINDS = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".pcap": "pcap", "": "json"}
"""``--save FILE``: the export its suffix names."""


def save_export(path: Path | None) -> Export:
    """What ``--save`` writes: the handout of ``path``'s suffix; another suffix is a one-line error."""
    kind = SAVE_KINDS.get(path.suffix.lower()) if path is not None else "json"
    if kind is None:
        assert path is not None
        raise CliError(f"--save {path}: use a name ending in .html, .md, .json or .pcap")
    if kind == "json":
        return json_export

    def export(transcript: Transcript, lang: str, redact: bool) -> str | bytes:
        return handout.export(transcript, kind, lang, redact)

    return export


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    args.export = save_export(args.save)
    if args.tui:
        return _run_tui(ProxyServer(settings), args)

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    view = LiveView(
        write,
        args.lang,
        color=sys.stdout.isatty(),
        long=args.long,
        save=args.save,
        redact=not args.no_redact,
        export=args.export,
    )
    try:
        asyncio.run(_proxy(ProxyServer(settings), view, args))
    except KeyboardInterrupt:
        print("poplab proxy: stopped.", file=sys.stderr)
    return 0


async def _proxy(proxy: ProxyServer, view: LiveView, args: argparse.Namespace) -> None:
    settings = proxy.settings
    try:
        await proxy.start()
    except OSError as problem:
        raise CliError(_bind_error(problem, settings)) from None
    proxy.subscribe(view)
    print(_banner(proxy, args), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await proxy.stop()


def _bind_error(problem: OSError, settings: ProxySettings) -> str:
    where = f"{settings.host}:{settings.port}"
    if problem.errno == errno.EADDRINUSE:
        return f"{where} is already in use; try another --listen port (0 = any free)"
    if problem.errno == errno.EACCES:
        return f"no permission to listen on {where} (ports below 1024 need root)"
    return f"cannot listen on {where}: {problem.strerror or problem}"


def _banner(proxy: ProxyServer, args: argparse.Namespace) -> str:
    settings, upstream = proxy.settings, proxy.settings.upstream
    client = "implicit TLS" if settings.client_tls else "plain, STLS offered" if settings.client_stls else "plain"
    trust = " (certificate NOT checked)" if args.upstream_insecure and upstream.security != "plain" else ""
    lines = [
        f"poplab proxy: listening on {settings.host}:{proxy.port} ({client})",
        f"poplab proxy: relaying to {upstream.address} ({upstream.security}){trust}",
    ]
    if settings.client_tls or settings.client_stls:
        lines.append(f"poplab proxy: your client must trust {data_dir(args) / 'tls' / 'poplab-cert.pem'}")
    if args.save is not None:
        redaction = "NOT redacted" if args.no_redact else "redacted"
        lines.append(f"poplab proxy: each session is saved to {args.save} (then -2, -3 ...), passwords {redaction}")
    lines.append("poplab proxy: press Ctrl-C to stop")
    return "\n".join(lines)


# ---- --tui: the tutor's watch mode ---------------------------------------------------------------------------


class TutorSource:
    """The proxy as the tutor's watch mode sees it (a :class:`poplab.tui.watch.Source`)."""

    def __init__(self, proxy: ProxyServer) -> None:
        self.proxy = proxy

    @property
    def listen(self) -> str:
        host, port = self.proxy.settings.host, self.proxy.port
        host = f"[{host}]" if ":" in host else host
        return f"{host}:{self.proxy.settings.port if port is None else port}"

    @property
    def upstream(self) -> str:
        return self.proxy.settings.upstream.address

    async def start(self, receive: Callable[[WatchEvent], None]) -> None:
        await self.proxy.start()
        self.proxy.subscribe(lambda event: receive(watch_event(event)))

    async def stop(self) -> None:
        await self.proxy.stop()


def watch_event(event: ProxyEvent) -> WatchEvent:
    """A proxy event in the tutor's words."""
    from poplab.tui.watch import Ended, Opened, Passed, Said

    if isinstance(event, SessionStarted):
        return Opened(event.session, event.client, event.upstream)
    if isinstance(event, Relayed):
        return Passed(event.session, event.line)
    if isinstance(event, Note):
        return Said(event.session, event.message, event.values, event.warning)
    return Ended(event.session)


def _run_tui(proxy: ProxyServer, args: argparse.Namespace) -> int:
    from poplab.tui.app import TutorApp, TutorOptions

    if args.save is not None:  # the terminal view, writing nowhere, saves each session as without --tui
        view = LiveView(lambda text: None, args.lang, save=args.save, redact=not args.no_redact, export=args.export)
        proxy.subscribe(view)
    app = TutorApp(TutorOptions(lang=args.lang, watch=TutorSource(proxy)))
    app.run()
    failure = app.watcher.failure if app.watcher is not None else None
    if failure is not None:
        raise CliError(_bind_error(failure, proxy.settings))
    return 0
