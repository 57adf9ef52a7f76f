"""Named checks about messages: which were downloaded or read, which were deleted and whether QUIT committed the
deletion, and what a dropped connection did. Message numbers are those at the start of the exercise; the
checks map each session's own numbers to them through the UIDs of the session's snapshot."""

from __future__ import annotations

from poplab.exercises.model import CheckSpec
from poplab.exercises.record import SessionRecord
from poplab.exercises.registry import CheckContext, Verdict, check, messages
from poplab.exercises.texts import Message, msg


def _retr_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg("RETR n downloads message n; TOP n 0 shows only its headers.")


def _dele_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg("DELE only marks a message; the server removes it when the session ends with QUIT.")


def _retrieved(ctx: CheckContext, record: SessionRecord) -> set[int]:
    return ctx.numbers_in(record, (e for e in record.exchanges() if e.verb == "RETR" and e.ok))


def _numbers(found: set[int] | list[int] | tuple[int, ...]) -> str:
    return ", ".join(str(number) for number in sorted(found))


@check("retrieved", hint=_retr_hint, params={"messages": "ints"}, required=("messages",))
def retrieved(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """Each of ``messages`` was downloaded with RETR (+OK), in any session of the account."""
    wanted = set(messages(ctx, spec, "messages"))
    done = set().union(*(_retrieved(ctx, record) for record in ctx.mine()))
    missing = wanted - done
    if missing and ctx.shuffled:
        return Verdict(False, msg("Not every message the task asks for has been downloaded yet."))
    if missing:
        return Verdict(False, msg("Not downloaded yet: message {numbers}.", numbers=_numbers(missing)))
    return Verdict(True, msg("Message {numbers} downloaded with RETR.", numbers=_numbers(wanted)))


@check(
    "not_retrieved",
    hint=lambda ctx, spec: msg(
        "Start the exercise afresh (poplab exercise reset) and solve it without {command}.", command="RETR"
    ),
    params={"messages": "ints"},
)
def not_retrieved(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """None of ``messages`` (default: no message at all) was downloaded with RETR."""
    wanted = set(messages(ctx, spec, "messages")) or set(range(1, len(ctx.initial) + 1))
    for record in ctx.mine():
        bad = _retrieved(ctx, record) & wanted
        if bad:
            return Verdict(
                False,
                msg(
                    "Message {numbers} was downloaded with RETR (session {session}), "
                    "but this exercise asks you not to.",
                    numbers=_numbers(bad),
                    session=record.id,
                ),
            )
    if ctx.shuffled:
        return Verdict(True, msg("None of these messages was downloaded with RETR — as asked."))
    return Verdict(True, msg("No RETR of message {numbers} — as asked.", numbers=_numbers(wanted)))


@check(
    "retrieved_all",
    hint=lambda ctx, spec: msg("Download every message in one session: LIST tells you how many there are."),
)
def retrieved_all(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """One session downloaded every message of the exercise's mailbox with RETR."""
    best = 0
    for record in ctx.mine():
        got = len(_retrieved(ctx, record))
        if got == len(ctx.initial):
            return Verdict(
                True, msg("Session {session} downloaded all {count} messages.", session=record.id, count=got)
            )
        best = max(best, got)
    return Verdict(
        False,
        msg(
            "No single session downloaded every message yet (best: {got} of {count}).", got=best, count=len(ctx.initial)
        ),
    )


@check("read_message", hint=_retr_hint, params={"message": "int", "whole": "bool"}, required=("message",))
def read_message(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """Message ``message`` was read with RETR or TOP (+OK); ``whole``: all of it (RETR, or TOP with enough
    lines — TOP n 0 sends only the headers)."""
    number = ctx.served(ints_one(spec))
    whole = spec.get("whole") is True
    size = ctx.octets[number - 1] if 0 < number <= len(ctx.octets) else 0
    for record in ctx.mine():
        for exchange in record.exchanges():
            if exchange.verb not in ("RETR", "TOP") or not exchange.ok:
                continue
            if number in ctx.numbers_in(record, [exchange]) and (not whole or exchange.octets >= size):
                return Verdict(
                    True,
                    msg(
                        "Message {number} was read (RETR or TOP) in session {session}.",
                        number=number,
                        session=record.id,
                    ),
                )
    if whole:
        return Verdict(
            False, msg("The whole message has not been read yet: TOP n 0 sends only its headers, RETR all of it.")
        )
    if ctx.shuffled:
        return Verdict(False, msg("The message the task asks about has not been read yet (RETR or TOP)."))
    return Verdict(False, msg("Message {number} has not been read yet (RETR or TOP).", number=number))


def ints_one(spec: CheckSpec) -> int:
    value = spec.get("message")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _marked(ctx: CheckContext, record: SessionRecord) -> set[int]:
    """Messages still marked deleted when the session ended (RSET takes the marks back)."""
    marked: set[int] = set()
    for exchange in record.exchanges():
        if exchange.verb == "RSET" and exchange.ok:
            marked.clear()
        elif exchange.verb == "DELE" and exchange.ok:
            marked |= ctx.numbers_in(record, [exchange])
    return marked


@check("deleted_and_committed", hint=_dele_hint, params={"messages": "ints"}, required=("messages",))
def deleted_and_committed(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """Each of ``messages`` was deleted with DELE and the deletion committed by QUIT (the UPDATE state)."""
    wanted = set(messages(ctx, spec, "messages"))
    committed: set[int] = set()
    for record in ctx.mine():
        committed |= {n for uid in record.committed or () if (n := ctx.number_of(uid))}
        if wanted <= committed:
            return Verdict(
                True,
                msg(
                    "Message {numbers} deleted and committed by QUIT (session {session}).",
                    numbers=_numbers(wanted),
                    session=record.id,
                ),
            )
    for record in reversed(ctx.mine()):
        if record.committed is None and wanted & _marked(ctx, record):
            return Verdict(
                False,
                msg(
                    "Message {numbers} was marked with DELE, but no QUIT committed it "
                    "(session {session} ended without QUIT, so the server removed nothing).",
                    numbers=_numbers(wanted & _marked(ctx, record)),
                    session=record.id,
                ),
            )
    if ctx.shuffled:
        return Verdict(False, msg("The message the task asks for has not been deleted and committed yet."))
    return Verdict(
        False, msg("Message {numbers} has not been deleted and committed yet.", numbers=_numbers(wanted - committed))
    )


@check("marked_and_reset", hint=_dele_hint, params={"messages": "ints"}, required=("messages",))
def marked_and_reset(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """One session marked each of ``messages`` with DELE, took the marks back with RSET and ended with QUIT."""
    wanted = set(messages(ctx, spec, "messages"))
    unquit = None
    for record in ctx.logged_in():
        marked: set[int] = set()
        taken_back = False
        for exchange in record.exchanges():
            if exchange.verb == "DELE" and exchange.ok:
                marked |= ctx.numbers_in(record, [exchange])
            elif exchange.verb == "RSET" and exchange.ok:
                taken_back = taken_back or wanted <= marked
                marked.clear()
        if taken_back and record.end == "quit":
            shown = _numbers(wanted)
            found = msg(
                "Session {session} marked message {numbers}, took the marks back with RSET and ended with QUIT.",
                session=record.id,
                numbers=shown,
            )
            return Verdict(True, found)
        if taken_back:
            unquit = record
    if unquit is not None:
        return Verdict(
            False, msg("Session {session} took the marks back with RSET but ended without QUIT.", session=unquit.id)
        )
    return Verdict(
        False,
        msg(
            "No session has marked message {numbers} with DELE and then taken the marks back with RSET yet.",
            numbers=_numbers(wanted),
        ),
    )


def _dropped(ctx: CheckContext) -> list[SessionRecord]:
    return [r for r in ctx.logged_in() if r.end in ("dropped", "autologout") and _marked(ctx, r)]


@check(
    "dropped_with_deletions",
    hint=lambda ctx, spec: msg(
        "Mark messages with DELE, then cut the connection: close the window, or in telnet press Ctrl-] and then "
        "type close (or quit)."
    ),
)
def dropped_with_deletions(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """A session marked messages with DELE and then ended without QUIT (dropped or timed out)."""
    dropped = _dropped(ctx)
    if dropped:
        return Verdict(
            True, msg("Session {session} marked messages with DELE and ended without QUIT.", session=dropped[0].id)
        )
    return Verdict(False, msg("No session has marked a message with DELE and then ended without QUIT yet."))


@check(
    "looked_after_drop",
    hint=lambda ctx, spec: msg("After the dropped session, log in again and look with STAT or LIST."),
)
def looked_after_drop(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """After such a dropped session, a later session logged in and looked with STAT or LIST."""
    dropped = _dropped(ctx)
    for record in ctx.logged_in():
        if not dropped or record.id <= dropped[0].id:
            continue
        look = next((e for e in record.exchanges() if e.verb in ("STAT", "LIST") and e.ok), None)
        if look is not None:
            return Verdict(
                True,
                msg(
                    "Session {session} logged in again after the dropped session {dropped} and looked with {command}.",
                    session=record.id,
                    dropped=dropped[0].id,
                    command=look.verb,
                ),
            )
    return Verdict(False, msg("No session has logged in again after a dropped session and looked with STAT or LIST."))
