"""04 — under the hood: bytes, CRLF, octet counts, byte-stuffing, a minimal client on a raw socket."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

READ_MULTILINE = """def read_multiline(wire):
    \"\"\"Read a multi-line reply's body up to the line with a single dot; undo the byte-stuffing.\"\"\"
<<BODY>>"""

SOLUTION = """    lines = []
    while True:
        line = wire.readline()
        if line == b".\\r\\n":
            return b"".join(lines)
        if line.startswith(b".."):
            line = line[1:]
        lines.append(line)"""

WRONG = SOLUTION.replace('b".\\r\\n"', 'b"."')

LESSON = Lesson(
    "04",
    "under-the-hood",
    (
        Md(
            "# 04 · Under the hood\n\n"
            "POP3 is plain text over TCP. Every line ends with the two bytes CR LF (13 and 10). A multi-line "
            "reply ends with a line that holds a single dot — so what if the message itself has such a line? "
            "Here you look at the bytes and then write a tiny client on a raw socket.",
            "# 04 · Unter der Haube\n\n"
            "POP3 ist einfacher Text über TCP. Jede Zeile endet mit den zwei Bytes CR LF (13 und 10). Eine "
            "mehrzeilige Antwort endet mit einer Zeile, in der nur ein Punkt steht — und wenn die Nachricht "
            "selbst so eine Zeile hat? Hier siehst du dir die Bytes an und schreibst dann einen winzigen "
            "Client auf einem rohen Socket.",
        ),
        Code('from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)\ns = lab.session("wiki@example.com")'),
        Code('message = s.send("RETR 1")\nmessage.raw'),
        Md(
            "`LIST` said 236 octets: the message with every line end counted as CR LF (RFC 1939 §11), without "
            "the status line and without the final dot. Here that is exactly what travels — but a message with "
            "lines that begin with a dot travels with one stuffing dot more per such line, and LIST does not "
            "count those (see byte-stuffing below).",
            "`LIST` sagte 236 Oktette: die Nachricht, jedes Zeilenende als CR LF gezählt (RFC 1939 §11), ohne "
            "Statuszeile und ohne den Punkt am Ende. Hier ist das genau das, was übertragen wird — aber eine "
            "Nachricht mit Zeilen, die mit einem Punkt beginnen, reist mit einem Stuffing-Punkt mehr je solcher "
            "Zeile, und die zählt LIST nicht mit (siehe Byte-Stuffing unten).",
        ),
        Code("len(message.body), message.body[:60]"),
        Task(
            "How many octets does the line `Subject: Test-E-Mail` take on the wire, its line end included? "
            "Count, do not compute.",
            "Wie viele Oktette braucht die Zeile `Subject: Test-E-Mail` auf der Leitung, mit Zeilenende? "
            "Zähle, statt zu rechnen.",
            Code("octets = <<A>>  # ✎ a number", "octets = <<A>>  # ✎ eine Zahl"),
            {"A": "22"},
            wrong={"A": "20"},
        ),
        Check("04-1"),
        Code('s.quit()\nalice = lab.session("alice@example.com")\ndots = alice.send("RETR 3")\ndots.raw'),
        Md(
            "**Byte-stuffing** (RFC 1939 §3): the server puts one more dot in front of every line that "
            "begins with a dot (highlighted). The client removes it again, so the message you get back is "
            "unchanged:",
            "**Byte-Stuffing** (RFC 1939 §3): Der Server setzt vor jede Zeile, die mit einem Punkt beginnt, "
            "einen weiteren Punkt (hervorgehoben). Der Client entfernt ihn wieder, die Nachricht kommt also "
            "unverändert an:",
        ),
        Code("print(dots.body_text)"),
        Task(
            "The message has a line that is just one dot. Which bytes does that line become on the wire? "
            'Write them as a bytes literal, e.g. `b"x\\r\\n"`.',
            "Die Nachricht hat eine Zeile, die nur aus einem Punkt besteht. Zu welchen Bytes wird diese Zeile "
            'auf der Leitung? Schreibe sie als Bytes-Literal, z. B. `b"x\\r\\n"`.',
            Code("on_the_wire = <<A>>  # ✎"),
            {"A": 'b"..\\r\\n"'},
            wrong={"A": 'b".\\r\\n"'},
        ),
        Check("04-2"),
        Md(
            "Try it at the keyboard: the console below is logged in as Alice on its own copy of her mailbox. Send "
            "`LIST 3` and `RETR 3`, then run the next cell: `console.session.raw` shows the session's bytes.",
            "Probiere es an der Tastatur: Die Konsole unten ist als Alice auf einer eigenen Kopie ihres Postfachs "
            "angemeldet. Sende `LIST 3` und `RETR 3` und führe dann die nächste Zelle aus: `console.session.raw` "
            "zeigt die Bytes der Sitzung.",
        ),
        Code('console = lab.console("alice@example.com", task="04-explore")\nconsole'),
        Code("console.session.raw"),
        Md(
            "**A client on a raw socket.** No library: open a TCP connection, send lines ending in CR LF, "
            "read lines back.",
            "**Ein Client auf einem rohen Socket.** Ohne Bibliothek: eine TCP-Verbindung öffnen, Zeilen mit "
            "CR LF senden, Zeilen zurücklesen.",
        ),
        Code(
            "import socket\n\n"
            "alice.quit()\n"
            "sock = socket.create_connection((lab.host, lab.port))\n"
            'wire = sock.makefile("rb")\n'
            "print(wire.readline())\n"
            'for line in [b"USER alice@example.com\\r\\n", b"PASS wonderland\\r\\n", b"RETR 3\\r\\n"]:\n'
            "    sock.sendall(line)\n"
            "    print(wire.readline())"
        ),
        Task(
            "Complete `read_multiline`: after the status line of `RETR 3`, read lines until the line `.` CR LF, "
            "remove the stuffed dots, return the message as bytes. The check runs it on a connection of its own "
            "(`wire` is that connection's file), with a timeout of a few seconds.",
            "Vervollständige `read_multiline`: Lies nach der Statuszeile von `RETR 3` Zeilen bis zur Zeile `.` "
            "CR LF, entferne die eingefügten Punkte und gib die Nachricht als Bytes zurück. Die Prüfung führt sie "
            "auf einer eigenen Verbindung aus (`wire` ist deren Datei), mit einer Zeitgrenze von ein paar Sekunden.",
            Code(READ_MULTILINE),
            {"BODY": SOLUTION},
            {
                "BODY": Code(
                    '    # ✎ your code here: wire.readline() reads one line\n    return b""',
                    '    # ✎ dein Code hier: wire.readline() liest eine Zeile\n    return b""',
                )
            },
            wrong={"BODY": WRONG},
        ),
        Check("04-3"),
        Code(
            'sock.sendall(b"QUIT\\r\\n")\nprint(wire.readline())\nsock.close()\n# lab.stop()  # when you are done: stops the lab (the consoles above too); closing the notebook does as well',
            'sock.sendall(b"QUIT\\r\\n")\nprint(wire.readline())\nsock.close()\n# lab.stop()  # wenn du fertig bist: hält das Lab an (auch die Konsolen oben); das Schließen des Notebooks auch',
        ),
    ),
)
