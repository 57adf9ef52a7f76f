"""The terminal tutor: a Textual app around the lab. With no endpoint it runs the bundled teaching server in its
own event loop (fresh demo mailboxes, free loopback ports); with one it talks to any other POP3 server and the
server-side panes say they are unavailable. In watch mode (``poplab proxy --tui``) it runs no server and no
connection of its own but a :class:`~poplab.tui.watch.Source` of proxied sessions and shows what passes through.
It owns the language (switched live), the help and export screens and the command palette entries."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input

from poplab.i18n import Translator, translator
from poplab.store.memory import MemoryStore
from poplab.tui import texts
from poplab.tui.conductor import Conductor
from poplab.tui.lab import BundledServer, Endpoint, Lab
from poplab.tui.lessons import LESSONS
from poplab.tui.screens.export import ExportRequest, ExportScreen
from poplab.tui.screens.help import HelpScreen
from poplab.tui.screens.main import MainScreen
from poplab.tui.screens.read_only import ReadOnlyScreen
from poplab.tui.screens.watch import WatchScreen
from poplab.tui.screens.welcome import WelcomeScreen, remember, seen
from poplab.tui.tour import PROGRESS_FILE, Progress
from poplab.tui.watch import Source, Watcher


@dataclass(frozen=True)
class TutorOptions:
    """``endpoint`` None: the bundled server. ``data_dir``: where the lab's certificate and the lesson progress
    live (None: a temporary directory, progress not kept). ``login_delay``: the bundled server's delay after a
    failed login."""

    endpoint: Endpoint | None = None
    smtp_endpoint: Endpoint | None = None
    """That server's SMTP side, for Ctrl+O (the bundled server always has one)."""
    data_dir: Path | None = None
    lang: str | None = None
    login_delay: float = 1.0
    store: MemoryStore | None = None
    """The bundled server's store (default: fresh demo mailboxes)."""
    watch: Source | None = None
    """Watch mode: run this source of proxied sessions (the annotating proxy) and show them; no connection."""
    projector: bool = False
    """Start in projector mode (F9 toggles it)."""
    welcome: bool = True
    """Show the welcome on the first start with the bundled server (remembered in ``data_dir``)."""
    screen: Callable[[], ReadOnlyScreen] | None = None
    """A read-only home screen instead of the lab (``poplab replay``, ``poplab classroom watch``): no connection."""


PROJECTOR_THEME = Theme(
    name="poplab-projector",
    primary="#66b3ff",
    secondary="#66b3ff",
    accent="#ffd700",
    warning="#ffd700",
    error="#ff6b6b",
    success="#5cff8a",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
)
"""High contrast for teaching from the front: white on black, bright C/S colours."""


def translate_bindings(node: DOMNode, english: dict[str, list[Binding]], t: Translator) -> None:
    """Give the node's key bindings their descriptions in ``t``'s language (the footer and help show them).
    ``english`` keeps the bindings as first seen, so switching back and forth starts from the English texts."""
    if not english:
        english.update({key: list(bindings) for key, bindings in node._bindings.key_to_bindings.items()})
    for key, bindings in english.items():
        node._bindings.key_to_bindings[key] = [translated(binding, t) for binding in bindings]


def translated(binding: Binding, t: Translator) -> Binding:
    group = binding.group
    if group is not None:
        group = Binding.Group(t(group.description), group.compact)
    description = t(binding.description) if binding.description else binding.description
    return dataclasses.replace(binding, description=description, group=group)


