"""``python -m poplab`` runs the command line."""

from __future__ import annotations

from poplab.cli import main

raise SystemExit(main())
