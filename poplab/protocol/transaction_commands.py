"""Handlers for the TRANSACTION state (RFC 1939 §5 and §7): STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from poplab.protocol import auth_commands
from poplab.protocol import effects as fx
from poplab.protocol.maildrop_view import NoSuchMessage
from poplab.protocol.octets import TERMINATOR, stuff, to_crlf, top
from poplab.protocol.replies import Reply, err, listing, ok
from poplab.protocol.seams import StoreError

if TYPE_CHECKING:
    from poplab.protocol.server import Handler, ServerConnection


def stat(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    count, size = conn.maildrop.totals()
    return conn.reply(ok(f"{count} {size}"))


def list_(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    view = conn.maildrop
    if args:
        number, message = view.get(args[0])
        return conn.reply(ok(f"{number} {message.size}"))
    count, size = view.totals()
    lines = [f"{n} {m.size}" for n, m in view.live()]
    return conn.reply(listing(conn.config.style.text("list", count=count, size=size), lines))


def uidl(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    if "no-uidl" in conn.config.faults:
        return auth_commands.unknown(conn, "UIDL")
    view = conn.maildrop
    if args:
        number, message = view.get(args[0])
        return conn.reply(ok(f"{number} {message.uid}"))
    return conn.reply(listing(conn.config.style.text("uidl"), [f"{n} {m.uid}" for n, m in view.live()]))


def retr(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    view = conn.maildrop
    _, message = view.get(args[0])
    # Stored line ends as they are: the reply converts them to CRLF and stuffs, piece by piece, in one pass.
    text = conn.config.style.text("retr", size=message.size)
    streamed = conn.stream_from is not None and message.size >= conn.stream_from
    if streamed and not conn.config.faults:  # a fault profile reshapes whole replies
        pieces = view.maildrop.iter_content(message.uid)
        return [fx.Stream(Reply(True, text).status_line, _wire_pieces(pieces), message.size)]
    return conn.reply(Reply(True, text, body=view.maildrop.content(message.uid)))


def _wire_pieces(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Stored line-aligned pieces as a multi-line reply's body sends them: CRLF, stuffed, the terminator last —
    the same octets as :func:`poplab.protocol.octets.multiline_chunks` of the whole. Closing this closes
    ``pieces`` (and so the message file) at once."""
    try:
        for piece in pieces:
            yield stuff(to_crlf(piece))
        yield TERMINATOR
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()


def top_(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    if "no-top" in conn.config.faults:
        return auth_commands.unknown(conn, "TOP")
    view = conn.maildrop
    _, message = view.get(args[0])
    lines = args[1]
    if not lines.isascii() or not lines.isdigit():
        return conn.reply(err(f"invalid line count: {lines} (use a number, 0 or more)"))
    count = int(lines)
    body = top(to_crlf(view.maildrop.head(message.uid, count)), count)  # only as much of the file as TOP shows
    return conn.reply(Reply(True, conn.config.style.text("top"), body=body))


def dele(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    view = conn.maildrop
    number, _ = view.get(args[0])
    view.mark_deleted(number)
    return conn.reply(ok(conn.config.style.text("dele")))


def noop(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    return conn.reply(ok(conn.config.style.text("noop")))


def rset(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
    view = conn.maildrop
    view.reset()
    count, size = view.totals()
    return conn.reply(ok(conn.config.style.text("rset", count=count, size=size)))


def _guarded(handler: Handler) -> Handler:
    """Turn a bad message number into its -ERR reply, and a store failure (a message file gone or unreadable)
    into ``-ERR [SYS/TEMP]`` as the seam promises, never an exception that ends the session."""

    def run(conn: ServerConnection, args: tuple[str, ...]) -> list[fx.Effect]:
        try:
            return handler(conn, args)
        except NoSuchMessage as problem:
            return conn.reply(err(_problem(conn, args[0], problem.reason)))
        except StoreError:
            return conn.reply(err("message cannot be read right now", "SYS/TEMP"))

    return run


def _problem(conn: ServerConnection, arg: str, reason: str) -> str:
    """The flavour's text for a message number that cannot be used (the seed's reason says more)."""
    style = conn.config.style
    if not arg.isascii() or not arg.isdigit():
        return reason
    number, view = int(arg), conn.maildrop
    key = "message deleted" if number in view.deleted else "no such message"
    return style.reason(key, reason, number=number, count=view.count)


HANDLERS: dict[str, Handler] = {
    verb: _guarded(handler)
    for verb, handler in {
        "STAT": stat,
        "LIST": list_,
        "UIDL": uidl,
        "RETR": retr,
        "TOP": top_,
        "DELE": dele,
        "NOOP": noop,
        "RSET": rset,
    }.items()
}
