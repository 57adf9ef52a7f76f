"""The renderings a learner sees: exchanges, transcripts, raw bytes, mailboxes and accounts — escaped HTML with
no external resources, readable plain text, in English and German."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from poplab.notebook import Lab, LabError
from poplab.notebook import render as r

SCRIPT_MAIL = "Subject: <script>alert('x')</script>\r\nFrom: \"Mallory\" <m@example.com>\r\n\r\n<b>bold?</b>\r\n"


def no_external_resources(html: str) -> None:
    """No script, no stylesheet link, nothing fetched; the only links are to the RFCs."""
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "<style" not in html.lower() and "@import" not in html
    assert "src=" not in html
    assert all(url.startswith("https://www.rfc-editor.org/rfc/") for url in re.findall(r'href="([^"]*)"', html))


def test_an_exchange_in_plain_text_shows_the_lines_their_explanations_and_the_states(lab: Lab) -> None:
    s = lab.session()
    s.send("USER wiki@example.com")
    login = s.send("PASS passwort_im_klartext")
    text = repr(login)
    lines = text.splitlines()
    assert lines[0] == "C: PASS passwort_im_klartext"
    assert "S: +OK mailbox locked and ready" in lines
    assert lines[-1] == "State: AUTHORIZATION → TRANSACTION"
    for annotation in login.annotations():
        assert f"   · {annotation.summary} [{annotation.ref}]" in lines
    assert any(line.startswith("   ! Password sent in clear text") for line in lines)
    assert (login.ok, login.text, str(login.state_before), str(login.state_after)) == (
        True,
        "mailbox locked and ready",
        "AUTHORIZATION",
        "TRANSACTION",
    )


def test_an_exchange_in_html_has_the_lines_states_explanations_and_rfc_links(lab: Lab) -> None:
    s = lab.session("wiki@example.com")
    stat = s.send("STAT")
    html = stat._repr_html_()
    assert html.startswith('<div class="poplab-exchange"')
    assert ">C: STAT</code>" in html and ">S: +OK 1 236</code>" in html
    assert 'href="https://www.rfc-editor.org/rfc/rfc1939#section-5"' in html
    assert ">TRANSACTION</span>" in html and "State:" in html
    for annotation in stat.annotations():
        assert f"<summary>{annotation.summary}</summary>" in html
    no_external_resources(html)


def test_an_err_reply_says_why_and_gives_a_hint(lab: Lab) -> None:
    s = lab.session("alice@example.com")
    wrong = s.send("RETR 9")
    assert wrong.ok is False and wrong.text == "no such message, only 6 messages in maildrop"
    why = next(a.why for a in wrong.annotations() if a.why is not None)
    assert why.reason in repr(wrong) and f"Hint: {why.hint}" in repr(wrong)
    html = wrong._repr_html_()
    assert r.esc(why.reason) in html and f"<b>Hint:</b> {r.esc(why.hint)}" in html


def test_html_is_escaped_a_script_in_a_subject_is_shown_as_text(lab: Lab) -> None:
    lab.deliver("bob@example.com", SCRIPT_MAIL)
    mailbox = lab.mailbox("bob@example.com")
    assert mailbox.rows[0].subject == "<script>alert('x')</script>"
    html = mailbox._repr_html_()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    s = lab.session("bob@example.com")
    fetched = s.send("RETR 1")
    for rendered in (html, fetched._repr_html_(), fetched.raw._repr_html_(), s.transcript._repr_html_()):
        no_external_resources(rendered)
        assert "<b>bold?</b>" not in rendered
    assert "&lt;b&gt;bold?&lt;/b&gt;" in fetched._repr_html_()
    assert "S: Subject: <script>alert('x')</script>" in repr(fetched)


def test_the_accounts_list_reads_as_label_value_pairs(lab: Lab, lab_de: Lab) -> None:
    assert repr(lab.accounts()).splitlines()[:2] == [
        "Accounts on the teaching server",
        "alice@example.com        POP enabled: yes, Messages: 6, Octets: 8231, In use (locked): no",
    ]
    assert repr(lab_de.accounts()).splitlines()[3] == (
        "carol@example.com        POP eingeschaltet: nein, Nachrichten: 1, Oktette: 553, In Benutzung (gesperrt): nein"
    )


def test_account_names_and_server_names_are_escaped_too(lab: Lab) -> None:
    lab.add_account('eve"<i>@example.com', "pw")
    html = lab.accounts()._repr_html_()
    assert "eve&quot;&lt;i&gt;@example.com" in html and "<i>" not in html


def test_german_and_english_renderings(lab: Lab, lab_de: Lab) -> None:
    for which in (lab, lab_de):
        s = which.session("alice@example.com")
        s.send("DELE 1")
    english = lab.mailbox("alice@example.com")
    german = lab_de.mailbox("alice@example.com")
    assert repr(english).splitlines()[0] == "Mailbox of alice@example.com, as the server sees it"
    assert repr(german).splitlines()[0] == "Postfach von alice@example.com, wie der Server es sieht"
    assert repr(english).splitlines()[-1] == "6 messages, 8231 octets; 1 marked for deletion"
    assert repr(german).splitlines()[-1] == "6 Nachrichten, 8231 Oktette; 1 zum Löschen markiert"
    assert ">Marked for deletion</th>" in english._repr_html_()
    assert ">Zum Löschen markiert</th>" in german._repr_html_() and ">ja</td>" in german._repr_html_()
    assert repr(lab_de.session().send("NOOP")).splitlines()[-1] == "Zustand: AUTHORIZATION"
    assert ">Zeile</th>" in lab_de.session().greeting._repr_html_()


def test_the_language_can_be_switched_and_old_exchanges_follow(lab: Lab) -> None:
    greeting = lab.session().greeting
    english = greeting.annotations()[0].summary
    lab.lang = "de"
    german = greeting.annotations()[0].summary
    assert english != german
    assert german in repr(greeting) and repr(greeting).endswith("Zustand: AUTHORIZATION")
    lab.lang = "fr"
    assert lab.lang == "en"


def test_raw_bytes_show_line_ends_and_stuffed_dots(lab: Lab) -> None:
    s = lab.session("alice@example.com")
    dots = s.send("RETR 3")
    raw = dots.raw
    assert bytes(raw) == b"".join(line.raw for line in dots.lines)
    text = repr(raw).splitlines()
    assert text[0] == "C RETR 3␍␊" and "S +OK message follows␍␊" in text
    assert "S ..␍␊" in text and "S ...␍␊" in text and "S .␍␊" in text
    assert text[-1] == f"8 octets sent by the client, {raw.octets('S')} octets sent by the server"
    html = raw._repr_html_()
    assert html.count('font-weight:bold">.</span>') == sum(1 for line in dots.lines if line.raw.startswith(b".."))
    assert 'title="␍␊">CR LF</span>' in html


def test_a_large_message_is_shortened_in_every_rendering(lab: Lab) -> None:
    s = lab.session("dave@example.com")
    big = s.send("RETR 2")
    assert big.ok and len(big.body or b"") > 2_000_000
    for rendered in (repr(big), big._repr_html_(), repr(big.raw), big.raw._repr_html_(), repr(s.transcript)):
        assert len(rendered) < 20_000
    assert re.search(r"… \d+ more lines", repr(big.raw))


def test_the_transcript_is_a_table_with_exports_and_passwords_redacted(lab: Lab, tmp_path: Path) -> None:
    s = lab.session("wiki@example.com")
    s.send("STAT")
    view = s.transcript
    assert len(view.lines) == 7
    html = view._repr_html_()
    assert html.count("<tr") == 1 + 7 and "POP3 session with 127.0.0.1:" in html
    assert "PASS [redacted]" in view.to_json() and "passwort_im_klartext" not in view.to_json()
    assert "passwort_im_klartext" in view.to_json(redact=False)
    assert view.to_text().splitlines()[3] == "C: PASS [redacted]"
    saved = view.save(tmp_path / "session.md")
    assert saved.read_text(encoding="utf-8").startswith("### POP3 session with 127.0.0.1:")
    with pytest.raises(ValueError, match=r"unknown export '\.pdf'"):
        view.save(tmp_path / "session.pdf")


def test_a_dropped_connection_is_in_the_transcript_with_the_lost_deletion(lab: Lab) -> None:
    s = lab.session("alice@example.com")
    s.send("DELE 2")
    s.drop()
    assert s.transcript.lines[-1].raw == b"" and s.transcript.lines[-1].direction == "C"
    assert any("deletes-lost" in a.codes for a in s.transcript.annotations())
    assert "   ! The session ended without QUIT: the deletion of message 2 is lost." in repr(s.transcript)
    assert len(lab.mailbox("alice@example.com")) == 6


def test_a_reply_that_never_came_is_shown_as_such(lab: Lab) -> None:
    s = lab.session("wiki@example.com")
    server = lab.server
    server.call(lambda: [session.shutdown() for session in list(server.server.sessions)])
    lost = s.send("STAT")
    assert lost.reply is None and lost.ok is False and lost.problem
    assert lost.lines[0].raw == b"STAT\r\n" and lost.lines[-1].raw == b""
    assert f"no reply: {lost.problem}" in repr(lost) and "no reply:" in lost._repr_html_()
    again = s.send("NOOP")  # no exception into the notebook: the reason, in the learner's language
    assert again.reply is None and again.ok is False and "the connection is closed" in again.problem


def _said(lab: Lab) -> str:
    """What a learner reads after sending the ``...`` placeholder: a LabError's text or the exchange's reason."""
    try:
        return lab.session().send(...).problem
    except LabError as problem:
        return str(problem)


def test_placeholders_and_unknown_accounts_give_learner_messages(lab: Lab, lab_de: Lab) -> None:
    assert _said(lab) == "Replace the ... with your answer first."
    assert _said(lab_de) == "Ersetze zuerst die ... durch deine Antwort."
    with pytest.raises(LabError, match=r"^There is no account 'nobody@example\.com' on this server\.$"):
        lab.session("nobody@example.com")
    with pytest.raises(LabError, match=r"^Login as carol@example.com failed: -ERR "):
        lab.session("carol@example.com")


# ---- contrast (issue 12, defect 10) ---------------------------------------------------------------------------

JUPYTERLAB_THEMES: dict[str, dict[str, str]] = {
    "light": {
        "--jp-layout-color0": "white",
        "--jp-content-font-color0": "#000",
        "--jp-content-font-color1": "rgba(0,0,0,.87)",
        "--jp-content-font-color2": "rgba(0,0,0,.54)",
        "--jp-border-color2": "#e0e0e0",
        "--jp-brand-color1": "#1976d2",
        "--jp-error-color1": "#d32f2f",
        "--jp-warn-color0": "#e65100",
        "--jp-success-color1": "#388e3c",
    },
    "dark": {
        "--jp-layout-color0": "#111",
        "--jp-content-font-color0": "#fff",
        "--jp-content-font-color1": "#fff",
        "--jp-content-font-color2": "rgba(255,255,255,.7)",
        "--jp-border-color2": "#424242",
        "--jp-brand-color1": "#2196f3",
        "--jp-error-color1": "#f44336",
        "--jp-warn-color0": "#f57c00",
        "--jp-success-color1": "#4caf50",
    },
    "no theme (fallbacks)": {},
}
"""JupyterLab 4's light and dark theme values of the variables poplab uses (checked against the installed
JupyterLab below), and no variables at all: outside JupyterLab the fallbacks apply."""

RGBA = tuple[float, float, float, float]
NAMED = {"white": "#ffffff", "black": "#000000"}


def _arguments(inner: str) -> list[str]:
    """Split a CSS function's arguments at the commas that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for char in inner:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def colour(value: str, theme: dict[str, str] | None = None) -> RGBA:
    """A CSS colour (hex, rgb(), rgba(), Chromium's color(srgb …), var() and color-mix(in srgb, …)) as 0–255 RGBA."""
    value = NAMED.get(value.strip(), value.strip())
    if value.startswith("#"):
        digits = value[1:] if len(value) > 4 else "".join(c * 2 for c in value[1:])
        return (*(float(int(digits[i : i + 2], 16)) for i in (0, 2, 4)), 1.0)  # type: ignore[return-value]
    name, _, inner = value.partition("(")
    args = _arguments(inner.removesuffix(")"))
    if name == "var":
        known = (theme or {}).get(args[0])
        return colour(known if known is not None else args[1], theme)
    if name == "color-mix":
        assert args[0] == "in srgb"
        first, share = args[1].rsplit(" ", 1)
        p = float(share.removesuffix("%")) / 100
        a, b = colour(first, theme), colour(args[2], theme)
        assert a[3] == b[3] == 1.0, "mixing translucent colours is not what the renderings do"
        return (*(p * x + (1 - p) * y for x, y in zip(a[:3], b[:3], strict=True)), 1.0)  # type: ignore[return-value]
    if name in ("rgb", "rgba"):
        numbers = [float(n) for n in re.split(r"[\s,/]+", inner.removesuffix(")").strip())]
        return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0)
    if name == "color":
        words = inner.removesuffix(")").replace("/", " ").split()
        assert words[0] == "srgb"
        r_, g, b_ = (float(n) * 255 for n in words[1:4])
        return (r_, g, b_, float(words[4]) if len(words) > 4 else 1.0)
    raise AssertionError(f"no colour: {value!r}")


