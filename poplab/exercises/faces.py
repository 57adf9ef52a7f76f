"""How a learner checks, answers and restarts an exercise depends on the face they work in. Task texts (the
exercise files) and the engine's results name the command line's way (``poplab exercise check 02 --answer "3 9"``);
:func:`for_tutor` turns them into the terminal tutor's (``/answer 3 9``, F7, ``/exercise 02``)."""

from __future__ import annotations

import re

_CHECK_ANSWER = re.compile(r'poplab exercise check \d+ --answer (?:"([^"]*)"|(\S+))')
_CHECK = re.compile(r"poplab exercise check(?: \d+)?")
_RESET = re.compile(r"poplab exercise reset(?: \d+)?")
_GIVE = re.compile(r"--answer( an)? \((?:or|oder) check\(answer=\.\.\.\)\)")


def for_tutor(text: str, exercise_id: str) -> str:
    """``text`` with the command line's ways to check, answer and restart replaced by the tutor's."""
    text = _CHECK_ANSWER.sub(lambda match: f"/answer {match.group(1) or match.group(2)}", text)
    text = _CHECK.sub("F7 (/check)", text)
    text = _RESET.sub(f"/exercise {exercise_id}", text)
    return _GIVE.sub(lambda match: f"/answer TEXT{match.group(1) or ''}", text)
