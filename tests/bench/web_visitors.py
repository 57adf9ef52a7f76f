#!/usr/bin/env python3
"""Memory per ``poplab web`` visitor (issue 17): start ``poplab web``, open N browser-like websockets (aiohttp, as
textual-serve's page does), wait until every tutor has drawn its screen, and measure the process tree (RSS and
PSS, process_tree.py) before and with the N tutors.

    python tests/bench/web_visitors.py --visitors 10"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).parent))
from process_tree import memory


async def visitor(url: str, drawn: asyncio.Event, hold: asyncio.Event) -> float:
    began = time.perf_counter()
    async with aiohttp.ClientSession() as session, session.ws_connect(url + "?width=120&height=40") as websocket:
        received, first = 0, 0.0
        async for message in websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                received += len(message.data)
                if received > 20_000 and not first:  # the tutor's first full screen
                    first = time.perf_counter() - began
                    drawn.set()
                    await hold.wait()
                    break
        return first


async def run(port: int, count: int, pid: int) -> None:
    hold = asyncio.Event()
    events = [asyncio.Event() for _ in range(count)]
    url = f"ws://127.0.0.1:{port}/ws/en"
    tasks = [asyncio.create_task(visitor(url, event, hold)) for event in events]
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in events)), 120)
    await asyncio.sleep(2)
    used = memory(pid)
    hold.set()
    times = await asyncio.gather(*tasks)
    print(f"{count} visitors: {used.processes} processes, RSS {used.rss_mb:.0f} MB, PSS {used.pss_mb:.0f} MB")
    print(f"first screen after {min(times):.2f}-{max(times):.2f} s (all {count} started at once)")
    run.used = used  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visitors", type=int, default=10)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "poplab", "web", "--port", str(port), "--max-visitors", str(args.visitors)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)
        base = memory(server.pid)
        print(f"poplab web alone: RSS {base.rss_mb:.0f} MB, PSS {base.pss_mb:.0f} MB")
        asyncio.run(run(port, args.visitors, server.pid))
        used = run.used  # type: ignore[attr-defined]
        print(
            f"per visitor: RSS {(used.rss_mb - base.rss_mb) / args.visitors:.0f} MB, "
            f"PSS {(used.pss_mb - base.pss_mb) / args.visitors:.0f} MB"
        )
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
