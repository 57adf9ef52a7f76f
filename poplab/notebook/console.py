"""``lab.console()``: an ipywidgets console — a text box (Enter or the button sends the line) and under it the
annotated exchanges, newest first. Works in JupyterLab and Notebook 7; the Python-side handler
:meth:`Console.submit` is what the widgets call, so it can be driven and tested without a browser.

Only Enter or the button sends. The text box syncs its value as the learner types (``continuous_update=True``) and
nothing watches that value; Enter arrives as the frontend's ``{"event": "submit"}`` message (what
``Text.on_submit`` listens to — deprecated in ipywidgets 8 in favour of ``continuous_update=False`` plus a value
observer, which also fires when the box loses focus: a click elsewhere sent ``DELE 1``).

Newest first, directly under the input: the input never moves, and the reply to what was just typed is where
the eyes already are, however long the history grows (appending at the end put it further down the page with
every command). The whole session in order is ``console.session.transcript``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped]

from poplab.client import SessionError
from poplab.i18n import translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.notebook.exchange import Exchange
from poplab.notebook.session import LabError, LabSession


def display_data(plain: str, html: str) -> dict[str, Any]:
    """One output of an Output widget, as the notebook format writes it."""
    return {"output_type": "display_data", "data": {"text/plain": plain, "text/html": html}, "metadata": {}}


class Console:
    """Shown as a widget; ``console.submit("STAT")`` does what pressing Enter does.

    ``output.outputs`` holds the renderings newest first; ``exchanges`` the exchanges in the order sent.
    """

    def __init__(self, session: LabSession, reopen: Callable[[], LabSession] | None = None) -> None:
        self.session = session
        self._reopen = reopen
        """Opens a new session like the first one, when the lab cut this one (``lab.reset()``)."""
        t = translator(session.lang)
        self.text = widgets.Text(placeholder=t(texts.CONSOLE_PLACEHOLDER), continuous_update=True)
        self.text.layout.width = "60%"
        self.button = widgets.Button(description=t(texts.CONSOLE_SEND))
        self.output = widgets.Output()
        self.exchanges: list[Exchange] = []
        self.text.on_msg(self._on_message)
        self.button.on_click(self._on_click)
        self.widget = widgets.VBox([widgets.HBox([self.text, self.button]), self.output])
        hello = t(texts.CONSOLE_CONNECTED, server=session.place.server_name)
        self._append(hello, r.paragraph(r.muted(hello)))

    def submit(self, line: str) -> Exchange | None:
        """Send the line (if it is not blank) and show its annotated exchange at the top of the output."""
        if not line.strip():
            return None
        self._reconnect_if_cut()
        try:
            exchange = self.session.send(line)
        except SessionError as problem:
            self._append(str(problem), r.paragraph(r.esc(str(problem)), r.ERROR))
            return None
        self.exchanges.append(exchange)
        self._append(repr(exchange), exchange._repr_html_())
        return exchange

    def _reconnect_if_cut(self) -> None:
        """A session the lab cut (a reset) is replaced by a fresh one, said in the output; a stopped lab cannot."""
        if not (self.session.closed and self.session.cut_by_lab) or self._reopen is None:
            return  # a QUIT or a server that closed is what the learner should see
        try:
            self.session = self._reopen()
        except (LabError, SessionError):
            return  # the lab was stopped: sending says the connection is closed, and what to run
        again = translator(self.session.lang)(texts.CONSOLE_RECONNECTED, server=self.session.place.server_name)
        self._append(again, r.paragraph(r.muted(again)))

    def _append(self, plain: str, html: str) -> None:
        """Put a rendering at the top of the output, right under the input."""
        self.output.outputs = (display_data(plain, html), *self.output.outputs)

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        """The text box's messages from the frontend: ``{"event": "submit"}`` when Enter is pressed."""
        if content.get("event") == "submit":
            self._send_typed()

    def _on_click(self, _button: Any) -> None:
        self._send_typed()

    def _send_typed(self) -> None:
        line = str(self.text.value)
        self.text.value = ""
        if line:
            self.submit(line)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<Console {self.session.place.server_name}: {len(self.exchanges)} exchanges>"
