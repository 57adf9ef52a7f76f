"""Listening sockets with the server's own accept loop, so that every connection is counted and limited from the
moment it is accepted — before a TLS handshake, not after it — and running out of file descriptors pauses
accepting briefly with one log line instead of a traceback per attempt."""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import resource
import socket
from collections.abc import Callable

logger = logging.getLogger("poplab.server")

BACKLOG = 512
ACCEPT_BATCH = 64
"""Connections accepted per turn of the event loop, so a connect storm shares the loop with the sessions."""
ACCEPT_PAUSE = 0.5
"""Seconds accepting pauses when the process is out of file descriptors (or memory for sockets)."""
OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
FD_RESERVE = 64
"""File descriptors kept free for everything but connections (listeners, Maildir files, logs)."""

Accepted = Callable[[socket.socket, tuple[str, int]], None]


async def open_sockets(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for every address ``host`` resolves to (as ``loop.create_server`` opens them)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(infos):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(BACKLOG)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class Listener:
    """Accepts on one socket and hands each connection to ``accepted``; pauses on EMFILE and the like."""

    def __init__(self, sock: socket.socket, accepted: Accepted) -> None:
        self.sock = sock
        self.accepted = accepted
        self.pauses = 0
        self._loop = asyncio.get_running_loop()
        self._retry: asyncio.TimerHandle | None = None
        self._loop.add_reader(sock.fileno(), self._accept)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def _accept(self) -> None:
        for _ in range(ACCEPT_BATCH):
            try:
                conn, address = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as problem:
                if problem.errno not in OUT_OF_RESOURCES:
                    raise
                self._pause(problem)
                return
            if self.pauses:
                logger.warning("accepting connections again after %d pause(s)", self.pauses)
                self.pauses = 0
            self.accepted(conn, address)

    def _pause(self, problem: OSError) -> None:
        """Stop accepting for :data:`ACCEPT_PAUSE` seconds; one log line per run of pauses, not one per try."""
        if not self.pauses:
            logger.warning(
                "cannot accept connections (%s): pausing %g s at a time until it works again",
                errno.errorcode.get(problem.errno or 0, problem),
                ACCEPT_PAUSE,
            )
        self.pauses += 1
        self._loop.remove_reader(self.sock.fileno())
        self._retry = self._loop.call_later(ACCEPT_PAUSE, self._again)

    def _again(self) -> None:
        self._retry = None
        self._loop.add_reader(self.sock.fileno(), self._accept)

    def close(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
        else:
            self._loop.remove_reader(self.sock.fileno())
        self.sock.close()


def address_slot(host: str) -> str:
    """The key a client address is counted under: the address itself, an IPv4-mapped IPv6 address as IPv4, and
    an IPv6 address by its /64 (one host usually has a whole /64)."""
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def raise_fd_limit() -> int:
    """Raise the soft limit of open files to the hard limit where allowed; returns the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft
