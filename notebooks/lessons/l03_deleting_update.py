"""03 — deleting and the UPDATE state: DELE, RSET, QUIT, a dropped connection."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

CONSOLE_RIGHT = 'for line in ["DELE 2", "DELE 5", "RSET", "DELE 6", "QUIT"]:\n    console.submit(line)\n'
CONSOLE_WRONG = 'for line in ["DELE 2", "DELE 5", "DELE 6", "QUIT"]:\n    console.submit(line)\n'

LESSON = Lesson(
    "03",
    "deleting-and-update",
    (
        Md(
            "# 03 · Deleting and the UPDATE state\n\n"
            "`DELE` does not delete anything at once: it **marks** a message. Only `QUIT` moves the session "
            "into the UPDATE state, and only then does the server remove what is marked. `RSET` takes all "
            "marks back — and so does a connection that ends without `QUIT`.",
            "# 03 · Löschen und der Zustand UPDATE\n\n"
            "`DELE` löscht nicht sofort: Es **markiert** eine Nachricht. Erst `QUIT` bringt die Sitzung in "
            "den Zustand UPDATE, und erst dann entfernt der Server, was markiert ist. `RSET` nimmt alle "
            "Markierungen zurück — und eine Verbindung, die ohne `QUIT` endet, ebenso.",
        ),
        Code('from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)\ns = lab.session("alice@example.com")'),
        Code('s.send("DELE 1")'),
        Code('lab.mailbox("alice@example.com")'),
        Md(
            "Message 1 is marked, but still stored. For the rest of this session it is gone: `STAT` and "
            "`LIST` leave it out, and `RETR 1` is refused. The other numbers **do not shift**: message 2 "
            "stays message 2.",
            "Nachricht 1 ist markiert, aber noch gespeichert. Für den Rest dieser Sitzung ist sie weg: `STAT` "
            "und `LIST` lassen sie aus, und `RETR 1` wird abgelehnt. Die anderen Nummern **verschieben sich "
            "nicht**: Nachricht 2 bleibt Nachricht 2.",
        ),
        Code('s.send("STAT")'),
        Code('s.send("LIST")'),
        Code('s.send("RETR 1")'),
        Task(
            "You changed your mind. Which single command takes the mark back? The check tries it on its own copy "
            "of Alice's mailbox.",
            "Du hast es dir anders überlegt. Welcher einzelne Befehl nimmt die Markierung zurück? Die Prüfung "
            "probiert ihn an einer eigenen Kopie von Alices Postfach aus.",
            Code("command = <<A>>  # ✎"),
            {"A": '"RSET"'},
            wrong={"A": '"NOOP"'},
        ),
        Check("03-1"),
        Md(
            "Now take the mark back in your own session:", "Nimm jetzt die Markierung in deiner eigenen Sitzung zurück:"
        ),
        Code('s.send(command)\nlab.mailbox("alice@example.com")'),
        Md(
            "**The dropped connection.** Mark message 2, then cut the connection without `QUIT` — as a "
            "crashing mail client or a lost Wi-Fi would. The server never enters UPDATE: nothing is deleted.",
            "**Die abgebrochene Verbindung.** Markiere Nachricht 2 und trenne dann die Verbindung ohne "
            "`QUIT` — so wie ein abstürzender Mail-Client oder ein verlorenes WLAN. Der Server erreicht nie "
            "den Zustand UPDATE: Nichts wird gelöscht.",
        ),
        Code('s.send("DELE 2")\ns.drop()\nlab.mailbox("alice@example.com")'),
        Md(
            "The transcript ends with a warning: the deletion was lost.",
            "Der Mitschnitt endet mit einer Warnung: Die Löschmarkierung verfällt.",
        ),
        Code("s.transcript"),
        Task(
            "Delete message 3 (*Lines that begin with a dot*) **for good**. Write the commands you would send "
            "after logging in, in order, as a list of texts. The check sends them in a session of its own, on "
            "its own copy of Alice's mailbox.",
            "Lösche Nachricht 3 (*Lines that begin with a dot*) **endgültig**. Schreibe die Befehle, die du "
            "nach der Anmeldung senden würdest, der Reihe nach als Liste von Texten. Die Prüfung sendet sie in "
            "einer eigenen Sitzung, auf einer eigenen Kopie von Alices Postfach.",
            Code('commands = <<A>>  # ✎ e.g. ["NOOP", "NOOP"]', 'commands = <<A>>  # ✎ z. B. ["NOOP", "NOOP"]'),
            {"A": '["DELE 3", "QUIT"]'},
            wrong={"A": '["DELE 3"]'},
        ),
        Check("03-2"),
        Md(
            "Once the check passed, message 3 is gone from the check's copy. In a new session on that copy the "
            "numbers start again at 1: the message that was number 4 is now number 3. Its UIDL id has not "
            "changed — that is what UIDL is for.",
            "Sobald die Prüfung bestanden ist, fehlt Nachricht 3 in der Kopie der Prüfung. In einer neuen Sitzung "
            "auf dieser Kopie beginnen die Nummern wieder bei 1: Die Nachricht, die Nummer 4 war, ist jetzt "
            "Nummer 3. Ihre UIDL-Kennung ist gleich geblieben — dafür gibt es UIDL.",
        ),
        Code('again = lab.sandbox("03-2").session("alice@example.com")\nagain.send("UIDL")'),
        Code("again.quit()"),
        Task(
            "Now at the keyboard: in the console (Alice, on its own copy), mark messages 2 and 5 for deletion, "
            'take both marks back with one command, then delete message 6 **for good**. `lab.sandbox("03-3")'
            '.mailbox("alice@example.com")` shows the copy as the server sees it.',
            "Jetzt an der Tastatur: Markiere in der Konsole (Alice, auf einer eigenen Kopie) die Nachrichten 2 und "
            "5 zum Löschen, nimm beide Markierungen mit einem Befehl zurück und lösche dann Nachricht 6 "
            '**endgültig**. `lab.sandbox("03-3").mailbox("alice@example.com")` zeigt die Kopie so, wie der '
            "Server sie sieht.",
            Code('console = lab.console("alice@example.com", task="03-3")\n<<A>>console'),
            {"A": CONSOLE_RIGHT},
            {"A": Code("")},
            wrong={"A": CONSOLE_WRONG},
        ),
        Check("03-3"),
        Code(
            "# lab.stop()  # when you are done: stops the lab (the consoles above too); closing the notebook does as well",
            "# lab.stop()  # wenn du fertig bist: hält das Lab an (auch die Konsolen oben); das Schließen des Notebooks auch",
        ),
    ),
)
