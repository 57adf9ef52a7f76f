"""What a read-only home screen of the tutor (the replay, the class dashboard) does for the app: it shows the
app's language again, exports, and switches raw bytes and projector mode. No lab, no connection behind it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from poplab.tui.app import TutorApp


class ReadOnlyScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (typed by Screen)

    @property
    def tutor(self) -> TutorApp:
        return cast("TutorApp", self.app)

    def on_screen_resume(self) -> None:
        self.tutor.projector_at_start()

    def relabel(self) -> None:
        """Every text again in the app's language (annotations included)."""

    def set_items(self, items: object) -> None:
        """The app hands a home screen its transcript anew after a language switch; these make their own."""

    def status_changed(self) -> None:
        return None

    def export(self, path: Path, kind: str, redact: bool) -> None:
        return None

    def set_projector(self, on: bool) -> None:
        return None

    def action_raw(self) -> None:
        return None
