"""Mistyped command keywords: the verb of the core's command table that a keyword most resembles (``STAR`` →
STAT, ``RETRE`` → RETR, ``LIS`` → LIST), for the "Did you mean ...?" on the client line and in the hint of the
server's -ERR. One rule, so the client line and the -ERR reply never suggest different verbs."""

from __future__ import annotations

import difflib

from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS

CUTOFF = 0.6
"""How alike (difflib's ratio, 0 to 1) a keyword and a verb must be: ``STAR``/STAT is 0.75, ``LIS``/LIST 0.86,
``HELO``/NOOP only 0.25."""
_LONGEST = 20
"""Longer keywords are no typo of a four-letter verb."""


def suggestion(keyword: str, state: State | None = None) -> str | None:
    """The verb closest to ``keyword`` (any case), or None when none is close; on a tie, a verb that is valid in
    ``state`` wins, then the table's order."""
    word = keyword.strip().upper()
    if not word or len(word) > _LONGEST or word in COMMANDS:
        return None
    best: tuple[float, bool] | None = None
    found = None
    for verb, spec in COMMANDS.items():
        ratio = difflib.SequenceMatcher(None, word, verb).ratio()
        score = (ratio, state in spec.states)
        if ratio >= CUTOFF and (best is None or score > best):
            best, found = score, verb
    return found


def typed_keyword(raw: bytes) -> str:
    """The keyword as the learner typed it (first word, any case; at most 20 characters), for the texts."""
    words = raw.strip().split()
    return words[0].decode("utf-8", "replace")[:_LONGEST] if words else ""


def begins_with_blank(raw: bytes) -> bool:
    """A line such as `` STAT``: the server reads the empty text before the first space as the keyword."""
    return raw[:1] in (b" ", b"\t") and bool(raw.strip())
