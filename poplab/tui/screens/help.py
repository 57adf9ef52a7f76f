"""The help screen: every key binding of the tutor (from the bindings themselves, so it cannot go stale), the
keys of the command line, the tutor's slash commands and where the bundled server listens; in watch mode, where
the proxy listens and relays to instead of the command line's keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from poplab.tui import texts

if TYPE_CHECKING:
    from poplab.tui.app import TutorApp


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", texts.CLOSE)]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%; border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._content(), id="help-text", markup=False)

    def _content(self) -> Content:
        app = cast("TutorApp", self.app)
        t = app.t
        rows = [Content.styled(t(texts.HELP_TITLE), "bold $text-accent"), Content(t(texts.HELP_INTRO)), Content("")]
        if app.watcher is not None:
            source = app.watcher.source
            rows[1] = Content(t(texts.HELP_WATCH, listen=source.listen, upstream=source.upstream))
        rows.append(Content.styled(t(texts.HELP_KEYS), "bold"))
        for binding in self._bindings_shown():
            key = app.get_key_display(binding)
            rows.append(Content.styled(f"  {key:<10}", "bold $accent") + Content(binding.description))
        if app.watcher is not None:
            rows += [Content(""), Content(t(texts.HELP_TRANSCRIPT)), Content(t(texts.HELP_PALETTE))]
            return Content("\n").join(rows)
        rows += [Content(""), Content.styled(t(texts.HELP_INPUT), "bold")]
        rows.append(Content.styled("  ↑ ↓       ", "bold $accent") + Content(t(texts.HELP_HISTORY)))
        rows.append(Content.styled("  Tab →     ", "bold $accent") + Content(t(texts.HELP_COMPLETE)))
        rows += [Content(""), Content(t(texts.HELP_TRANSCRIPT)), Content(t(texts.HELP_TUTOR_COMMANDS))]
        rows.append(Content(t(texts.HELP_PALETTE)))
        bundled = app.conductor.lab.bundled if app.conductor is not None else None
        if bundled is not None and bundled.server.port is not None:
            plain, tls = f"127.0.0.1:{bundled.server.port}", f"127.0.0.1:{bundled.server.tls_port}"
            rows += [Content(""), Content(t(texts.HELP_SERVER, plain=plain, tls=tls))]
        return Content("\n").join(rows)

    def _bindings_shown(self) -> list[Binding]:
        app = cast("TutorApp", self.app)
        seen: set[str] = set()
        out: list[Binding] = []
        for node in (app.home, app):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if binding.description and not binding.system and binding.action not in seen:
                        seen.add(binding.action)
                        out.append(binding)
        return out
