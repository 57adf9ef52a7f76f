"""08 — write your own client: with poplib and with sockets, checked against the server."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

DOWNLOAD = '''import poplib


def download_all(host, port, user, password):
    """Every message as bytes with CR LF line ends, keyed by its UIDL id; nothing is deleted."""
<<BODY>>'''

DOWNLOAD_SOLUTION = """    client = poplib.POP3(host, port)
    client.user(user)
    client.pass_(password)
    messages = {}
    for entry in client.uidl()[1]:
        number, uid = entry.decode().split()
        response, lines, octets = client.retr(int(number))
        messages[uid] = b"\\r\\n".join(lines) + b"\\r\\n"
    client.quit()
    return messages"""

COMMAND = '''def command(sock, wire, line):
    """Send one command line and return the status line of the reply, as text without its line end."""
<<BODY>>'''

COMMAND_SOLUTION = """    sock.sendall(line.encode() + b"\\r\\n")
    return wire.readline().decode().rstrip("\\r\\n")"""


def _blank(value: str) -> Code:
    return Code(
        f"    # ✎ your code here\n    return {value}",
        f"    # ✎ dein Code hier\n    return {value}",
    )


LESSON = Lesson(
    "08",
    "your-own-client",
    (
        Md(
            "# 08 · Write your own client\n\n"
            "Python's standard library has a POP3 client: `poplib`. First you use it, then you write the core "
            "of a client yourself on a socket. The checks compare your results with what the server holds.",
            "# 08 · Schreib deinen eigenen Client\n\n"
            "Pythons Standardbibliothek hat einen POP3-Client: `poplib`. Zuerst benutzt du ihn, dann schreibst "
            "du den Kern eines Clients selbst auf einem Socket. Die Prüfungen vergleichen deine Ergebnisse mit "
            "dem, was der Server hat.",
        ),
        Code("from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)\nlab"),
        Md(
            "Each `poplib` method sends one command. `retr` returns the message as a list of lines, line ends "
            "and stuffed dots already removed.",
            "Jede `poplib`-Methode sendet einen Befehl. `retr` liefert die Nachricht als Liste von Zeilen, "
            "Zeilenenden und eingefügte Punkte schon entfernt.",
        ),
        Code(
            "import poplib\n\n"
            "client = poplib.POP3(lab.host, lab.port, timeout=5)\n"
            "print(client.getwelcome())\n"
            'print(client.user("alice@example.com"))\n'
            'print(client.pass_("wonderland"))\n'
            "print(client.stat())\n"
            "print(client.list())\n"
            "response, lines, octets = client.retr(1)\n"
            "print(response, octets)\n"
            'print("\\n".join(line.decode() for line in lines[:8]))'
        ),
        Code('lab.mailbox("alice@example.com")'),
        Code("print(client.quit())"),
        Task(
            "Complete `download_all`: log in, fetch every message with `uidl()` and `retr()`, and return "
            'them as `{uid: bytes}`, each message joined with `b"\\r\\n"` and ending in CR LF. Do not '
            "delete anything.",
            "Vervollständige `download_all`: Anmelden, jede Nachricht mit `uidl()` und `retr()` holen und "
            'als `{uid: bytes}` zurückgeben, jede Nachricht mit `b"\\r\\n"` verbunden und mit CR LF am Ende. '
            "Lösche nichts.",
            Code(DOWNLOAD),
            {"BODY": DOWNLOAD_SOLUTION},
            {"BODY": _blank("{}")},
            wrong={"BODY": DOWNLOAD_SOLUTION.replace('b"\\r\\n".join(lines) + b"\\r\\n"', 'b"\\n".join(lines)')},
        ),
        Check("08-1"),
        Md(
            "**TLS with poplib.** `POP3_SSL` connects to the implicit-TLS port; the lab's certificate is in "
            "`lab.cafile`.",
            "**TLS mit poplib.** `POP3_SSL` verbindet sich mit dem Port für implizites TLS; das Zertifikat des "
            "Labs liegt in `lab.cafile`.",
        ),
        Code(
            "import ssl\n\n"
            "context = ssl.create_default_context(cafile=lab.cafile)\n"
            "secure = poplib.POP3_SSL(lab.host, lab.tls_port, context=context)\n"
            'print(secure.getwelcome())\nprint(secure.user("wiki@example.com"))\n'
            'print(secure.pass_("passwort_im_klartext"))\nprint(secure.stat())\nprint(secure.quit())'
        ),
        Md(
            "**Now without poplib.** A client is a loop of: send a line with CR LF, read the status line, "
            "look at `+OK` or `-ERR`.",
            "**Jetzt ohne poplib.** Ein Client ist eine Schleife aus: Zeile mit CR LF senden, Statuszeile "
            "lesen, auf `+OK` oder `-ERR` schauen.",
        ),
        Task(
            "Complete `command`: send the line with CR LF, read one line back, return it as text without the line end.",
            "Vervollständige `command`: Sende die Zeile mit CR LF, lies eine Zeile zurück und gib sie als Text "
            "ohne Zeilenende zurück.",
            Code(COMMAND),
            {"BODY": COMMAND_SOLUTION},
            {"BODY": _blank('""')},
            wrong={"BODY": COMMAND_SOLUTION.replace(' + b"\\r\\n"', "")},
        ),
        Check("08-2"),
        Md(
            "Your client and `poplib` speak the same protocol as Thunderbird, fetchmail or your phone. You "
            "can point them at a real server too — `Lab.connect(host, port, tls=True)` gives this notebook "
            "API for any POP3 server.",
            "Dein Client und `poplib` sprechen dasselbe Protokoll wie Thunderbird, fetchmail oder dein Handy. "
            "Du kannst sie auch auf einen echten Server richten — `Lab.connect(host, port, tls=True)` bietet "
            "diese Notebook-API für jeden POP3-Server.",
        ),
        Code("lab.stop()"),
    ),
)
