"""The POP3 session states of RFC 1939 §3."""

from __future__ import annotations

from enum import Enum


class State(Enum):
    """Where a POP3 session stands. UPDATE is entered only by QUIT from TRANSACTION."""

    AUTHORIZATION = "AUTHORIZATION"
    TRANSACTION = "TRANSACTION"
    UPDATE = "UPDATE"

    def __str__(self) -> str:
        return self.value
