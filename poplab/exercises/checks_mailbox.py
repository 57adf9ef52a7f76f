"""Named checks about the store as it is now: how many messages the account holds, which of the exercise's
messages are gone, and whether an account may use POP3."""

from __future__ import annotations

from poplab.exercises.model import CheckSpec
from poplab.exercises.registry import CheckContext, Verdict, check, messages, text
from poplab.exercises.texts import Message, msg


def _fresh_hint(ctx: CheckContext, spec: CheckSpec) -> Message:
    return msg("Start the exercise afresh (poplab exercise reset) to get the original mailbox back.")


def _gone(ctx: CheckContext) -> set[int]:
    kept = set(ctx.mailbox.get(ctx.account).uids)
    return {number for number, uid in enumerate(ctx.initial, 1) if uid not in kept}


def _numbers(found: set[int] | tuple[int, ...]) -> str:
    return ", ".join(str(number) for number in sorted(found))


@check(
    "mailbox_count",
    hint=lambda ctx, spec: msg("DELE only marks a message; the server removes it when the session ends with QUIT."),
    params={"count": "int"},
    required=("count",),
)
def mailbox_count(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """The account's maildrop now holds exactly ``count`` messages."""
    expected = spec.get("count")
    count = len(ctx.mailbox.get(ctx.account).uids)
    if count == expected:
        return Verdict(True, msg("Messages in the maildrop now: {count}, as asked.", count=count))
    return Verdict(
        False,
        msg("Messages in the maildrop now: {count}; the exercise asks for {expected}.", count=count, expected=expected),
    )


@check("mailbox_intact", hint=_fresh_hint)
def mailbox_intact(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """Every message the exercise started with is still in the maildrop."""
    gone = _gone(ctx)
    if gone:
        return Verdict(
            False,
            msg(
                "Message {numbers} is gone from the maildrop, but this exercise asks you to keep every message.",
                numbers=_numbers(gone),
            ),
        )
    return Verdict(True, msg("Every message is still in the maildrop."))


@check("only_removed", hint=_fresh_hint, params={"messages": "ints"}, required=("messages",))
def only_removed(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """Exactly ``messages`` are gone from the maildrop; every other message is kept."""
    wanted = set(messages(ctx, spec, "messages"))
    gone = _gone(ctx)
    if gone - wanted and ctx.shuffled:
        return Verdict(
            False, msg("Message {numbers} is gone, but the task did not ask for it.", numbers=_numbers(gone - wanted))
        )
    if wanted - gone and ctx.shuffled:
        return Verdict(False, msg("The message the task asks for is still in the maildrop."))
    if gone - wanted:
        return Verdict(
            False,
            msg(
                "Message {numbers} is gone too, but only {expected} should be.",
                numbers=_numbers(gone - wanted),
                expected=_numbers(wanted),
            ),
        )
    if wanted - gone:
        return Verdict(False, msg("Message {numbers} is still in the maildrop.", numbers=_numbers(wanted - gone)))
    return Verdict(True, msg("Exactly message {numbers} is gone; everything else is kept.", numbers=_numbers(wanted)))


@check(
    "pop_disabled",
    hint=lambda ctx, spec: msg(
        "Switch POP3 off for the account: poplab accounts set NAME --pop-enabled false --data DIR."
    ),
    params={"account": "str"},
    required=("account",),
)
def pop_disabled(ctx: CheckContext, spec: CheckSpec) -> Verdict:
    """POP3 access of ``account`` is switched off in the store (as Exchange's ``PopEnabled $false``)."""
    account = text(spec, "account")
    state = ctx.mailbox.get(account)
    if not state.exists:
        return Verdict(False, msg("There is no account {account}.", account=account))
    if state.pop_enabled:
        return Verdict(False, msg("POP3 access of {account} is still switched on.", account=account))
    return Verdict(True, msg("POP3 access of {account} is switched off.", account=account))
