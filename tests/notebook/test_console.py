"""``lab.console()`` driven through its Python-side handlers and through the comm messages the browser sends
(``tests/notebook/test_browser.py`` drives the same in a real JupyterLab)."""

from __future__ import annotations

from typing import Any

from poplab.notebook import Lab
from poplab.notebook.console import Console


def htmls(console: Console) -> list[str]:
    return [out["data"]["text/html"] for out in console.output.outputs]


def from_browser(widget: Any, data: dict[str, Any]) -> None:
    """A comm message from the frontend, as ipywidgets' JavaScript sends it to the kernel."""
    widget._handle_msg({"content": {"data": data}, "buffers": []})


def typed(console: Console, text: str) -> None:
    """What the browser syncs while the learner types, and again when the box loses focus."""
    from_browser(console.text, {"method": "update", "state": {"value": text}, "buffer_paths": []})


def enter(console: Console) -> None:
    """What the browser sends when Enter is pressed in the text box."""
    from_browser(console.text, {"method": "custom", "content": {"event": "submit"}})


def test_submitting_a_command_appends_its_annotated_exchange(lab: Lab) -> None:
    console = lab.console("wiki@example.com")
    assert [out["data"]["text/plain"] for out in console.output.outputs] == [
        f"Connected to 127.0.0.1:{lab.port}. Type a command and press Enter."
    ]
    exchange = console.submit("STAT")
    assert exchange is not None and exchange.text == "1 236"
    assert len(console.output.outputs) == 2
    newest = console.output.outputs[0]
    assert newest["output_type"] == "display_data"
    assert newest["data"] == {"text/plain": repr(exchange), "text/html": exchange._repr_html_()}
    assert ">S: +OK 1 236</code>" in htmls(console)[0]
    assert console.exchanges == [exchange]


def test_the_newest_exchange_is_first_right_under_the_input(lab: Lab) -> None:
    console = lab.console("alice@example.com")
    for line in ("STAT", "LIST 2", "NOOP"):
        console.submit(line)
    firsts = [html.split("</code>")[0].rsplit(">", 1)[-1] for html in htmls(console)[:3]]
    assert firsts == ["C: NOOP", "C: LIST 2", "C: STAT"]
    assert console.output.outputs[-1]["data"]["text/plain"].startswith("Connected to 127.0.0.1:")
    assert [e.status for e in console.exchanges] == ["+OK 6 8231", "+OK 2 3348", "+OK"]
    assert console.widget.children[0].children == (console.text, console.button)
    assert console.widget.children[1] is console.output


def test_enter_sends_the_line_and_clears_the_box(lab: Lab) -> None:
    console = lab.console("alice@example.com")
    typed(console, "LIST 2")
    assert len(console.output.outputs) == 1  # typing alone sends nothing
    enter(console)
    assert console.text.value == ""
    assert ">S: +OK 2 3348</code>" in htmls(console)[0]
    assert [e.status for e in console.exchanges] == ["+OK 2 3348"]


def test_leaving_the_box_sends_nothing(lab: Lab) -> None:
    """Defect 7 of issue 12: ``DELE 1`` typed, then a click elsewhere — the frontend syncs the value on blur."""
    console = lab.console("alice@example.com")
    typed(console, "DELE 1")
    typed(console, "DELE 1")  # the blur sync repeats the value
    from_browser(console.text, {"method": "custom", "content": {"event": "something else"}})
    assert console.exchanges == [] and len(console.output.outputs) == 1
    assert console.text.value == "DELE 1"  # still there to finish or clear
    enter(console)  # Enter sends it after all; the reply is the one for DELE 1, nothing was sent before
    assert [e.lines[0].text for e in console.exchanges] == ["DELE 1"] and console.exchanges[0].ok is True


def test_the_button_sends_what_was_typed(lab: Lab) -> None:
    console = lab.console("alice@example.com")
    typed(console, "UIDL 1")
    console.button.click()
    assert console.text.value == "" and console.exchanges[-1].ok is True
    console.button.click()  # nothing typed: nothing sent
    enter(console)
    console.submit("   ")
    assert len(console.exchanges) == 1 and len(console.output.outputs) == 2


def test_a_closed_session_shows_a_message_instead_of_raising(lab: Lab) -> None:
    console = lab.console()
    console.submit("QUIT")
    console.submit("NOOP")  # no exception: the reason is shown at the top
    assert "the connection is closed" in htmls(console)[0]


def test_the_console_speaks_german_and_shows_as_a_widget(lab_de: Lab) -> None:
    console = lab_de.console()
    assert console.text.placeholder == "POP3-Befehl eingeben, z. B. STAT, und Enter drücken"
    assert console.button.description == "Senden"
    exchange = console.submit("CAPA")
    assert exchange is not None and "Zustand: AUTHORIZATION" in console.output.outputs[0]["data"]["text/plain"]
    bundle = console._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == console.widget.model_id


def test_a_console_cut_by_a_reset_opens_a_new_session_and_says_so() -> None:
    """Run All runs lab.reset() after a console cell: the learner's first line then goes over a new session."""
    from poplab.notebook import Lab

    with Lab(lang="en") as lab:
        console = lab.console()
        assert console.submit("USER wiki@example.com") is not None
        lab.reset()
        exchange = console.submit("USER wiki@example.com")
        assert exchange is not None and exchange.ok is True
        assert "The lab cut the last connection (a reset): connected to" in str(console.output.outputs[1])
        lab.stop()
        after = console.submit("STAT")  # a stopped lab cannot reconnect: the closed connection is said
        assert after is not None and after.ok is False
        assert repr(after).startswith("no reply: the connection is closed: run the cell that opens this session")
