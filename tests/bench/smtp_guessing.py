#!/usr/bin/env python3
"""How fast a password can be guessed over SMTP AUTH: ``poplab serve --smtp-port`` in its own process, and
CONNECTIONS clients that send ``AUTH PLAIN`` with wrong passwords for bob as fast as the replies come, for
SECONDS. Counts the replies by code: 535 is a password checked and refused, 454 a login put off unchecked (the
throttle shared with POP3), 421 the connection's command limit.

    python tests/bench/smtp_guessing.py --seconds 5 --connections 4

Measured on the 2-core machine (2026-12-07): before the throttle 800 passwords checked per second (4,000 in 5 s,
then aiosmtpd's command limit of 1,000 per connection); with it 1.6 per second (8 in 5 s: the free allowance,
then 454 and the connection's wait after each failure)."""

from __future__ import annotations

import argparse
import base64
import collections
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time


def guesses(port: int, number: int, until: float, codes: collections.Counter[str]) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection, connection.makefile("rb") as replies:
        replies.readline()
        connection.sendall(b"EHLO guesser\r\n")
        while replies.readline()[3:4] != b" ":
            pass
        attempt = 0
        while time.monotonic() < until:
            token = base64.b64encode(f"\0bob@example.com\0guess-{number}-{attempt}".encode())
            connection.sendall(b"AUTH PLAIN " + token + b"\r\n")
            attempt += 1
            reply = replies.readline()
            if not reply:
                return
            codes[reply[:3].decode()] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        command = [sys.executable, "-m", "poplab", "serve", "--data", data, "--port", "0", "--tls-port", "-1"]
        server = subprocess.Popen([*command, "--smtp-port", "0", "--quiet"], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            port = None
            while port is None and (line := server.stdout.readline()):
                found = re.search(r"SMTP on [\d.]+:(\d+)", line)
                port = int(found.group(1)) if found else None
            assert port is not None, "the server printed no SMTP port"
            codes: collections.Counter[str] = collections.Counter()
            until = time.monotonic() + args.seconds
            workers = [threading.Thread(target=guesses, args=(port, n, until, codes)) for n in range(args.connections)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        finally:
            server.terminate()
            server.wait(30)
    checked = codes["535"]
    print(f"{dict(codes)} in {args.seconds:g} s from {args.connections} connections")
    print(f"passwords checked: {checked} ({checked / args.seconds:.1f}/s); put off unchecked (454): {codes['454']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
