"""``lab.console()``: an ipywidgets console — a text box (Enter or the button sends the line) and an output area
to which every annotated exchange is appended. Works in JupyterLab and Notebook 7; the Python-side handler
:meth:`Console.submit` is what the widgets call, so it can be driven and tested without a browser."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped]

from poplab.client import SessionError
from poplab.i18n import translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.notebook.exchange import Exchange
from poplab.notebook.session import LabSession


def display_data(plain: str, html: str) -> dict[str, Any]:
    """One output of an Output widget, as the notebook format writes it."""
    return {"output_type": "display_data", "data": {"text/plain": plain, "text/html": html}, "metadata": {}}


class Console:
    """Shown as a widget; ``console.submit("STAT")`` does what pressing Enter does."""

    def __init__(self, session: LabSession) -> None:
        self.session = session
        t = translator(session.lang)
        self.text = widgets.Text(placeholder=t(texts.CONSOLE_PLACEHOLDER), continuous_update=False)
        self.text.layout.width = "60%"
        self.button = widgets.Button(description=t(texts.CONSOLE_SEND))
        self.output = widgets.Output()
        self.exchanges: list[Exchange] = []
        self.text.observe(self._on_value, names="value")
        self.button.on_click(self._on_click)
        self.widget = widgets.VBox([widgets.HBox([self.text, self.button]), self.output])
        hello = t(texts.CONSOLE_CONNECTED, server=session.place.server_name)
        self._append(hello, r.paragraph(r.muted(hello)))

    def submit(self, line: str) -> Exchange | None:
        """Send the line (if it is not blank) and append its annotated exchange to the output."""
        if not line.strip():
            return None
        try:
            exchange = self.session.send(line)
        except SessionError as problem:
            self._append(str(problem), r.paragraph(r.esc(str(problem)), r.ERROR))
            return None
        self.exchanges.append(exchange)
        self._append(repr(exchange), exchange._repr_html_())
        return exchange

    def _append(self, plain: str, html: str) -> None:
        self.output.outputs = (*self.output.outputs, display_data(plain, html))

    def _on_value(self, change: dict[str, Any]) -> None:
        line = str(change.get("new") or "")
        if line:
            self.text.value = ""
            self.submit(line)

    def _on_click(self, _button: Any) -> None:
        line = str(self.text.value)
        self.text.value = ""
        if line:
            self.submit(line)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<Console {self.session.place.server_name}: {len(self.exchanges)} exchanges>"
