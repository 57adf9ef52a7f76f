"""``poplab talk [HOST PORT]``: a plain line-by-line POP3 prompt with every line explained below it — for screen
readers, scripts and anyone who prefers a plain terminal. With no HOST it starts the bundled server in-process.
``--save FILE`` writes the session, when it ends, as the handout its suffix names (.html, .md, .json, .pcap)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from poplab import handout
from poplab.annotate import Annotator, render
from poplab.client import ReplyTimeout, Session, SessionClosed, SessionError, SmtpSession, tls_context
from poplab.client.certificate import CertificateInfo
from poplab.commands.annotate import use_color
from poplab.commands.common import CliError, add_security_options, port, security_of
from poplab.i18n import N_, Translator, translator
from poplab.server.bundled import lab_settings, lab_smtp
from poplab.server.runner import ServerThread
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript, TranscriptLine

if TYPE_CHECKING:
    from poplab.commands.common import Subparsers

REPLY_TIMEOUT = 10.0
"""Seconds to wait for a complete reply."""
EXAMPLE = "USER wiki@example.com"
"""The first line to try against the bundled server."""
SMTP_EXAMPLE = "EHLO laptop"
"""The first line to try against the bundled SMTP server (then MAIL FROM:<alice@example.com>, RCPT TO:<bob@...>)."""

_BUNDLED = N_("poplab: bundled server on {where} — try: {example}")
_CERTIFICATE = N_(
    "poplab: TLS certificate: {subject} ({kind}); names: {names}; valid {start} to {end}; SHA-256 {sha256}"
)
_SELF_SIGNED = N_("self-signed")
_ISSUED_BY = N_("issued by {issuer}")
_CLOSED = N_("poplab: the connection is closed; nothing more can be sent.")
_TIMEOUT = N_("poplab: no complete reply within {seconds} s; the session ends here.")
_HOST_AND_PORT = N_("give HOST and PORT, or neither for the bundled server")
_SAVED = N_("poplab: the session is saved to {path}, passwords redacted.")
_SAVED_UNREDACTED = N_("poplab: the session is saved to {path}, passwords NOT redacted.")
_SAVE_SUFFIX = N_("--save {path}: use a name ending in .html, .md, .json or .pcap")
_CANNOT_WRITE = N_("cannot write {path}: {reason}")
SAVE_KINDS = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".pcap": "pcap"}
"""``--save FILE``: the export its suffix names."""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "talk",
        help="a plain POP3 prompt with every line explained (no host: the bundled server)",
        description="Type POP3 commands line by line; each line sent and received is printed with its "
        "explanation. Without HOST and PORT the bundled teaching server starts with fresh demo mailboxes. "
        "Ctrl-D ends the session without QUIT (the server then deletes nothing).",
    )
    parser.add_argument(
        "host", nargs="?", metavar="HOST", help="the POP3 server to talk to (default: the bundled teaching server)"
    )
    parser.add_argument(
        "port", nargs="?", type=port, metavar="PORT", help="its port: 110 plain or STLS, 995 with --tls (no default)"
    )
    add_security_options(parser)
    parser.add_argument(
        "--smtp",
        action="store_true",
        help="talk SMTP instead (PORT like 25 or 587, --starttls for STARTTLS; no HOST: the bundled SMTP server, "
        "which delivers into the bundled POP3 server's mailboxes)",
    )
    parser.add_argument("--apop", action="store_true", help="bundled server: offer APOP")
    parser.add_argument("--lang", metavar="LANG", help="en or de")
    parser.add_argument("--long", action="store_true", help="longer explanations")
    parser.add_argument("--no-color", action="store_true", help="no ANSI colours")
    parser.add_argument(
        "--save",
        type=Path,
        metavar="FILE",
        help="when the session ends, save it as its suffix says: .html or .md (the annotated handout, in --lang), "
        ".json (lossless) or .pcap (for Wireshark)",
    )
    parser.add_argument(
        "--show-passwords", action="store_true", help="with --save: keep passwords (redacted by default)"
    )
    parser.set_defaults(run=run)


@contextlib.contextmanager
def _endpoint(args: argparse.Namespace, t: Translator) -> Iterator[tuple[str, int, Path | None]]:
    """Where to connect: the given server, or a bundled one for as long as the talk lasts."""
    if args.host is not None:
        if args.port is None:
            raise CliError(t(_HOST_AND_PORT))
        yield args.host, args.port, args.cafile
        return
    with tempfile.TemporaryDirectory(prefix="poplab-talk-") as folder:
        settings = lab_settings(Path(folder), apop=args.apop)
        store = MemoryStore.with_demo()
        with ServerThread(store, settings) as server:
            if args.smtp:
                with lab_smtp(store, Path(folder)) as smtp:
                    yield "127.0.0.1", int(smtp.port), Path(folder) / "poplab-cert.pem"
                return
            port = server.tls_port if args.tls else server.port
            assert port is not None
            yield "127.0.0.1", port, Path(folder) / "poplab-cert.pem"


def run(args: argparse.Namespace) -> int:
    color = use_color(args.no_color, sys.stdout)
    t = translator(args.lang)
    annotator = Annotator(t.language)

    def show(line: TranscriptLine) -> None:
        for annotation in annotator.feed(line):
            print(render([annotation], t.language, long=args.long, color=color), end="", flush=True)

    security = security_of(args)
    kind = save_kind(args.save, t)
    with _endpoint(args, t) as (host, port, cafile):
        if args.host is None:
            print(t(_BUNDLED, where=f"{host}:{port}", example=SMTP_EXAMPLE if args.smtp else EXAMPLE), flush=True)
        context = tls_context(cafile, verify=not args.insecure)
        try:
            session: Session | SmtpSession
            if args.smtp:
                smtp_security = "starttls" if security == "stls" else security
                session = SmtpSession.connect(
                    host, port, smtp_security, context=context, timeout=REPLY_TIMEOUT, listeners=[show]
                )
            else:
                session = Session.connect(
                    host, port, security, context=context, timeout=REPLY_TIMEOUT, listeners=[show]
                )
        except SessionError as problem:
            raise CliError(str(problem)) from None
        if session.certificate is not None:
            print(certificate_line(session.certificate, t), flush=True)
        _converse(session, t)
        for annotation in annotator.finish():
            print(render([annotation], t.language, long=args.long, color=color), end="")
        if args.save is not None and kind is not None:
            save(session.transcript, args.save, kind, not args.show_passwords, t)
    return 0


def save_kind(path: Path | None, t: Translator) -> str | None:
    """The export ``--save`` names by its suffix (checked before the session starts), or None without --save."""
    if path is None:
        return None
    kind = SAVE_KINDS.get(path.suffix.lower())
    if kind is None:
        raise CliError(t(_SAVE_SUFFIX, path=path))
    return kind


def save(transcript: Transcript, path: Path, kind: str, redact: bool, t: Translator) -> None:
    """Write the session's handout (in the talk's language); a failed write is one line."""
    content = handout.export(transcript, kind, t.language, redact)
    try:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    except OSError as problem:
        raise CliError(t(_CANNOT_WRITE, path=path, reason=problem.strerror or str(problem))) from None
    print(t(_SAVED if redact else _SAVED_UNREDACTED, path=path), flush=True)


def certificate_line(info: CertificateInfo, t: Translator) -> str:
    """The server's certificate in one line, in the learner's language."""
    kind = t(_SELF_SIGNED) if info.self_signed else t(_ISSUED_BY, issuer=info.issuer)
    values = {"subject": info.subject, "kind": kind, "names": ", ".join(info.names) or "-", "sha256": info.sha256}
    return t(_CERTIFICATE, start=f"{info.not_before:%Y-%m-%d}", end=f"{info.not_after:%Y-%m-%d}", **values)


def _converse(session: Session | SmtpSession, t: Translator) -> None:
    interactive = sys.stdin.isatty()
    prompt = "pop3> " if isinstance(session, Session) else "smtp> "
    while not session.closed:
        if isinstance(session, SmtpSession) and session.in_data:
            prompt = "data> "  # mail data until the line with only a dot
        elif isinstance(session, SmtpSession):
            prompt = "smtp> "
        try:
            line = input(prompt if interactive else "")
        except EOFError:
            session.close()
            return
        try:
            session.send(line)
        except SessionError as problem:
            print(problem_line(problem, t), flush=True)
            return


def problem_line(problem: SessionError, t: Translator) -> str:
    """Why the talk ends early, in the learner's language (the transcript above says who closed)."""
    if isinstance(problem, ReplyTimeout):
        return t(_TIMEOUT, seconds=f"{REPLY_TIMEOUT:g}")
    if isinstance(problem, SessionClosed):
        return t(_CLOSED)
    return f"poplab: {problem}"
