"""The session log, kept off the server's hot path: records go through a queue to a writer thread (the stdlib's
``QueueHandler`` and ``QueueListener``), so a slow terminal or disk never holds up a session.

Two levels of detail. By default one compact summary line per session when it ends (who logged in, how many
commands, -ERR replies and octets sent, what QUIT deleted, how it ended), and every failed login as it happens.
With ``poplab serve --log lines`` every C/S line as well (the ``poplab.server.lines`` logger, see
:func:`poplab.server.events.log_event`); a multi-line reply is one log line, its body never logged line by line.
"""

from __future__ import annotations

import logging
import logging.handlers
import queue
import time
from dataclasses import dataclass
from typing import Literal, TextIO

from poplab.server.events import SessionInfo, line_logger, logger, printable

LogDetail = Literal["summary", "lines"]
LOG_DETAILS: tuple[LogDetail, ...] = ("summary", "lines")


@dataclass
class Tally:
    """What one session did, counted as it goes (a few integer additions per line) for its summary line."""

    opened: float
    commands: int = 0
    errors: int = 0
    sent: int = 0
    user: str = ""
    mechanism: str = ""
    failed_logins: int = 0
    deleted: int | None = None
    end: str = "closed"


def summarizing() -> bool:
    """Whether the summary line is wanted: the server log is on and its per-line detail is not."""
    return logger.isEnabledFor(logging.INFO) and not line_logger.isEnabledFor(logging.INFO)


def log_summary(info: SessionInfo, tally: Tally) -> None:
    """One line for a whole session, e.g. ``[12] 127.0.0.1:40312 bench1@example.com (USER): 27 commands,
    0 -ERR, 346,112 octets sent, 0 deleted; quit after 0.052 s``."""
    who = f"{printable(tally.user)} ({tally.mechanism})" if tally.user else "no login"
    failed = f", {tally.failed_logins} failed login(s)" if tally.failed_logins else ""
    deleted = f", {tally.deleted} deleted" if tally.deleted is not None else ""
    tls = " TLS" if info.tls_port else ""
    logger.info(
        "[%d] %s%s %s: %d commands, %d -ERR, %s octets sent%s%s; %s after %.3f s",
        info.id,
        info.peer,
        tls,
        who,
        tally.commands,
        tally.errors,
        f"{tally.sent:,}",
        failed,
        deleted,
        tally.end,
        time.monotonic() - tally.opened,
    )


def start_logging(detail: LogDetail, stream: TextIO) -> logging.handlers.QueueListener:
    """Send every log record (the server's, the SMTP side's, warnings) through a queue to a thread that writes
    them to ``stream``, one message per line; per-line session detail only with ``detail="lines"``. Returns the
    running listener: its ``stop()`` writes what is still queued and ends the thread."""
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    writer = logging.StreamHandler(stream)
    writer.setFormatter(logging.Formatter("%(message)s"))
    listener = logging.handlers.QueueListener(records, writer, respect_handler_level=False)
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(records))
    root.setLevel(logging.INFO)
    line_logger.setLevel(logging.INFO if detail == "lines" else logging.WARNING)
    listener.start()
    return listener
