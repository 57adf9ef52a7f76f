"""06 — POP3's limits next to IMAP: the article's four limitations, each shown with two sessions."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

MAIL = '''def mail(subject):
    return f"From: alice@example.com\\r\\nTo: bob@example.com\\r\\nSubject: {subject}\\r\\n\\r\\nHi Bob!\\r\\n"


def download_all(session):
    """What a POP3 client does: fetch every message, keyed by its UIDL id."""
    copies = {}
    for line in session.send("UIDL").body_text.splitlines():
        number, uid = line.split()
        copies[uid] = session.send(f"RETR {number}").body_text
    return copies


lab.deliver("bob@example.com", mail("Meeting at 10"))
lab.mailbox("bob@example.com")'''

LESSON = Lesson(
    "06",
    "limits-next-to-imap",
    (
        Md(
            "# 06 · POP3's limits next to IMAP\n\n"
            "The article names four limitations of POP3 compared with IMAP:\n\n"
            "1. **Offline access** — what was downloaded can be read offline, but new or sent mail cannot be "
            "reached without a connection to the server.\n"
            "2. **Synchronisation** — no real-time sync between devices: a message read or deleted on one is "
            "not marked as read or deleted on the others.\n"
            "3. **Server-side folders** — POP3 has none: all mail lands in one inbox.\n"
            "4. **Little server interaction** — mail cannot be organised or moved on the server; most actions "
            "happen locally.\n\n"
            "Each is shown here with two sessions: Bob's **laptop** and Bob's **phone**.",
            "# 06 · Die Grenzen von POP3 neben IMAP\n\n"
            "Der Artikel nennt vier Einschränkungen von POP3 im Vergleich zu IMAP:\n\n"
            "1. **Offline-Zugriff** — Abgerufenes lässt sich offline lesen, aber neue oder gesendete E-Mails "
            "sind ohne Verbindung zum Server nicht erreichbar.\n"
            "2. **Synchronisation** — keine Echtzeitsynchronisation zwischen Geräten: Eine auf einem Gerät "
            "gelesene oder gelöschte E-Mail wird auf den anderen nicht als gelesen oder gelöscht markiert.\n"
            "3. **Serverbasierte Ordner** — POP3 kennt keine: Alle E-Mails landen in einem Posteingang.\n"
            "4. **Beschränkte Serverinteraktion** — E-Mails lassen sich auf dem Server nicht organisieren oder "
            "verschieben; die meisten Aktionen passieren lokal.\n\n"
            "Jede wird hier mit zwei Sitzungen gezeigt: Bobs **Laptop** und Bobs **Handy**.",
        ),
        Code("from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)\n\n\n" + MAIL),
        Md(
            "## 1 · Offline access\n\nThe laptop downloads everything and goes offline.",
            "## 1 · Offline-Zugriff\n\nDer Laptop lädt alles herunter und geht offline.",
        ),
        Code(
            'laptop_session = lab.session("bob@example.com")\nlaptop = download_all(laptop_session)\n'
            "laptop_session.quit()\nlen(laptop)"
        ),
        Md(
            "While the laptop is offline, new mail arrives on the server. The laptop's copy cannot know: it "
            "still has one message. Only the next session — online again — brings the new one. (Sent mail is "
            "not on the POP3 server at all: POP3 only fetches.)",
            "Während der Laptop offline ist, kommt auf dem Server neue Post an. Die Kopie des Laptops kann "
            "davon nichts wissen: Sie hat weiter eine Nachricht. Erst die nächste Sitzung — wieder online — "
            "bringt die neue. (Gesendete Mails liegen gar nicht auf dem POP3-Server: POP3 holt nur ab.)",
        ),
        Code('lab.deliver("bob@example.com", mail("Lunch at 12?"))\nlen(laptop), len(lab.mailbox("bob@example.com"))'),
        Code(
            'laptop_session = lab.session("bob@example.com")\nlaptop.update(download_all(laptop_session))\n'
            "laptop_session.quit()\nlen(laptop)"
        ),
        Md(
            "## 2 · No synchronisation\n\nThe phone reads the first message. Then the laptop asks the server "
            "what is new.",
            "## 2 · Keine Synchronisation\n\nDas Handy liest die erste Nachricht. Dann fragt der Laptop den "
            "Server, was es Neues gibt.",
        ),
        Code('phone = lab.session("bob@example.com")\nphone.send("RETR 1")'),
        Md(
            "While the phone is connected, the laptop cannot even log in: poplab, as RFC 1939 §4 asks, locks the "
            "mailbox for one session at a time. Not every server does (Dovecot does not lock by default); "
            "there both sessions see the mailbox and can trip over each other's deletions.",
            "Solange das Handy verbunden ist, kann sich der Laptop nicht einmal anmelden: poplab sperrt, wie RFC "
            "1939 §4 es verlangt, das Postfach für jeweils eine Sitzung. Nicht jeder Server tut das (Dovecot "
            "sperrt standardmäßig nicht); dort sehen beide Sitzungen das Postfach und können einander beim "
            "Löschen in die Quere kommen.",
        ),
        Code(
            'laptop_session = lab.session()\nlaptop_session.send("USER bob@example.com")\n'
            'laptop_session.send("PASS builder")'
        ),
        Code('phone.quit()\nlaptop_session.login("bob@example.com", "builder")\nlaptop_session.send("UIDL")'),
        Task(
            "Look at the laptop's `UIDL` listing. Does anything in it tell the laptop that the phone has "
            "already read message 1? Answer `True` or `False`.",
            "Sieh dir die `UIDL`-Liste des Laptops an. Sagt ihm irgendetwas darin, dass das Handy Nachricht 1 "
            "schon gelesen hat? Antworte mit `True` oder `False`.",
            Code("laptop_can_tell = <<A>>  # ✎"),
            {"A": "False"},
            wrong={"A": "True"},
        ),
        Check("06-1"),
        Md(
            "If the phone deletes a message, it simply disappears from the server; the laptop keeps its old "
            "copy and is never told.",
            "Löscht das Handy eine Nachricht, verschwindet sie einfach vom Server; der Laptop behält seine alte "
            "Kopie und erfährt nichts davon.",
        ),
        Code(
            'laptop_session.quit()\nphone = lab.session("bob@example.com")\nphone.send("DELE 1")\nphone.quit()\n'
            'len(laptop), len(lab.mailbox("bob@example.com"))'
        ),
        Md(
            "## 3 · No folders on the server\n\nIMAP has `SELECT Archive`, `LIST` of folders, `CREATE`. POP3 "
            "has one maildrop per account and no command that names a folder.",
            "## 3 · Keine Ordner auf dem Server\n\nIMAP hat `SELECT Archive`, eine Ordnerliste mit `LIST`, "
            "`CREATE`. POP3 hat ein Postfach pro Konto und keinen Befehl, der einen Ordner nennt.",
        ),
        Code('laptop_session = lab.session("bob@example.com")\nlaptop_session.send("SELECT Archive")'),
        Code('laptop_session.send("LIST Archive")'),
        Md(
            "The second device sees the same single inbox — there is nowhere else mail could be.",
            "Das zweite Gerät sieht denselben einzigen Posteingang — woanders kann keine Post liegen.",
        ),
        Code('laptop_session.quit()\nphone = lab.session("bob@example.com")\nphone.send("LIST")'),
        Md(
            "## 4 · Little interaction with the server\n\nIMAP can move a message (`MOVE`) or flag it "
            "(`STORE … \\Flagged`). POP3 cannot: its only way to change the mailbox is `DELE` followed by "
            "`QUIT`.",
            "## 4 · Wenig Interaktion mit dem Server\n\nIMAP kann eine Nachricht verschieben (`MOVE`) oder "
            "markieren (`STORE … \\Flagged`). POP3 nicht: Seine einzige Möglichkeit, das Postfach zu ändern, "
            "ist `DELE` und danach `QUIT`.",
        ),
        Code('phone.send("MOVE 1 Archive")'),
        Code('phone.send("STORE 1 +FLAGS (\\\\Flagged)")'),
        Task(
            "Which of these are POP3 commands? Put exactly those into the set `pop3`: SELECT, RETR, MOVE, "
            "DELE, STORE, UIDL, FETCH, TOP.",
            "Welche davon sind POP3-Befehle? Schreibe genau diese in die Menge `pop3`: SELECT, RETR, MOVE, "
            "DELE, STORE, UIDL, FETCH, TOP.",
            Code('pop3 = <<A>>  # ✎ e.g. {"NOOP", "QUIT"}', 'pop3 = <<A>>  # ✎ z. B. {"NOOP", "QUIT"}'),
            {"A": '{"RETR", "DELE", "UIDL", "TOP"}'},
            wrong={"A": '{"RETR", "DELE", "MOVE", "TOP"}'},
        ),
        Check("06-2"),
        Md(
            "**In short:** POP3 downloads mail to one device and (usually) deletes it from the server. IMAP "
            "keeps mail on the server, in folders, with flags every device sees. POP3 is simple and works "
            "well for one device that stores mail locally.",
            "**Kurz gesagt:** POP3 lädt Mails auf ein Gerät und löscht sie (meist) vom Server. IMAP lässt die "
            "Mails auf dem Server, in Ordnern, mit Markierungen, die jedes Gerät sieht. POP3 ist einfach und "
            "passt gut zu einem Gerät, das die Mails lokal speichert.",
        ),
        Code("phone.quit()\nlab.stop()"),
    ),
)
