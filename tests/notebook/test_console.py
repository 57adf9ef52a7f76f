"""``lab.console()`` driven through its Python-side handlers, as the widgets drive it."""

from __future__ import annotations

from poplab.notebook import Lab


def htmls(console: object) -> list[str]:
    return [out["data"]["text/html"] for out in console.output.outputs]  # type: ignore[attr-defined]


def test_submitting_a_command_appends_its_annotated_exchange(lab: Lab) -> None:
    console = lab.console("wiki@example.com")
    assert [out["data"]["text/plain"] for out in console.output.outputs] == [
        f"Connected to 127.0.0.1:{lab.port}. Type a command and press Enter."
    ]
    exchange = console.submit("STAT")
    assert exchange is not None and exchange.text == "1 236"
    assert len(console.output.outputs) == 2
    last = console.output.outputs[-1]
    assert last["output_type"] == "display_data"
    assert last["data"] == {"text/plain": repr(exchange), "text/html": exchange._repr_html_()}
    assert ">S: +OK 1 236</code>" in htmls(console)[-1]
    assert console.exchanges == [exchange]


def test_the_text_box_sends_on_enter_and_clears_itself(lab: Lab) -> None:
    console = lab.console("alice@example.com")
    console.text.value = "LIST 2"  # what the frontend syncs when Enter is pressed
    assert console.text.value == ""
    assert ">S: +OK 2 3348</code>" in htmls(console)[-1]
    console.button.click()  # nothing typed: nothing sent
    console.submit("   ")
    assert len(console.output.outputs) == 2


def test_a_closed_session_shows_a_message_instead_of_raising(lab: Lab) -> None:
    console = lab.console()
    console.submit("QUIT")
    assert console.submit("NOOP") is None
    assert "the connection is closed; connect again" in htmls(console)[-1]


def test_the_console_speaks_german_and_shows_as_a_widget(lab_de: Lab) -> None:
    console = lab_de.console()
    assert console.text.placeholder == "POP3-Befehl eingeben, z. B. STAT, und Enter drücken"
    assert console.button.description == "Senden"
    exchange = console.submit("CAPA")
    assert exchange is not None and "Zustand: AUTHORIZATION" in console.output.outputs[-1]["data"]["text/plain"]
    bundle = console._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == console.widget.model_id
