"""Per-learner variants of an exercise's mailbox (as PrairieLearn generates a question per student): from a seed
— a solo run's own random token, or a classroom's secret and the student's login — the messages of the fixture
get new UIDs, a header of random length (so every size and the total differ) and, in exercises with
``shuffle = true``, a new order; a ``@@WORD@@`` in an exercise's ``.eml`` becomes a word of the seed. So answers
differ between learners and cannot be read from the repository or a neighbour's screen.

The variant is a pure function of the exercise and the seed: the server that serves it and the check that reads
the record (maybe in another process, from the seed kept in ``run.json``) compute the same one. Without a seed
the fixture is served exactly as the exercise folder describes it (the tutor's and notebooks' walk-throughs).

Checks name messages by their number in the fixture (``exercise.toml``'s order); :meth:`Variant.served` maps
such a number to the learner's own.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from poplab.exercises.model import Answer, Exercise
from poplab.store.demo import demo_messages

WORD_MARK = b"@@WORD@@"
BASE_WORD = ".poplab"
_SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ra", "so", "ti", "vu", "ze", "bo", "da", "fi", "gu", "he", "jo")


@dataclass(frozen=True)
class Variant:
    """The mailbox one learner is served. ``order[i]`` is the fixture number of the learner's message ``i + 1``."""

    seed: str | None
    uids: tuple[str, ...]
    """The UIDs in the fixture's order."""
    data: tuple[bytes, ...]
    """The messages' bytes in the fixture's order."""
    order: tuple[int, ...]
    word: str = BASE_WORD

    @property
    def initial(self) -> tuple[str, ...]:
        """The UIDs as the learner's mailbox holds them, in message-number order."""
        return tuple(self.uids[number - 1] for number in self.order)

    @property
    def messages(self) -> tuple[tuple[str, bytes], ...]:
        """(UID, bytes) in the learner's message-number order: what is delivered."""
        return tuple((self.uids[number - 1], self.data[number - 1]) for number in self.order)

    def served(self, number: int) -> int:
        """The learner's number of the fixture's message ``number`` (0 if there is no such message)."""
        return self.order.index(number) + 1 if number in self.order else 0

    def values(self) -> dict[str, str]:
        """Placeholders for tasks and scripts: ``{message:N}`` (the learner's number of fixture message N) and
        ``{uid:N}`` (its UID)."""
        values = {}
        for number, uid in enumerate(self.uids, 1):
            values[f"message:{number}"] = str(self.served(number))
            values[f"uid:{number}"] = uid
        return values


def make_variant(exercise: Exercise, seed: str | None = None) -> Variant:
    """The variant of ``exercise`` for ``seed``; None: the fixture as it is written."""
    fixture = exercise.fixture
    base = [(message.key, message.data) for message in demo_messages(fixture.mailbox)] if fixture.mailbox else []
    base.extend(exercise.eml)
    count = len(base)
    if seed is None:
        data = tuple(item.replace(WORD_MARK, BASE_WORD.encode()) for _, item in base)
        return Variant(None, tuple(uid for uid, _ in base), data, tuple(range(1, count + 1)))
    rng = random.Random(hashlib.sha256(f"poplab/{exercise.id}/{seed}".encode()).digest())
    word = "." * rng.randint(1, 3) + "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4)))
    data = tuple(_padded(rng, item.replace(WORD_MARK, word.encode())) for _, item in base)
    order = list(range(1, count + 1))
    if fixture.shuffle and count > 1:
        while order == list(range(1, count + 1)):
            rng.shuffle(order)
    # A Maildir store serves messages in the order of the time in their keys: the times rise with the order.
    times, moment = {}, 1704000000
    for number in order:
        moment += rng.randrange(3600, 200000)
        times[number] = moment
    uids = tuple(_uid(times[number], seed, uid) for number, (uid, _) in enumerate(base, 1))
    return Variant(seed, uids, data, tuple(order), word)


def _uid(moment: int, seed: str, uid: str) -> str:
    digest = hashlib.sha256(f"{seed}/{uid}".encode()).hexdigest()
    return f"{moment}.V{digest[:12]}.poplab-lab"


def _padded(rng: random.Random, data: bytes) -> bytes:
    """The message with one more header line of random length at its top (its size changes, its text not)."""
    end = b"\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else b"\n"
    token = "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(8, 72)))
    return f"X-Lab-Variant: {token}".encode() + end + data


def octets(data: bytes) -> int:
    """The size of a message as POP3 counts it: every line end is CR LF."""
    return len(re.sub(rb"\r?\n", b"\r\n", data))


def expected_answers(answer: Answer, variant: Variant) -> tuple[str, ...]:
    """The right answers for the mailbox ``variant`` serves."""
    if answer.source == "stat":
        return (f"{len(variant.data)} {sum(octets(data) for data in variant.data)}",)
    if answer.source == "count":
        return (str(len(variant.data)),)
    if answer.source == "number":
        return (str(variant.served(answer.message)),)
    if answer.source == "line_after":
        lines = variant.data[answer.message - 1].decode("utf-8", "replace").splitlines()
        found = [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.rstrip("\r") == answer.after]
        return tuple(line.rstrip("\r") for line in found[:1])
    return answer.accept
