"""The export dialog: format (the annotated HTML or Markdown handout, the lossless JSON, a pcap for Wireshark), file
name, passwords hidden (the default) or not."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet

from poplab.i18n import Translator
from poplab.tui import texts

KINDS = (("html", "HTML"), ("md", "Markdown"), ("json", "JSON"), ("pcap", "pcap (Wireshark)"))
"""The annotated handout first: what a teacher prints or a learner keeps."""
SUFFIX_KINDS = {".json": "json", ".md": "md", ".html": "html", ".htm": "html", ".pcap": "pcap"}
"""A file name's ending says the format (``/export FILE`` and a name typed in the dialog)."""


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    kind: str
    redact: bool


def default_path(kind: str, now: float | None = None) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    return Path.cwd() / f"poplab-transcript-{stamp}.{kind}"


class ExportScreen(ModalScreen[ExportRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", texts.EXPORT_CANCEL)]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 76; max-width: 95%; height: auto; border: round $primary; background: $surface; padding: 0 1;
    }
    ExportScreen RadioSet { layout: horizontal; width: auto; margin-bottom: 1; }
    ExportScreen #export-path { margin-bottom: 1; background: $boost; }
    ExportScreen .title { text-style: bold; color: $text-accent; margin-bottom: 1; }
    ExportScreen #export-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ExportScreen Button { margin-left: 2; }
    """

    def __init__(self, t: Translator) -> None:
        super().__init__()
        self.t = t

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Label(t(texts.EXPORT_TITLE), classes="title", markup=False)
            yield Label(t(texts.EXPORT_FORMAT), markup=False)
            with RadioSet(id="export-kind", compact=True):
                for number, (kind, name) in enumerate(KINDS):
                    yield RadioButton(name, value=number == 0, id=f"kind-{kind}", compact=True)
            yield Label(t(texts.EXPORT_PATH), markup=False)
            yield Input(str(default_path(KINDS[0][0])), id="export-path", compact=True)
            yield Checkbox(t(texts.EXPORT_REDACT), value=True, id="export-redact", compact=True)
            with Horizontal(id="export-buttons"):
                yield Button(t(texts.EXPORT_CANCEL), id="export-cancel", compact=True)
                yield Button(t(texts.EXPORT_SAVE), variant="primary", id="export-save", compact=True)

    @property
    def kind(self) -> str:
        index = self.query_one(RadioSet).pressed_index
        return KINDS[max(index, 0)][0]

    @on(RadioSet.Changed)
    def kind_changed(self) -> None:
        path_input = self.query_one("#export-path", Input)
        path_input.value = str(Path(path_input.value).with_suffix(f".{self.kind}"))

    @on(Button.Pressed, "#export-save")
    @on(Input.Submitted, "#export-path")
    def save(self) -> None:
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        redact = self.query_one("#export-redact", Checkbox).value
        kind = SUFFIX_KINDS.get(path.suffix.lower(), self.kind)  # a name typed as x.json means JSON
        self.dismiss(ExportRequest(path, kind, redact))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
