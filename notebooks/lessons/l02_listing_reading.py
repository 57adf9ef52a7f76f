"""02 — listing and reading: STAT, LIST, UIDL, TOP, RETR."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task, is_text

LESSON = Lesson(
    "02",
    "listing-and-reading",
    (
        Md(
            "# 02 · Listing and reading\n\n"
            "Alice has six messages. A good client does not download everything blindly: it first asks what "
            "is there (`STAT`, `LIST`), recognises messages it already has (`UIDL`), can look at headers only "
            "(`TOP`) and then downloads what it needs (`RETR`).",
            "# 02 · Auflisten und Lesen\n\n"
            "Alice hat sechs Nachrichten. Ein guter Client lädt nicht blind alles herunter: Er fragt zuerst, "
            "was da ist (`STAT`, `LIST`), erkennt Nachrichten, die er schon hat (`UIDL`), kann nur die "
            "Kopfzeilen ansehen (`TOP`) und lädt dann, was er braucht (`RETR`).",
        ),
        Code("from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)"),
        Md(
            "`lab.session(account)` connects and logs in with `USER` and `PASS` for you.",
            "`lab.session(konto)` verbindet sich und meldet dich mit `USER` und `PASS` an.",
        ),
        Code('s = lab.session("alice@example.com")\ns.send("STAT")'),
        Md(
            "Sizes are counted in **octets** (bytes) as the message travels over the network, every line end "
            "counted as two bytes (CR LF). `LIST` lists every message; `LIST 2` answers for one message in a "
            "single line — no dot at the end.",
            "Größen werden in **Oktetten** (Bytes) gezählt, so wie die Nachricht über das Netz geht, jedes "
            "Zeilenende als zwei Bytes (CR LF). `LIST` listet jede Nachricht auf; `LIST 2` antwortet für eine "
            "Nachricht in einer einzigen Zeile — ohne Punkt am Ende.",
        ),
        Code('s.send("LIST")'),
        Code('s.send("LIST 2")'),
        Task(
            "Which message is the largest? Put its number (a number, not text) instead of `...`.",
            "Welche Nachricht ist die größte? Setze ihre Nummer (eine Zahl, kein Text) statt `...` ein.",
            Code("largest = <<A>>  # ✎"),
            {"A": "2"},
        ),
        Check(
            (
                Code('sizes = {row.number: row.octets for row in lab.mailbox("alice@example.com").rows}'),
                (
                    "largest == max(sizes, key=sizes.get)",
                    "Not yet: look at the second column of LIST, the size in octets.",
                    "Noch nicht: Schau auf die zweite Spalte von LIST, die Größe in Oktetten.",
                ),
            ),
        ),
        Md(
            "`UIDL` gives every message a **unique id** that stays the same in every session. Message numbers "
            "can change from session to session; UIDL ids never do. That is how a client that keeps mail on "
            "the server knows which messages it has already downloaded.",
            "`UIDL` gibt jeder Nachricht eine **eindeutige Kennung**, die in jeder Sitzung gleich bleibt. "
            "Nachrichtennummern können sich von Sitzung zu Sitzung ändern, UIDL-Kennungen nie. So erkennt ein "
            "Client, der die Mails auf dem Server lässt, welche Nachrichten er schon heruntergeladen hat.",
        ),
        Code('s.send("UIDL")'),
        Task(
            "Copy the UIDL id of message 3 (as text in quotes).",
            "Kopiere die UIDL-Kennung von Nachricht 3 (als Text in Anführungszeichen).",
            Code("uid = <<A>>  # ✎"),
            {"A": 's.send("UIDL 3").text.split()[1]'},
        ),
        Check(
            (
                is_text("uid", '"1234.abcd"'),
                (
                    'uid == lab.mailbox("alice@example.com").rows[2].uid',
                    "Not yet: in the UIDL list, take the word after the number 3.",
                    "Noch nicht: Nimm in der UIDL-Liste das Wort nach der Nummer 3.",
                ),
            ),
        ),
        Md(
            "`TOP n k` sends the headers of message *n*, the blank line, and the first *k* lines of its body. "
            "A client uses it to show subjects without downloading whole messages.",
            "`TOP n k` sendet die Kopfzeilen von Nachricht *n*, die Leerzeile und die ersten *k* Zeilen des "
            "Textes. Ein Client zeigt damit Betreffzeilen an, ohne ganze Nachrichten herunterzuladen.",
        ),
        Code('s.send("TOP 2 3")'),
        Task(
            "Send the command that fetches **only the headers** of message 4, nothing of its body.",
            "Sende den Befehl, der **nur die Kopfzeilen** von Nachricht 4 holt, nichts vom Text.",
            Code("command = <<A>>  # ✎"),
            {"A": '"TOP 4 0"'},
        ),
        Check(
            (
                is_text("command"),
                Code("headers = s.send(command)\ndisplay(headers)"),
                (
                    "headers.ok and headers.reply.command.verb == 'TOP'",
                    "Not yet: use TOP with the message number and the number of body lines.",
                    "Noch nicht: Verwende TOP mit der Nachrichtennummer und der Zahl der Textzeilen.",
                ),
                (
                    "headers.body.endswith(b'\\r\\n\\r\\n') and b'Liebe Alice' not in headers.body",
                    "Almost: ask for 0 lines of the body.",
                    "Fast: Frage nach 0 Zeilen des Textes.",
                ),
            ),
        ),
        Md(
            "Now download message 4. It is written in UTF-8: every ä, ö, ü and ß takes two octets, so the "
            "size counts bytes, not characters. The subject is encoded (RFC 2047); the server's view decodes "
            "it for you.",
            "Lade jetzt Nachricht 4 herunter. Sie ist in UTF-8 geschrieben: Jedes ä, ö, ü und ß braucht zwei "
            "Oktette, die Größe zählt also Bytes, nicht Zeichen. Der Betreff ist kodiert (RFC 2047); die Sicht "
            "des Servers dekodiert ihn für dich.",
        ),
        Code('message = s.send("RETR 4")\nmessage'),
        Code('print(message.body_text)\nlab.mailbox("alice@example.com")'),
        Md(
            "Mistakes are answered with `-ERR` and the session goes on. Read why:",
            "Fehler beantwortet der Server mit `-ERR`, und die Sitzung geht weiter. Lies, warum:",
        ),
        Code('s.send("RETR 0")'),
        Code('s.send("RETR seven")'),
        Code("s.quit()\nlab.stop()"),
    ),
)
