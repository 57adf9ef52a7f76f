"""A session's view of its maildrop: fixed message numbers, deletion marks, and the replies' numbers.

Message numbers are fixed for the session (RFC 1939 §5); a number marked deleted answers -ERR everywhere and is
left out of STAT, LIST and UIDL; RSET clears all marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from poplab.protocol.seams import Maildrop, MessageInfo


class NoSuchMessage(Exception):
    """A message number that cannot be used; ``reason`` is the fixed text sent after -ERR."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class MaildropView:
    maildrop: Maildrop
    deleted: set[int] = field(default_factory=set)

    @property
    def messages(self) -> list[MessageInfo]:
        return list(self.maildrop.messages)

    @property
    def count(self) -> int:
        return len(self.maildrop.messages)

    def live(self) -> list[tuple[int, MessageInfo]]:
        return [(n, m) for n, m in enumerate(self.maildrop.messages, 1) if n not in self.deleted]

    def totals(self) -> tuple[int, int]:
        live = self.live()
        return len(live), sum(m.size for _, m in live)

    def get(self, arg: str) -> tuple[int, MessageInfo]:
        """The message for a number argument, or :class:`NoSuchMessage` with a reason a learner can act on."""
        if not arg.isascii() or not arg.isdigit():
            raise NoSuchMessage(f"invalid message number: {arg!s} (use a number like 1)")
        number = int(arg)
        count = self.count
        if number == 0:
            raise NoSuchMessage("no such message, message numbers start at 1")
        if number > count:
            only = f"only {count} messages in maildrop" if count != 1 else "only 1 message in maildrop"
            raise NoSuchMessage(f"no such message, {only}")
        if number in self.deleted:
            raise NoSuchMessage(f"message {number} already deleted")
        return number, self.maildrop.messages[number - 1]

    def mark_deleted(self, number: int) -> None:
        self.deleted.add(number)

    def reset(self) -> None:
        self.deleted.clear()

    def deleted_uids(self) -> tuple[str, ...]:
        return tuple(self.maildrop.messages[n - 1].uid for n in sorted(self.deleted))
