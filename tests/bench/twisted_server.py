"""A ``twisted.mail.pop3`` server over the same bench mailboxes, for the comparison script: a minimal
IMailbox, realm and portal, TCP_NODELAY on every connection, no per-connection log lines. Run in its own
process; prints ``PORT <n>`` once listening; serves until SIGTERM/SIGINT or for --lifetime seconds at most.

    python tests/bench/twisted_server.py [--lifetime 600]

Needs twisted (the ``bench`` extra: ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import io
from typing import Any

from twisted.cred.checkers import InMemoryUsernamePasswordDatabaseDontUse
from twisted.cred.portal import IRealm, Portal
from twisted.internet import protocol, reactor
from twisted.mail import pop3
from zope.interface import implementer

from poplab.bench import fixtures
from poplab.protocol.octets import wire_size


@implementer(pop3.IMailbox)
class BenchMailbox:
    """One login's view of a maildrop: messages as stored (LF), wire sizes, deletion marks."""

    def __init__(self, messages: tuple[bytes, ...], uids: tuple[bytes, ...], sizes: tuple[int, ...]) -> None:
        self.messages = messages
        self.uids = uids
        self.sizes = sizes
        self.deleted: set[int] = set()

    def listMessages(self, i: int | None = None) -> Any:
        if i is None:
            return [0 if n in self.deleted else size for n, size in enumerate(self.sizes)]
        if not 0 <= i < len(self.sizes):
            raise ValueError(i)
        return 0 if i in self.deleted else self.sizes[i]

    def getMessage(self, i: int) -> io.BytesIO:
        if not 0 <= i < len(self.messages) or i in self.deleted:
            raise ValueError(i)
        return io.BytesIO(self.messages[i])

    def getUidl(self, i: int) -> bytes:
        if not 0 <= i < len(self.uids) or i in self.deleted:
            raise ValueError(i)
        return self.uids[i]

    def deleteMessage(self, i: int) -> None:
        self.deleted.add(i)

    def undeleteMessages(self) -> None:
        self.deleted.clear()

    def sync(self) -> None:
        pass


@implementer(IRealm)
class BenchRealm:
    def __init__(self) -> None:
        self.boxes: dict[bytes, tuple[tuple[bytes, ...], tuple[bytes, ...], tuple[int, ...]]] = {}
        for box in fixtures.mailboxes():
            uids = tuple(f"{n:06d}.bench".encode() for n in range(1, len(box.messages) + 1))
            sizes = tuple(wire_size(m) for m in box.messages)
            self.boxes[box.account.name.encode()] = (box.messages, uids, sizes)

    def requestAvatar(self, avatar_id: bytes, mind: object, *interfaces: object) -> tuple[object, object, Any]:
        if pop3.IMailbox not in interfaces:
            raise NotImplementedError("only IMailbox")
        return pop3.IMailbox, BenchMailbox(*self.boxes[avatar_id]), lambda: None


class NoDelayPOP3(pop3.POP3):
    def connectionMade(self) -> None:
        self.transport.setTcpNoDelay(True)
        super().connectionMade()


class BenchFactory(protocol.ServerFactory):
    noisy = False
    protocol = NoDelayPOP3

    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    def buildProtocol(self, addr: object) -> pop3.POP3:
        proto = super().buildProtocol(addr)
        proto.portal = self.portal
        return proto


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lifetime", type=float, default=600.0)
    args = parser.parse_args()
    realm = BenchRealm()
    checker = InMemoryUsernamePasswordDatabaseDontUse(
        **{box.account.name: box.account.password.encode() for box in fixtures.mailboxes()}
    )
    port = reactor.listenTCP(0, BenchFactory(Portal(realm, [checker])), interface="127.0.0.1", backlog=128)
    print(f"PORT {port.getHost().port}", flush=True)
    reactor.callLater(args.lifetime, reactor.stop)
    reactor.run()


if __name__ == "__main__":
    main()