class TutorApp(App[None]):
    TITLE = "poplab"
    CSS_PATH = "tutor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", texts.QUIT, priority=True)]

    def __init__(self, options: TutorOptions | None = None) -> None:
        super().__init__()
        self.options = options = options or TutorOptions()
        self.t: Translator = translator(options.lang)
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._english: dict[str, dict[str, list[Binding]]] = {}
        self._theme_before = self.theme
        self._projector_pending = self.options.projector
        self.watcher = Watcher(options.watch, self.t.language) if options.watch is not None else None
        lab = options.watch is None and options.screen is None
        self.conductor = self._conductor(options) if lab else None

    def _conductor(self, options: TutorOptions) -> Conductor:
        data = options.data_dir
        if data is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="poplab-tutor-")
            data = Path(self._temporary.name)
        bundled = None
        if options.endpoint is None:
            bundled = BundledServer(data / "tls", options.store, failed_login_delay=options.login_delay)
        kept = options.data_dir is not None
        return Conductor(
            Lab(options.endpoint, bundled, options.smtp_endpoint),
            lang=self.t.language,
            progress=Progress(data / PROGRESS_FILE if kept else None),
            exercise_progress=data / "progress" if kept else None,
            cert_dir=data / "tls",
            login_delay=options.login_delay,
        )

    def get_default_screen(self) -> Screen[None]:
        if self.options.screen is not None:
            return self.options.screen()
        if self.watcher is not None:
            return WatchScreen(self.watcher)
        assert self.conductor is not None
        return MainScreen(self.conductor)

    def on_mount(self) -> None:
        self.register_theme(PROJECTOR_THEME)
        self.relabel_bindings()
        options = self.options
        if options.welcome and options.endpoint is None and self.conductor is not None and not seen(options.data_dir):
            self.push_screen(WelcomeScreen(self.t), lambda _: remember(options.data_dir))

    def projector_at_start(self) -> None:
        """Once the home screen shows: projector mode, if the tutor was started in it."""
        if self._projector_pending:
            self._projector_pending = False
            self.action_projector()

    def action_projector(self) -> None:
        """Projector mode on or off: high contrast, the transcript alone (no side panes), C/S lines with their
        one-line explanations and a blank line between entries."""
        on = not self.home.has_class("-projector")
        if on:
            self._theme_before = self.theme
        self.theme = PROJECTOR_THEME.name if on else self._theme_before
        self.home.set_class(on, "-projector")
        self.home.set_projector(on)

    async def on_event(self, event: events.Event) -> None:
        """A printable key typed while the transcript, a tab or a list has the focus, or while the welcome shows,
        goes to the command line (decided as the key arrives, so a burst of keys stays in order)."""
        if isinstance(event, events.Key) and not event.is_forwarded and event.is_printable and event.key != "space":
            if isinstance(self.screen, WelcomeScreen):
                self.screen.dismiss()  # the learner starts typing: the welcome goes, the key goes on
            screen = self.screen
            if isinstance(screen, MainScreen) and not isinstance(self.focused, Input):
                screen.focus_command_line()
        await super().on_event(event)

    async def on_unmount(self) -> None:
        if self.watcher is not None:
            await self.watcher.stop()
        if self.conductor is not None:
            await self.conductor.stop()
        if self._temporary is not None:
            self._temporary.cleanup()

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def home(self) -> MainScreen | WatchScreen | ReadOnlyScreen:
        """The screen at the bottom: the main screen, the watch screen in watch mode, or a read-only screen."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen | WatchScreen | ReadOnlyScreen)
        return screen

    # ---- language -----------------------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Switch every text, the transcript's explanations included, to ``lang`` (en or de)."""
        self.t = translator(lang)
        self.home.relabel()
        self.relabel_bindings()
        self.run_worker(self._relanguage_transcript(), group="language", exclusive=True)

    async def _relanguage_transcript(self) -> None:
        front = self.watcher or self.conductor
        if front is None:
            return  # a read-only screen annotated anew in relabel()
        items = await front.relanguage(self.t.language)
        self.home.set_items(items)
        self.home.status_changed()  # the status names the server in the front's language, now switched too

    def relabel_bindings(self) -> None:
        translate_bindings(self, self._english.setdefault("app", {}), self.t)
        translate_bindings(self.home, self._english.setdefault("main", {}), self.t)
        self.home.refresh_bindings()

    def action_help_quit(self) -> None:
        """Ctrl+C (which copies in the command line) says how to quit, in the tutor's language."""
        self.notify(self.t(texts.QUIT_HOW), title=self.t(texts.QUIT_QUESTION), markup=False)

    def action_switch_language(self) -> None:
        self.set_language("de" if self.t.language == "en" else "en")

    # ---- screens ------------------------------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_export(self) -> None:
        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen(self.t), self._exported)

    def _exported(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.home.export(request.path, request.kind, request.redact)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        t, home = self.t, self.home
        yield SystemCommand(t(texts.HELP), t(texts.HELP_TITLE), self.action_help)
        yield SystemCommand(t(texts.LANGUAGE), "en / de", self.action_switch_language)
        yield SystemCommand(t(texts.RAW), t(texts.RAW), home.action_raw)
        yield SystemCommand(t(texts.EXPORT), t(texts.EXPORT_TITLE), self.action_export)
        if not isinstance(home, MainScreen):
            return
        main = home
        yield SystemCommand(t(texts.RECONNECT), t(texts.RECONNECT), main.action_reconnect)
        yield SystemCommand(t(texts.TLS), t(texts.TLS), main.action_toggle_tls)
        yield SystemCommand(t(texts.DROP), t(texts.DROP), main.action_drop)
        yield SystemCommand(t(texts.RESET), t(texts.RESET), main.action_reset)
        for number, lesson in enumerate(LESSONS, 1):
            title = f"{t(texts.TAB_LESSON)} {number}: {t(lesson.title)}"
            yield SystemCommand(title, t(lesson.intro), lambda key=lesson.key: main.start_lesson(key))
        yield SystemCommand(t(texts.CHECK), t(texts.EXERCISES), main.action_check)
        yield SystemCommand(t(texts.HINT), t(texts.EXERCISES), main.action_hint)
