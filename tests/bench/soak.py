"""Soak: a mixed attack on a poplab server for 60 s while 20 honest clients run full sessions.

The server runs in its own process (bench mailboxes plus the demo accounts, TLS on, the settings a classroom server
has beyond loopback: a 60 s login time, a 1 s failed-login delay, throttling on). Attackers, all on loopback (from
127.0.0.2–127.0.0.9, so the per-address limit of 100 does not hide every attack behind one address):

- 2 floods of 200,000 pipelined ``USER x`` lines each, over and over;
- 150 slowloris connections sending a byte every 5 s before login;
- 300 half-open TLS connections that never send a ClientHello;
- 40 brute-force connections guessing wiki@example.com's password;
- a connect storm: up to 200 connect-and-close per second.

Prints the honest sessions' p50/p99 (a whole session: connect, USER, PASS, STAT, LIST, RETR 1, QUIT) and the p50/p99
of their NOOP round trips, the server's peak RSS and open fds, what the attack achieved, and errors. Every step
ends on its own; nothing leaves loopback.

    python tests/bench/soak.py [--duration 60]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

SERVER = """
import asyncio, logging, signal, sys
from pathlib import Path
from poplab.bench import fixtures
from poplab.protocol.config import ServerConfig
from poplab.server.app import PopServer
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore

logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

