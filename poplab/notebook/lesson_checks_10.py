"""The self-checks of lesson 10 (what an eavesdropper sees, and what the key reveals): the password read from the
plain capture, and the subject of a mail read from the TLS capture with the key log. The answers are compared
with the lab's own demo data; the checks start no session of their own (the captures are the learner's)."""

from __future__ import annotations

from poplab.notebook.lesson_check import Context, task
from poplab.notebook.lesson_checks_01_04 import WIKI
from poplab.notebook.verdict import Both, Outcome

SUBJECT = "Test-E-Mail"
"""The Subject of wiki@example.com's message 1 in the demo mailboxes."""


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip()
    return value.strip() if isinstance(value, str) else None


@task("10-1", "password")
def password_from_the_plain_capture(context: Context) -> Outcome:
    answer = _text(context["password"])
    if answer is None:
        return Outcome(False, Both("Give the password as text.", "Gib das Passwort als Text an."))
    hint = Both(
        "Look at what the client sent in the plain capture: the password follows PASS on its line.",
        "Sieh dir an, was der Client im Klartext-Mitschnitt gesendet hat: Das Passwort folgt auf PASS in seiner Zeile.",
    )
    return Outcome(answer == WIKI[1], hint, notes=(f"password = {answer!r}"[:80],))


@task("10-2", "subject")
def subject_with_the_key_log(context: Context) -> Outcome:
    answer = _text(context["subject"])
    if answer is None:
        return Outcome(False, Both("Give the subject as text.", "Gib den Betreff als Text an."))
    hint = Both(
        "Without the keys the TLS capture holds only encrypted records. Decrypt it with decrypt_with_keys(file, "
        "capture.keylog) and find the line that starts with Subject: in what the server sent.",
        "Ohne die Schlüssel enthält der TLS-Mitschnitt nur verschlüsselte Datensätze. Entschlüssle ihn mit "
        "decrypt_with_keys(datei, capture.keylog) und suche in dem, was der Server gesendet hat, die Zeile, die "
        "mit Subject: beginnt.",
    )
    return Outcome(answer == SUBJECT, hint, notes=(f"subject = {answer!r}"[:80],))
