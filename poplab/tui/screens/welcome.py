"""The welcome shown on the first start of the tutor: what poplab is, which account to log in with and what to
type first. Enter, Esc or a click dismisses it; a typed letter dismisses it too and goes to the command line (the
app sees to that), so a learner who starts typing at once loses nothing. Once dismissed it is remembered in the
data directory (:data:`SEEN_FILE`) and not shown again."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from poplab.i18n import Translator
from poplab.store.demo import SEED_ACCOUNT
from poplab.tui import texts

SEEN_FILE = "tutor-welcome-seen"


def seen(data_dir: Path | None) -> bool:
    return data_dir is not None and (data_dir / SEEN_FILE).exists()


def remember(data_dir: Path | None) -> None:
    if data_dir is None:
        return
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / SEEN_FILE).write_text("The tutor's welcome was shown and dismissed.\n", encoding="utf-8")
    except OSError:
        return  # a read-only data directory: the welcome shows again next time, nothing worse


def welcome_text(t: Translator) -> Content:
    rows = [
        Content.styled(t(texts.WELCOME_TITLE), "bold $text-accent"),
        Content(""),
        Content(t(texts.WELCOME_WHAT)),
        Content(""),
        Content(t(texts.WELCOME_ACCOUNT)),
        Content.styled(f"    USER {SEED_ACCOUNT}", "bold $accent"),
        Content.styled("    PASS passwort_im_klartext", "bold $accent"),
        Content.styled("    STAT", "bold $accent"),
        Content(""),
        Content(t(texts.WELCOME_KEYS)),
    ]
    return Content("\n").join(rows)


class WelcomeScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", texts.CLOSE)]
    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical {
        width: 90%; max-width: 76; height: auto; max-height: 90%; border: round $primary; background: $surface;
        padding: 0 1;
    }
    WelcomeScreen #welcome-start { margin-top: 1; width: 100%; }
    """

    def __init__(self, t: Translator) -> None:
        super().__init__()
        self.t = t

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(welcome_text(self.t), id="welcome-text", markup=False)
            yield Button(self.t(texts.WELCOME_START), id="welcome-start", variant="primary", compact=True)

    @on(Button.Pressed, "#welcome-start")
    def start(self) -> None:
        self.dismiss()
