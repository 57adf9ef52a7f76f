"""DESIGN.md's dependency rules, checked on the import statements of every module in poplab/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "poplab"

# Which poplab packages each part may import (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "protocol": set(),
    "store": {"protocol"},
    "transcript": set(),
    "i18n": set(),
    "annotate": {"protocol", "transcript", "i18n"},
    "client": {"protocol", "transcript"},
    "server": {"protocol", "store", "transcript", "smtp"},
    "smtp": {"protocol", "store", "transcript"},
    "bench": {"protocol"},
    "exercises": {"annotate", "client", "server", "smtp", "store", "transcript", "protocol", "i18n"},
    "notebook": {
        "client",
        "annotate",
        "exercises",
        "server",
        "store",
        "transcript",
        "protocol",
        "i18n",
        "handout",
        "capture",
    },
    "tui": {"client", "annotate", "exercises", "server", "store", "transcript", "protocol", "i18n", "handout"},
    "proxy": {"protocol", "transcript", "annotate", "i18n", "server", "client"},
    "capture": {"transcript"},
    "handout": {"annotate", "capture", "protocol", "transcript", "i18n"},
    "web": {"exercises"},  # the tutor only by its command line (poplab.web.visitor runs `poplab tutor …`)
}
IO_MODULES = {"socket", "ssl", "asyncio", "selectors", "threading", "time", "os", "io", "subprocess"}
PURE = {"protocol", "annotate", "transcript"}


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "poplab":  # `from poplab import handout` imports the package poplab.handout
                found.update(f"poplab.{alias.name}" for alias in node.names if (PACKAGE / alias.name).is_dir())
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_dependencies_point_inward(path: Path) -> None:
    part = part_of(path)
    if part not in ALLOWED:
        return  # cli.py, commands/, __init__ and __main__ are the composition root: they may import anything
    for name in imports(path):
        top, _, rest = name.partition(".")
        if top == "textual":
            assert part == "tui", f"{path}: only tui/ imports textual"
        if top != "poplab" or not rest:
            continue
        target = rest.split(".")[0]
        assert target == part or target in ALLOWED[part], f"{path}: {part} may not import poplab.{target}"


@pytest.mark.parametrize("path", [p for p in MODULES if part_of(p) in PURE], ids=lambda p: p.name)
def test_pure_parts_touch_no_socket_file_clock_or_thread(path: Path) -> None:
    for name in imports(path):
        top = name.split(".")[0]
        assert top not in IO_MODULES, f"{path} imports {top}"
        assert top in sys.stdlib_module_names or top == "poplab", f"{path} imports third-party {top}"