def over(front: RGBA, back: RGBA) -> RGBA:
    """``front`` painted on an opaque ``back``."""
    a = front[3]
    return (*(a * f + (1 - a) * b for f, b in zip(front[:3], back[:3], strict=True)), 1.0)  # type: ignore[return-value]


def contrast(front: RGBA, back: RGBA) -> float:
    """WCAG 2 contrast ratio of text ``front`` on an opaque background ``back``."""

    def luminance(c: RGBA) -> float:
        lin = [(v / 255) / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c[:3]]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light, dark = sorted((luminance(over(front, back)), luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


TEXT_COLOURS = {
    "text": r.TEXT,
    "muted": r.MUTED,
    "client": r.CLIENT,
    "error": r.ERROR,
    "warning": r.WARNING,
    "ok": r.OK,
}


def measured() -> dict[str, dict[str, float]]:
    """theme → colour name → contrast on the frames' background."""
    out = {}
    for theme_name, theme in JUPYTERLAB_THEMES.items():
        back = colour(r.BACKGROUND, theme)
        out[theme_name] = {name: contrast(colour(value, theme), back) for name, value in TEXT_COLOURS.items()}
    return out


@pytest.mark.parametrize("theme", list(JUPYTERLAB_THEMES))
def test_every_text_colour_reaches_4_5_to_1_in_both_themes(theme: str) -> None:
    ratios = measured()[theme]
    print(theme, {name: round(ratio, 2) for name, ratio in ratios.items()})
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios


def test_state_badges_reach_4_5_to_1_whatever_the_theme() -> None:
    for background in [*r.STATE_COLOURS.values(), r.OTHER_BADGE]:
        assert contrast(colour(r.BADGE_TEXT), colour(background)) >= 4.5, background


def test_the_old_colours_failed_where_the_issue_measured_them() -> None:
    """The measurements of issue 12 (client lines 1.32:1, -ERR about 1.5:1: on the dark theme's grey behind
    ``<code>``) come out of this arithmetic, so it measures what a browser shows."""
    grey = colour("#424242")
    assert round(contrast(colour("#0550ae"), grey), 2) == 1.32
    assert round(contrast(colour("#b42318"), grey), 1) == 1.5


def test_renderings_paint_their_own_background_and_no_grey_behind_code(lab: Lab) -> None:
    stat = lab.session("wiki@example.com").send("STAT")
    html = stat._repr_html_()
    assert f"background:{r.BACKGROUND}" in html.split(">", 1)[0]
    assert html.count("<code ") == html.count("background:transparent;padding:0;font-weight")
    assert all("background:transparent" in row for row in re.findall(r"<tr [^>]*>", html))
    for value in TEXT_COLOURS.values():
        assert value.startswith(("var(--jp-", "color-mix(in srgb, var(--jp-"))


def _installed_theme(name: str) -> dict[str, str]:
    jupyterlab = pytest.importorskip("jupyterlab")
    folders = Path(jupyterlab.__file__).parent / "themes" / "@jupyterlab"
    css = (folders / f"theme-{name}-extension" / "index.css").read_text(encoding="utf-8")
    return {m[1]: m[2].strip() for m in re.finditer(r"(--[\w-]+)\s*:\s*([^;}]+)", css)}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_theme_values_are_jupyterlabs(theme: str) -> None:
    installed = _installed_theme(theme)
    for variable, value in JUPYTERLAB_THEMES[theme].items():
        assert colour(installed[variable]) == colour(value), variable


def test_line_ends_are_words_every_font_has() -> None:
    assert ">CR LF</span>" in r.line_end("\r\n") and 'title="13 10"' in r.line_end("\r\n")
    assert ">LF</span>" in r.line_end("\n") and ">CR</span>" in r.line_end("\r") and r.line_end("") == ""
    assert "\u240d" not in r.line_end("\r\n") + r.line_end("\n") and "\u240a" not in r.line_end("\r\n")
