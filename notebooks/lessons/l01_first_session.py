"""01 — the first session: the article's session, line by line."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

SEED = ["USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "LIST", "RETR 1", "DELE 1", "QUIT"]
CONSOLE_SEED = f"for line in {SEED!r}:\n    console.submit(line)\n"
CONSOLE_WRONG = f"for line in {SEED[:3] + SEED[-1:]!r}:\n    console.submit(line)\n"

LESSON = Lesson(
    "01",
    "first-session",
    (
        Md(
            "# 01 · The first POP3 session\n\n"
            "A mail client fetches mail with POP3 (RFC 1939): it connects to the server, logs in, asks what is "
            "there, downloads and deletes. In this notebook **you** are the mail client: you type the lines a "
            "client would send and see each reply explained.\n\n"
            "Lines the client sends start with `C:`, lines the server sends with `S:`. Run the cells one after "
            "another (Shift+Enter).",
            "# 01 · Die erste POP3-Sitzung\n\n"
            "Ein Mail-Client holt E-Mails mit POP3 (RFC 1939): Er verbindet sich mit dem Server, meldet sich an, "
            "fragt, was da ist, lädt herunter und löscht. In diesem Notebook bist **du** der Mail-Client: Du "
            "tippst die Zeilen, die ein Client senden würde, und siehst jede Antwort erklärt.\n\n"
            "Zeilen des Clients beginnen mit `C:`, Zeilen des Servers mit `S:`. Führe die Zellen nacheinander "
            "aus (Umschalt+Enter).",
        ),
        Code("from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)\nlab"),
        Md(
            "The lab runs its own POP3 server on your computer, with a few demo mailboxes. Now connect. "
            "The **server speaks first**: its greeting starts with `+OK`, and the session is in the "
            "AUTHORIZATION state. A real POP3 server listens on TCP port 110 (plain text) and on port 995 "
            "(implicit TLS); the lab uses the unprivileged ports 1110 and 1995 instead.",
            "Das Lab betreibt einen eigenen POP3-Server auf deinem Rechner, mit ein paar Demo-Postfächern. "
            "Verbinde dich jetzt. Der **Server spricht zuerst**: Seine Begrüßung beginnt mit `+OK`, und die Sitzung "
            "ist im Zustand AUTHORIZATION. Ein echter POP3-Server lauscht auf TCP-Port 110 (Klartext) und auf "
            "Port 995 (implizites TLS); das Lab nimmt stattdessen die nicht privilegierten Ports 1110 und 1995.",
        ),
        Code("s = lab.session()\ns.greeting"),
        Md(
            "Log in with `USER` and `PASS`. Watch the state: after a correct password it changes to "
            "TRANSACTION and the server locks the mailbox (poplab does, as RFC 1939 §4 asks; not every server "
            "does).",
            "Melde dich mit `USER` und `PASS` an. Achte auf den Zustand: Nach dem richtigen Passwort wechselt "
            "er zu TRANSACTION, und der Server sperrt das Postfach (poplab tut das, wie RFC 1939 §4 es verlangt; "
            "nicht jeder Server tut es).",
        ),
        Code('s.send("USER wiki@example.com")'),
        Code('s.send("PASS passwort_im_klartext")'),
        Task(
            "Which command asks how many messages there are and how big they are in total? Write it as text in "
            "quotes instead of `...` and run the cell, then run the check below it: the check sends your command "
            "in a session of its own.",
            "Welcher Befehl fragt, wie viele Nachrichten es gibt und wie groß sie zusammen sind? Schreibe ihn "
            "statt `...` als Text in Anführungszeichen und führe die Zelle aus, dann die Prüfung darunter: Die "
            "Prüfung sendet deinen Befehl in einer eigenen Sitzung.",
            Code('command = <<A>>  # ✎ e.g. "NOOP"', 'command = <<A>>  # ✎ z. B. "NOOP"'),
            {"A": '"STAT"'},
            wrong={"A": '"LIST"'},
        ),
        Check("01-1"),
        Md("Now send it in your own session:", "Sende ihn jetzt in deiner eigenen Sitzung:"),
        Code("s.send(command)"),
        Md(
            "`LIST` gives the size of every message: a **multi-line** reply that ends with a line holding "
            "just a dot. `RETR 1` downloads message 1, headers and body.",
            "`LIST` nennt die Größe jeder Nachricht: eine **mehrzeilige** Antwort, die mit einer Zeile endet, "
            "in der nur ein Punkt steht. `RETR 1` lädt Nachricht 1 herunter, Kopf und Text.",
        ),
        Code('s.send("LIST")'),
        Code('s.send("RETR 1")'),
        Md(
            "`DELE 1` only **marks** the message. The server's view shows the mark; the message is still stored.",
            "`DELE 1` **markiert** die Nachricht nur. Die Sicht des Servers zeigt die Markierung; die "
            "Nachricht ist noch gespeichert.",
        ),
        Code('s.send("DELE 1")'),
        Code('lab.mailbox("wiki@example.com")'),
        Task(
            "Which command ends the session so that the deletion really happens? The check tries it on its own "
            "copy of the mailbox (after a `DELE 1`), so a wrong try deletes nothing.",
            "Welcher Befehl beendet die Sitzung so, dass die Löschung wirklich passiert? Die Prüfung probiert ihn "
            "an einer eigenen Kopie des Postfachs aus (nach einem `DELE 1`), ein falscher Versuch löscht also nichts.",
            Code("command = <<A>>  # ✎"),
            {"A": '"QUIT"'},
            wrong={"A": '"RSET"'},
        ),
        Check("01-2"),
        Md(
            "Now end your own session with it; message 1 is then gone from the server.",
            "Beende jetzt deine eigene Sitzung damit; Nachricht 1 ist danach vom Server verschwunden.",
        ),
        Code('s.send(command)\nlab.mailbox("wiki@example.com")'),
        Md(
            "The whole session as a table — compare it with the session in the article. `s.raw` shows the "
            "bytes themselves (lesson 04).",
            "Die ganze Sitzung als Tabelle — vergleiche sie mit der Sitzung im Artikel. `s.raw` zeigt die "
            "Bytes selbst (Lektion 04).",
        ),
        Code("s.transcript"),
        Md(
            "**Your turn at the keyboard.** The console below is a POP3 client: type a line, press Enter (or the "
            "button), and the annotated exchange appears. It talks to its own copy of the demo mailboxes, so you can "
            "always start again by running the cell again.",
            "**Jetzt tippst du.** Die Konsole unten ist ein POP3-Client: Tippe eine Zeile, drücke Enter (oder den "
            "Knopf), und der erklärte Austausch erscheint. Sie spricht mit einer eigenen Kopie der Demo-Postfächer; "
            "du kannst also immer von vorn beginnen, indem du die Zelle noch einmal ausführst.",
        ),
        Task(
            "Type the article's whole session into the console, one line at a time: `USER wiki@example.com`, "
            "`PASS passwort_im_klartext`, `STAT`, `LIST`, `RETR 1`, `DELE 1`, `QUIT`. The check looks at what the "
            "server saw.",
            "Tippe die ganze Sitzung aus dem Artikel in die Konsole, eine Zeile nach der anderen: "
            "`USER wiki@example.com`, `PASS passwort_im_klartext`, `STAT`, `LIST`, `RETR 1`, `DELE 1`, `QUIT`. "
            "Die Prüfung schaut, was der Server gesehen hat.",
            Code('console = lab.console(task="01-3")\n<<A>>console'),
            {"A": CONSOLE_SEED},
            {"A": Code("")},
            wrong={"A": CONSOLE_WRONG},
        ),
        Check("01-3"),
        Md(
            "`lab.reset()` brings the demo mailboxes back, so you can start again. `lab.stop()` stops the "
            "server when you are done.",
            "`lab.reset()` stellt die Demo-Postfächer wieder her, damit du von vorn beginnen kannst. "
            "`lab.stop()` hält den Server an, wenn du fertig bist.",
        ),
        Code('lab.reset()\nlab.mailbox("wiki@example.com")'),
        Code(
            "# lab.stop()  # when you are done: stops the lab (the consoles above too); closing the notebook does as well",
            "# lab.stop()  # wenn du fertig bist: hält das Lab an (auch die Konsolen oben); das Schließen des Notebooks auch",
        ),
    ),
)
