"""Server memory while 20 clients RETR a 100 MB message at once (issue 14: RSS may grow by at most 50 MB — the
server streams the message from its file instead of loading it).

    python tests/bench/retr_memory.py [--clients 20] [--megabytes 100] [--keep]

A temporary data directory gets one account per client (``big1@example.com`` ...), each Maildir holding the same
message file (hard links: 100 MB on disk once; LF line ends, every 40th line begins with a dot, so the server
converts and stuffs). ``poplab serve`` runs in its own process with its default session log; every client logs
in, sends RETR 1 and reads the whole reply at once with the others (checking its length against the octets the
message has on the wire). The server's RSS is sampled every 20 ms from ``/proc``. The last line is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench"
TARGET_GROWTH_MB = 50.0


def message(megabytes: int) -> bytes:
    header = b"From: bench@example.com\nTo: big@example.com\nSubject: a large message\n\n"
    lines = [
        (b"." if n % 40 == 0 else b"") + b"line %08d of a large message, long enough to look like text" % n
        for n in range(megabytes * 1024 * 1024 // 64)
    ]
    return header + b"\n".join(lines) + b"\n"


def wire_octets(data: bytes) -> int:
    """The RETR body as sent: CRLF line ends, stuffed dots, the terminator."""
    body = data.replace(b"\n", b"\r\n")
    return len(body) + body.count(b"\r\n.") + body.startswith(b".") + len(b".\r\n")


def write_data(root: Path, clients: int, data: bytes) -> list[str]:
    users = [f"big{n}@example.com" for n in range(1, clients + 1)]
    (root / "accounts.toml").write_text("".join(f'[accounts."{u}"]\npassword = "{PASSWORD}"\n\n' for u in users))
    original = root / "message.eml"
    original.write_bytes(data)
    for n, user in enumerate(users):
        for sub in ("cur", "new", "tmp"):
            (root / "mail" / user / sub).mkdir(parents=True, exist_ok=True)
        os.link(original, root / "mail" / user / "cur" / f"{1_700_000_000 + n}.M{n}P1Q{n}.bench:2,S")
    return users


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], int]:
    banner = root / "banner.txt"
    command = [sys.executable, "-m", "poplab", "serve", "--data", str(root), "--port", "0", "--tls-port", "-1"]
    with banner.open("wb") as out, (root / "session.log").open("wb") as log:
        process = subprocess.Popen([*command, "--login-delay", "0"], stdout=out, stderr=log, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in banner.read_text(errors="replace").splitlines():
            if line.startswith("poplab: POP3 on "):
                return process, int(line.rsplit(":", 1)[1].split()[0])
        if process.poll() is not None:
            raise SystemExit(f"the server ended: {(root / 'session.log').read_text(errors='replace')[-2000:]}")
        time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


async def expect(reader: asyncio.StreamReader, prefix: bytes) -> None:
    line = await reader.readline()
    if not line.startswith(prefix):
        raise RuntimeError(f"expected {prefix!r}, got {line[:80]!r}")


async def login(port: int, user: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    await expect(reader, b"+OK")
    writer.write(f"USER {user}\r\nPASS {PASSWORD}\r\n".encode())
    await expect(reader, b"+OK")
    await expect(reader, b"+OK")
    return reader, writer


async def retr(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, start: asyncio.Event) -> int:
    """RETR 1 once every client is logged in; the octets of the body and terminator."""
    await start.wait()
    writer.write(b"RETR 1\r\n")
    await expect(reader, b"+OK")
    received, tail = 0, b""
    while not tail.endswith(b"\r\n.\r\n"):
        chunk = await reader.read(1 << 20)
        if not chunk:
            raise RuntimeError("connection closed during RETR")
        received += len(chunk)
        tail = (tail + chunk)[-5:]
    writer.write(b"QUIT\r\n")
    await expect(reader, b"+OK")
    writer.close()
    return received


async def sample(pid: int, peak: list[float], done: asyncio.Event) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], rss_mb(pid))
        await asyncio.sleep(0.02)


async def measure(pid: int, port: int, users: list[str]) -> dict[str, float | list[int]]:
    connections = [await login(port, user) for user in users]
    await asyncio.sleep(0.5)
    before = rss_mb(pid)
    peak, done, start = [before], asyncio.Event(), asyncio.Event()
    sampler = asyncio.create_task(sample(pid, peak, done))
    began = time.monotonic()
    tasks = [asyncio.create_task(retr(reader, writer, start)) for reader, writer in connections]
    start.set()
    sizes = await asyncio.gather(*tasks)
    elapsed = time.monotonic() - began
    done.set()
    await sampler
    await asyncio.sleep(0.5)
    return {"rss_before_mb": before, "rss_peak_mb": peak[0], "rss_after_mb": rss_mb(pid), "seconds": elapsed,
            "sizes": sizes}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (session log)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="poplab-retr-memory-"))
    process = None
    try:
        data = message(args.megabytes)
        users = write_data(root, args.clients, data)
        expected = wire_octets(data)
        del data
        process, port = start_server(root)
        figures = asyncio.run(measure(process.pid, port, users))
        sizes = figures.pop("sizes")
        assert isinstance(sizes, list)
        wrong = sum(size != expected for size in sizes)
        growth = float(figures["rss_peak_mb"]) - float(figures["rss_before_mb"])  # type: ignore[arg-type]
        total_mb = sum(sizes) / 1e6
        met = "met" if growth <= TARGET_GROWTH_MB and not wrong else "MISSED"
        print(
            f"{args.clients} clients x RETR of a {args.megabytes} MB message ({expected:,} octets on the wire): "
            f"{total_mb:,.0f} MB in {figures['seconds']:.1f} s ({total_mb / float(figures['seconds']):.0f} MB/s), "  # type: ignore[arg-type]
            f"{wrong} wrong sizes"
        )
        print(
            f"server RSS: {figures['rss_before_mb']:.1f} MB before, peak {figures['rss_peak_mb']:.1f} MB, "
            f"{figures['rss_after_mb']:.1f} MB after -> grew {growth:.1f} MB (target <= {TARGET_GROWTH_MB:g} MB: {met})"
        )
        print(json.dumps({**figures, "growth_mb": round(growth, 1), "clients": args.clients,
                          "megabytes": args.megabytes, "wire_octets": expected, "wrong_sizes": wrong}))  # fmt: skip
        return 0 if met == "met" else 1
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
