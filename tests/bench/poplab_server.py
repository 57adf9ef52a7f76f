"""The poplab teaching server over the bench mailboxes, for the comparison script: run in its own process,
prints ``PORT <n>`` once listening, serves until SIGTERM/SIGINT or for --lifetime seconds at most.

    python tests/bench/poplab_server.py [--lifetime 600] [--profile FILE.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from poplab.bench import fixtures
from poplab.protocol.config import ServerConfig
from poplab.server.app import PopServer
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore


async def serve(lifetime: float) -> None:
    store = fixtures.fill(MemoryStore())
    # every bench client is on 127.0.0.1: the per-address limit (100) would refuse the 800 and 1,000 idle ones
    config = ServerConfig(failed_login_delay=1.0)
    settings = ServerSettings(port=0, tls_port=None, protocol=config, max_per_address=1 << 20)
    server = PopServer(store, settings)
    await server.start()
    print(f"PORT {server.port}", flush=True)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), lifetime)
    except TimeoutError:
        pass
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lifetime", type=float, default=600.0)
    parser.add_argument("--profile", help="write a cProfile of the server to this file")
    args = parser.parse_args()
    if args.profile:
        import cProfile

        cProfile.runctx("asyncio.run(serve(args.lifetime))", globals(), locals(), args.profile)
    else:
        asyncio.run(serve(args.lifetime))


if __name__ == "__main__":
    main()
