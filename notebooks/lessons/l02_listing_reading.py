"""02 — listing and reading: STAT, LIST, UIDL, TOP, RETR."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

CONSOLE_RIGHT = 'for line in ["UIDL 3", "TOP 4 0"]:\n    console.submit(line)\n'
CONSOLE_WRONG = 'for line in ["UIDL", "TOP 4"]:\n    console.submit(line)\n'

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
            wrong={"A": '"2"'},
        ),
        Check("02-1"),
        Md(
            "`UIDL` gives every message a **unique id** that stays the same in every session. Message numbers "
            "can change from session to session; UIDL ids never do. That is how a client that keeps mail on "
            "the server knows which messages it has already downloaded.",
            "`UIDL` gibt jeder Nachricht eine **eindeutige Kennung**, die in jeder Sitzung gleich bleibt. "
            "Nachrichtennummern können sich von Sitzung zu Sitzung ändern, UIDL-Kennungen nie. So erkennt ein "
            "Client, der die Mails auf dem Server lässt, welche Nachrichten er schon heruntergeladen hat.",
        ),
        Code('s.send("UIDL")'),
        Md(
            "`TOP n k` sends the headers of message *n*, the blank line, and the first *k* lines of its body. "
            "A client uses it to show subjects without downloading whole messages.",
            "`TOP n k` sendet die Kopfzeilen von Nachricht *n*, die Leerzeile und die ersten *k* Zeilen des "
            "Textes. Ein Client zeigt damit Betreffzeilen an, ohne ganze Nachrichten herunterzuladen.",
        ),
        Code('s.send("TOP 2 3")'),
        Task(
            "Now you type. The console below is logged in as Alice (on its own copy of her mailbox). Ask for the "
            "UIDL id of **message 3 alone** (a one-line reply), then fetch **only the headers** of message 4, "
            "nothing of its body. Try `LIST 5` or `TOP 2 1` too, as you like.",
            "Jetzt tippst du. Die Konsole unten ist als Alice angemeldet (auf einer eigenen Kopie ihres Postfachs). "
            "Frage nach der UIDL-Kennung **nur von Nachricht 3** (eine einzeilige Antwort) und hole dann **nur die "
            "Kopfzeilen** von Nachricht 4, nichts vom Text. Probiere gern auch `LIST 5` oder `TOP 2 1`.",
            Code('console = lab.console("alice@example.com", task="02-2")\n<<A>>console'),
            {"A": CONSOLE_RIGHT},
            {"A": Code("")},
            wrong={"A": CONSOLE_WRONG},
        ),
        Check("02-2"),
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
        Code('s.send("RETR seven")', 's.send("RETR sieben")'),
        Code(
            "s.quit()\n# lab.stop()  # when you are done: stops the lab (the consoles above too); closing the notebook does as well",
            "s.quit()\n# lab.stop()  # wenn du fertig bist: hält das Lab an (auch die Konsolen oben); das Schließen des Notebooks auch",
        ),
    ),
)
