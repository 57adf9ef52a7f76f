"""The entry point of one browser visitor's tutor process: ``python -m poplab.web.visitor DIR poplab-ARGS…``.
It confines itself to DIR (:mod:`poplab.web.confine`) and then runs ``poplab ARGS…`` in the same process, so the
tutor the page drives can write nowhere else and start no program. The tutor is reached by its command line, as
DESIGN.md asks of ``web/``: nothing from ``poplab.tui`` is imported here."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from poplab.web.confine import confine

SANDBOX_OFF = "--no-sandbox"


def main(argv: list[str]) -> None:
    sandbox = True
    if argv and argv[0] == SANDBOX_OFF:
        sandbox, argv = False, argv[1:]
    if not argv:
        raise SystemExit("usage: python -m poplab.web.visitor [--no-sandbox] DIR [poplab arguments]")
    directory, *rest = argv
    if sandbox and confine(Path(directory)) == 0:
        raise SystemExit("poplab web: this kernel has no Landlock; the tutor was not started (see --no-sandbox)")
    sys.argv = ["poplab", *rest]
    runpy.run_module("poplab", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
