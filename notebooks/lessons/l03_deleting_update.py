"""03 — deleting and the UPDATE state: DELE, RSET, QUIT, a dropped connection."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task, is_text

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
            "You changed your mind. Which single command takes the mark back?",
            "Du hast es dir anders überlegt. Welcher einzelne Befehl nimmt die Markierung zurück?",
            Code("command = <<A>>  # ✎"),
            {"A": '"RSET"'},
        ),
        Check(
            (
                is_text("command"),
                Code("undo = s.send(command)\ndisplay(undo)"),
                (
                    'undo.ok and lab.mailbox("alice@example.com").marked == []',
                    "Not yet: the server still has a mark. The command has four letters and starts with R.",
                    "Noch nicht: Der Server hat noch eine Markierung. Der Befehl hat vier Buchstaben und beginnt "
                    "mit R.",
                ),
            ),
        ),
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
            "after logging in, in order, as a list of texts.",
            "Lösche Nachricht 3 (*Lines that begin with a dot*) **endgültig**. Schreibe die Befehle, die du "
            "nach der Anmeldung senden würdest, der Reihe nach als Liste von Texten.",
            Code('commands = <<A>>  # ✎ e.g. ["NOOP", "NOOP"]', 'commands = <<A>>  # ✎ z. B. ["NOOP", "NOOP"]'),
            {"A": '["DELE 3", "QUIT"]'},
        ),
        Check(
            (
                (
                    "isinstance(commands, list) and all(isinstance(c, str) for c in commands)",
                    'Write a list of texts, e.g. ["NOOP", "NOOP"].',
                    'Schreibe eine Liste von Texten, z. B. ["NOOP", "NOOP"].',
                ),
                Code(
                    'before = {row.subject: row.uid for row in lab.mailbox("alice@example.com").rows}\n'
                    'attempt = lab.session("alice@example.com")\n'
                    "for line in commands:\n"
                    "    display(attempt.send(line))\n"
                    "attempt.drop()\n"
                    'after = {row.uid for row in lab.mailbox("alice@example.com").rows}'
                ),
                (
                    'before["Lines that begin with a dot"] not in after',
                    "Not yet: the message is still on the server. Did the session end with the command that "
                    "enters UPDATE?",
                    "Noch nicht: Die Nachricht ist noch auf dem Server. Endete die Sitzung mit dem Befehl, der in "
                    "den Zustand UPDATE führt?",
                ),
                ("len(after) == len(before) - 1", "Only message 3 should be gone.", "Nur Nachricht 3 sollte fehlen."),
            ),
        ),
        Md(
            "In a new session the numbers start again at 1: the message that was number 4 is now number 3. "
            "Its UIDL id has not changed — that is what UIDL is for.",
            "In einer neuen Sitzung beginnen die Nummern wieder bei 1: Die Nachricht, die Nummer 4 war, ist "
            "jetzt Nummer 3. Ihre UIDL-Kennung ist gleich geblieben — dafür gibt es UIDL.",
        ),
        Code('again = lab.session("alice@example.com")\nagain.send("UIDL")'),
        Code("again.quit()\nlab.stop()"),
    ),
)
