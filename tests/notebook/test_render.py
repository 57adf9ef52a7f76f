"""The renderings a learner sees: exchanges, transcripts, raw bytes, mailboxes and accounts — escaped HTML with
no external resources, readable plain text, in English and German."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from poplab.client import SessionClosed
from poplab.notebook import Lab, LabError

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
    assert f"Why -ERR? {why.reason} Hint: {why.hint}" in repr(wrong)
    assert "<b>Why -ERR?</b>" in wrong._repr_html_() and "<b>Hint:</b>" in wrong._repr_html_()


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
    assert html.count("<tr>") == 1 + 7 and "POP3 session with 127.0.0.1:" in html
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
    with pytest.raises(SessionClosed, match=r"^the connection is closed; connect again$"):
        s.send("NOOP")


def test_placeholders_and_unknown_accounts_give_learner_messages(lab: Lab, lab_de: Lab) -> None:
    with pytest.raises(LabError, match=r"^Replace the \.\.\. with your answer first\.$"):
        lab.session().send(...)
    with pytest.raises(LabError, match=r"^Ersetze zuerst die \.\.\. durch deine Antwort\.$"):
        lab_de.session().send(...)
    with pytest.raises(LabError, match=r"^There is no account 'nobody@example\.com' on this server\.$"):
        lab.session("nobody@example.com")
    with pytest.raises(LabError, match=r"^Login as carol@example.com failed: -ERR "):
        lab.session("carol@example.com")
