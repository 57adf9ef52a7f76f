"""09 — the journey of a mail: SMTP in (typed by hand), the Maildir's new/, POP3 out, the Received: header."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

LESSON = Lesson(
    "09",
    "smtp-journey",
    (
        Md(
            "# 09 · The journey of a mail\n\n"
            "POP3 only **fetches** mail. How does a mail get into a mailbox in the first place? It is sent with "
            "**SMTP** (RFC 5321). The lab runs an SMTP server beside its POP3 server, over the same mailboxes: you "
            "send a mail to bob by hand, watch it land in bob's Maildir, fetch it as bob with POP3 and delete it.",
            "# 09 · Die Reise einer Mail\n\n"
            "POP3 **holt** Mail nur ab. Wie kommt eine Mail überhaupt in ein Postfach? Sie wird mit **SMTP** "
            "(RFC 5321) gesendet. Das Lab betreibt neben seinem POP3-Server einen SMTP-Server über denselben "
            "Postfächern: Du sendest von Hand eine Mail an bob, siehst sie in bobs Maildir ankommen, holst sie als "
            "bob mit POP3 ab und löschst sie.",
        ),
        Code(
            "from poplab.notebook import Lab\n\n"
            'lab = Lab(lang=@LANG@, store="maildir")\n'
            "smtp = lab.smtp_session()\n"
            "smtp.greeting, lab.smtp_port, lab.port"
        ),
        Md(
            "The SMTP server greets with `220`. Every SMTP reply starts with three digits: `2xx` done, `3xx` go on, "
            "`4xx` try again later, `5xx` refused. `EHLO` says who you are and asks for the server's extensions.",
            "Der SMTP-Server grüßt mit `220`. Jede SMTP-Antwort beginnt mit drei Ziffern: `2xx` erledigt, `3xx` "
            "weiter, `4xx` später noch einmal, `5xx` abgelehnt. `EHLO` sagt, wer du bist, und fragt nach den "
            "Erweiterungen des Servers.",
        ),
        Code('smtp.send("EHLO laptop.example")'),
        Md(
            "The **envelope** comes first: `MAIL FROM` names the sender, `RCPT TO` each recipient. The server "
            "delivers by the envelope, not by the `To:` line inside the message.",
            "Zuerst kommt der **Umschlag**: `MAIL FROM` nennt den Absender, `RCPT TO` jeden Empfänger. Der Server "
            "stellt nach dem Umschlag zu, nicht nach der Zeile `To:` in der Nachricht.",
        ),
        Code('smtp.send("MAIL FROM:<alice@example.com>")'),
        Task(
            "Write the line that names bob (`bob@example.com`) as the recipient. The check sends it in a whole SMTP "
            "session of its own, on its own copy of the mailboxes, and looks whether the mail reached bob.",
            "Schreibe die Zeile, die bob (`bob@example.com`) als Empfänger nennt. Die Prüfung sendet sie in einer "
            "ganzen eigenen SMTP-Sitzung, auf einer eigenen Kopie der Postfächer, und sieht nach, ob die Mail bob "
            "erreicht hat.",
            Code("rcpt = <<A>>  # ✎"),
            {"A": '"RCPT TO:<bob@example.com>"'},
            wrong={"A": '"RCPT TO:<bob@example.org>"'},
        ),
        Check("09-1"),
        Md(
            "Now in your own session: the recipient, then `DATA`. The server answers `354`: from now on every line "
            "is the message, until a line with only a dot.",
            "Jetzt in deiner eigenen Sitzung: der Empfänger, dann `DATA`. Der Server antwortet `354`: Ab jetzt ist "
            "jede Zeile die Nachricht, bis zu einer Zeile nur mit einem Punkt.",
        ),
        Code('smtp.send(rcpt)\nsmtp.send("DATA")'),
        Code(
            'for line in ["From: alice@example.com", "To: bob@example.com", "Subject: The journey of a mail", "",\n'
            '             "Hello Bob, this mail came by SMTP.", "."]:\n'
            "    reply = smtp.send(line)\n"
            "reply",
            'for line in ["From: alice@example.com", "To: bob@example.com", "Subject: Die Reise einer Mail", "",\n'
            '             "Hallo Bob, diese Mail kam per SMTP.", "."]:\n'
            "    reply = smtp.send(line)\n"
            "reply",
        ),
        Code("smtp.quit()"),
        Md(
            "`250` after the dot: the server has taken the message. It wrote it into bob's Maildir — first into "
            "`tmp/`, then moved it to `new/` in one step, so no reader ever sees half a mail. `new/` holds mail no "
            "client has seen yet:",
            "`250` nach dem Punkt: Der Server hat die Nachricht übernommen. Er hat sie in bobs Maildir geschrieben "
            "– erst nach `tmp/`, dann in einem Schritt nach `new/` verschoben, damit kein Leser je eine halbe Mail "
            "sieht. `new/` enthält Mail, die noch kein Client gesehen hat:",
        ),
        Code('sorted(path.name for path in (lab.maildir("bob@example.com") / "new").iterdir())'),
        Md(
            "Now be bob: log in with POP3 and fetch the mail. A POP3 session sees the mailbox as it was at its "
            "login, so log in **after** the mail has arrived.",
            "Jetzt bist du bob: Melde dich mit POP3 an und hole die Mail ab. Eine POP3-Sitzung sieht das Postfach "
            "so, wie es bei ihrer Anmeldung war – melde dich also **nach** der Ankunft der Mail an.",
        ),
        Code('pop = lab.session("bob@example.com")\npop.send("LIST")'),
        Code('pop.send("RETR 1")'),
        Md(
            "The first line was not written by you: the SMTP server put a `Received:` header on top (RFC 5321 "
            "§4.4). It says from where (`from laptop.example ([127.0.0.1])`), by which server, **with** which "
            "protocol (RFC 3848's transmission type), an id and when. Every server a mail passes adds one, so a mail's headers tell its journey "
            "from the bottom up.",
            "Die erste Zeile hast nicht du geschrieben: Der SMTP-Server hat oben eine Kopfzeile `Received:` "
            "eingefügt (RFC 5321 §4.4). Sie sagt, woher (`from laptop.example ([127.0.0.1])`), über welchen Server, "
            "**mit** welcher Übertragungsart (RFC 3848), eine Kennung und wann. Jeder Server, den eine Mail passiert, fügt eine "
            "hinzu: Die Kopfzeilen einer Mail erzählen ihre Reise von unten nach oben.",
        ),
        Task(
            "Which protocol does the `Received:` line name after `with`? The check sends a mail the same way on "
            "its own copy and compares your word with the header the server wrote there.",
            "Welche Übertragungsart nennt die Zeile `Received:` nach `with`? Die Prüfung sendet auf einer eigenen Kopie "
            "eine Mail auf dieselbe Weise und vergleicht dein Wort mit der Kopfzeile, die der Server dort "
            "geschrieben hat.",
            Code("protocol = <<A>>  # ✎"),
            {"A": '"ESMTP"'},
            wrong={"A": '"SMTP"'},
        ),
        Check("09-2"),
        Task(
            "The last leg of the journey: bob fetches the mail and deletes it **for good**. Write the POP3 commands "
            "you would send after logging in as bob, in order, as a list of texts. The check first delivers a mail "
            "to bob by SMTP on its own copy, then sends your commands.",
            "Die letzte Etappe der Reise: bob holt die Mail ab und löscht sie **endgültig**. Schreibe die "
            "POP3-Befehle, die du nach der Anmeldung als bob senden würdest, der Reihe nach als Liste von Texten. "
            "Die Prüfung stellt auf einer eigenen Kopie zuerst per SMTP eine Mail an bob zu und sendet dann deine "
            "Befehle.",
            Code('commands = <<A>>  # ✎ e.g. ["NOOP", "NOOP"]', 'commands = <<A>>  # ✎ z. B. ["NOOP", "NOOP"]'),
            {"A": '["RETR 1", "DELE 1", "QUIT"]'},
            wrong={"A": '["RETR 1", "DELE 1"]'},
        ),
        Check("09-3"),
        Md(
            "And in your own session: delete the mail, end with `QUIT`, and look into bob's Maildir again.",
            "Und in deiner eigenen Sitzung: Lösche die Mail, beende mit `QUIT` und sieh wieder in bobs Maildir.",
        ),
        Code('pop.send("DELE 1")\npop.send("QUIT")'),
        Code('sorted(path.name for path in (lab.maildir("bob@example.com") / "new").iterdir())'),
        Md(
            "The journey is over: in by SMTP, a file in `new/`, out by POP3, gone with `DELE` and `QUIT`.",
            "Die Reise ist zu Ende: per SMTP hinein, eine Datei in `new/`, per POP3 hinaus, weg mit `DELE` und `QUIT`.",
        ),
        Code("lab.stop()"),
    ),
)
