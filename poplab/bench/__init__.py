"""``poplab bench``: a load generator — a raw POP3 client over stdlib asyncio — that a teacher can point at any
POP3 server (the lab's own or a classroom's). Modes: ``sessions`` (concurrent full sessions), ``retr`` (large
RETR throughput) and ``idle`` (latency with many idle connections held open). Every mode stops on its own.

:mod:`poplab.bench.fixtures` makes the bench mailboxes the comparison in ``tests/bench/`` serves.
"""

from __future__ import annotations