async def main():
    store = fixtures.fill(MemoryStore.with_demo())
    tls = server_context(ensure_certificate(Path(sys.argv[1])))
    config = ServerConfig(tls_available=True, failed_login_delay=1.0)
    settings = ServerSettings(port=0, tls_port=0, tls=tls, protocol=config, login_timeout=60.0)
    server = PopServer(store, settings)
    await server.start()
    print(server.port, server.tls_port, flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await asyncio.wait_for(stop.wait(), float(sys.argv[2]))
    print("refused", server.refused, "throttle", len(server.throttle or ()), flush=True)
    await server.stop()

asyncio.run(main())
"""

HONEST = 20


@dataclass
class Tally:
    sessions: list[float] = field(default_factory=list)
    noops: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    flood_replies: int = 0
    guesses: int = 0
    guesses_refused: int = 0
    storm: int = 0
    slow_cut: int = 0
    tls_cut: int = 0


async def lines(reader: asyncio.StreamReader, count: int) -> bytes:
    data = b""
    for _ in range(count):
        data += await reader.readline()
    return data


async def multi(reader: asyncio.StreamReader) -> bytes:
    data = await reader.readline()
    if data.startswith(b"+OK"):
        while (line := await reader.readline()) != b".\r\n":
            if not line:
                raise ConnectionError("closed mid-reply")
            data += line
    return data


async def honest(n: int, port: int, until: float, tally: Tally) -> None:
    user = f"bench{n}@example.com".encode()
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
            async with asyncio.timeout(30):
                assert (await reader.readline()).startswith(b"+OK")
                writer.write(b"USER " + user + b"\r\nPASS bench\r\n")
                reply = await lines(reader, 2)
                assert reply.count(b"+OK") == 2, reply
                for command in (b"STAT", b"NOOP"):
                    sent = time.monotonic()
                    writer.write(command + b"\r\n")
                    assert (await reader.readline()).startswith(b"+OK")
                    if command == b"NOOP":
                        tally.noops.append(time.monotonic() - sent)
                writer.write(b"LIST\r\n")
                await multi(reader)
                writer.write(b"RETR 1\r\n")
                await multi(reader)
                writer.write(b"QUIT\r\n")
                assert (await reader.readline()).startswith(b"+OK")
            tally.sessions.append(time.monotonic() - started)
            writer.close()
        except (OSError, AssertionError, TimeoutError) as problem:
            tally.errors.append(f"honest {n}: {problem!r}"[:200])
            await asyncio.sleep(0.1)


async def flood(port: int, until: float, tally: Tally) -> None:
    payload = b"USER x\r\n" * 200_000
    while time.monotonic() < until:
        with contextlib.suppress(OSError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.2", 0))
            writer.write(payload)
            while time.monotonic() < until and (chunk := await reader.read(1 << 16)):
                tally.flood_replies += chunk.count(b"\n")
            writer.close()


async def slowloris(port: int, n: int, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        with contextlib.suppress(OSError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(f"127.0.0.{3 + n % 2}", 0))
            while time.monotonic() < until and not reader.at_eof():
                writer.write(b"U")
                with contextlib.suppress(TimeoutError):
                    if await asyncio.wait_for(reader.read(1000), 5) == b"" or reader.at_eof():
                        tally.slow_cut += 1
                        break
            writer.close()


async def half_open_tls(tls_port: int, n: int, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        with contextlib.suppress(OSError):
            source = (f"127.0.0.{5 + n % 4}", 0)
            reader, writer = await asyncio.open_connection("127.0.0.1", tls_port, local_addr=source)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(1), max(0.1, until - time.monotonic()))
                tally.tls_cut += 1
            writer.close()


async def brute(port: int, n: int, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        with contextlib.suppress(OSError, TimeoutError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.9", 0))
            await reader.readline()
            for guess in range(5):
                writer.write(f"USER wiki@example.com\r\nPASS guess{n}-{guess}\r\n".encode())
                reply = (await asyncio.wait_for(lines(reader, 2), 30)).split(b"\r\n")[1]
                tally.guesses += 1
                tally.guesses_refused += b"[LOGIN-DELAY]" in reply
                if not reply:
                    break
            writer.close()
        await asyncio.sleep(0.05)


async def storm(port: int, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.8", 0))
            writer.close()
            tally.storm += 1
        await asyncio.sleep(0.005)


def sample(pid: int) -> tuple[float, int]:
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


async def watch(pid: int, until: float, peaks: dict[str, float]) -> None:
    while time.monotonic() < until:
        rss, fds = sample(pid)
        peaks["rss"], peaks["fds"] = max(peaks["rss"], rss), max(peaks["fds"], fds)
        await asyncio.sleep(0.5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


async def attack(port: int, tls_port: int, pid: int, duration: float) -> tuple[Tally, dict[str, float]]:
    tally, peaks = Tally(), {"rss": 0.0, "fds": 0.0}
    peaks["rss0"], peaks["fds0"] = sample(pid)
    until = time.monotonic() + duration
    jobs = [honest(n, port, until, tally) for n in range(1, HONEST + 1)]
    jobs += [flood(port, until, tally) for _ in range(2)]
    jobs += [slowloris(port, n, until, tally) for n in range(150)]
    jobs += [half_open_tls(tls_port, n, until, tally) for n in range(300)]
    jobs += [brute(port, n, until, tally) for n in range(40)]
    jobs += [storm(port, until, tally), watch(pid, until, peaks)]
    await asyncio.wait_for(asyncio.gather(*jobs), duration + 60)
    return tally, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, folder, str(args.duration + 120)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None and server.stderr is not None
            port, tls_port = map(int, server.stdout.readline().split())
            started = time.monotonic()
            tally, peaks = asyncio.run(attack(port, tls_port, server.pid, args.duration))
            elapsed = time.monotonic() - started
            server.terminate()
            summary = server.stdout.read().strip()
            log = server.stderr.read()
            server.wait(30)
        finally:
            server.kill()
    print(f"soak: {elapsed:.0f} s of attack, {HONEST} honest clients, server pid {server.pid}")
    print(
        f"honest sessions: {len(tally.sessions)}, p50 {percentile(tally.sessions, 0.5):.1f} ms, "
        f"p99 {percentile(tally.sessions, 0.99):.1f} ms, max {max(tally.sessions, default=0) * 1000:.1f} ms"
    )
    print(
        f"honest NOOP round trip: p50 {percentile(tally.noops, 0.5):.2f} ms, p99 {percentile(tally.noops, 0.99):.2f} "
        f"ms, max {max(tally.noops, default=0) * 1000:.2f} ms (mean {statistics.fmean(tally.noops or [0]) * 1000:.2f})"
    )
    print(f"honest errors: {len(tally.errors)}" + "".join(f"\n    {e}" for e in tally.errors[:5]))
    print(
        f"server: RSS {peaks['rss0']:.1f} MB before, peak {peaks['rss']:.1f} MB; open fds {peaks['fds0']:.0f} "
        f"before, peak {peaks['fds']:.0f}; {summary}"
    )
    print(
        f"attack: {tally.flood_replies} flood replies, {tally.guesses} guesses ({tally.guesses / elapsed:.1f}/s, "
        f"{tally.guesses_refused} refused unchecked with LOGIN-DELAY), {tally.storm} storm connections, "
        f"slowloris cut {tally.slow_cut}×, half-open TLS cut {tally.tls_cut}×"
    )
    lines_logged = log.strip().splitlines()
    print(f"server log: {len(lines_logged)} lines, {log.count('Traceback')} tracebacks")
    for line in lines_logged[:5]:
        print("    " + line[:160])


if __name__ == "__main__":
    main()
