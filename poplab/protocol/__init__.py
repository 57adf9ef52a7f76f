"""The sans-IO POP3 core: states, the command table, parsing and limits, replies and their bytes, and the
server and client connection objects. It never touches a socket, file, clock or thread."""

from __future__ import annotations

from poplab.protocol.config import ServerConfig
from poplab.protocol.replies import Reply
from poplab.protocol.seams import Account, AccountStore, Maildrop, MaildropLocked, MessageInfo, StoreError
from poplab.protocol.server import ServerConnection
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS, CommandSpec

__all__ = [
    "COMMANDS",
    "Account",
    "AccountStore",
    "CommandSpec",
    "Maildrop",
    "MaildropLocked",
    "MessageInfo",
    "Reply",
    "ServerConfig",
    "ServerConnection",
    "State",
    "StoreError",
]
