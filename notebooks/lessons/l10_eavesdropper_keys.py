"""10 — what an eavesdropper sees, and what the key reveals: a plain and a TLS session captured as
``poplab serve --capture`` does, read from the pcap files with dpkt, and the TLS one decrypted with the key log."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

TSHARK = """import shutil
import subprocess

if shutil.which("tshark"):
    port = str(lab.tls_port)
    command = ["tshark", "-n", "-r", str(tls_file), "-o", f"tls.keylog_file:{capture.keylog}",
               "-d", f"tcp.port=={port},tls", "-d", f"tls.port=={port},pop", "-Y", "pop"]
    print(subprocess.run(command, capture_output=True, text=True, timeout=60).stdout)
else:
    print(<<NO_TSHARK>>)"""

LESSON = Lesson(
    "10",
    "eavesdropper-and-keys",
    (
        Md(
            "# 10 · What an eavesdropper sees, and what the key reveals\n\n"
            "Lesson 05 put an eavesdropper on the path. Here the server itself records every byte it reads and "
            "writes, as `poplab serve --capture DIR` does: one **pcap** file per session (the format Wireshark "
            "and tshark read), TLS records still encrypted, and beside them a **key log** — the secrets of every "
            "TLS connection, in the `SSLKEYLOGFILE` format Wireshark understands.",
            "# 10 · Was ein Lauscher sieht und was der Schlüssel verrät\n\n"
            "In Lektion 05 saß ein Lauscher auf dem Weg. Hier zeichnet der Server selbst jedes Byte auf, das er "
            "liest und schreibt, so wie `poplab serve --capture DIR`: eine **pcap**-Datei pro Sitzung (das Format, "
            "das Wireshark und tshark lesen), TLS-Datensätze weiterhin verschlüsselt, und daneben eine "
            "**Schlüsseldatei** (Key-Log) — die Geheimnisse jeder TLS-Verbindung im Format `SSLKEYLOGFILE`, das "
            "Wireshark versteht.",
        ),
        Code(
            "from poplab.notebook import Lab\n"
            "from poplab.notebook.lab_capture import LabCapture, decrypt_with_keys, what_each_side_sent\n\n"
            "lab = Lab(lang=@LANG@)\ncapture = LabCapture(lab)"
        ),
        Md(
            "Two sessions with the same commands: one in plain text, one with implicit TLS (`tls=True`).",
            "Zwei Sitzungen mit denselben Befehlen: eine im Klartext, eine mit implizitem TLS (`tls=True`).",
        ),
        Code(
            'plain = lab.session("wiki@example.com")\nplain.send("RETR 1")\nplain.quit()\n'
            'secure = lab.session("wiki@example.com", tls=True)\nsecure.send("RETR 1")\nsecure.quit()\n'
            "plain_file, tls_file = capture.files()[-2:]\nplain_file.name, tls_file.name"
        ),
        Md(
            "An eavesdropper has only the file. `what_each_side_sent` reads it with **dpkt** and joins the TCP "
            "segments of each side — this is all anyone on the path gets:",
            "Ein Lauscher hat nur die Datei. `what_each_side_sent` liest sie mit **dpkt** und fügt die "
            "TCP-Segmente jeder Seite zusammen — mehr bekommt niemand auf dem Weg:",
        ),
        Code('print(what_each_side_sent(plain_file)["client"].decode())'),
        Task(
            "Read wiki's password from the plain capture (not from this page): take what the client sent and "
            "the text after `PASS ` up to the line end.",
            "Lies wikis Passwort aus dem Klartext-Mitschnitt (nicht von dieser Seite): Nimm, was der Client "
            "gesendet hat, und den Text nach `PASS ` bis zum Zeilenende.",
            Code('sent = what_each_side_sent(plain_file)["client"]\npassword = <<A>>  # ✎'),
            {"A": 'sent.split(b"PASS ")[1].split(b"\\r\\n")[0].decode()'},
            wrong={"A": 'sent.split(b"USER ")[1].split(b"\\r\\n")[0].decode()'},
        ),
        Check("10-1"),
        Md(
            "The TLS capture of the same talk: after the handshake (`\\x16\\x03…`, a ClientHello) only "
            "encrypted records. The password is not in it, and neither is the mail:",
            "Der TLS-Mitschnitt desselben Gesprächs: nach dem Handshake (`\\x16\\x03…`, ein ClientHello) nur "
            "verschlüsselte Datensätze. Das Passwort steht nicht darin, die Mail auch nicht:",
        ),
        Code(
            'seen = what_each_side_sent(tls_file)\nprint(seen["client"][:48])\n'
            'b"passwort_im_klartext" in seen["client"], b"Subject:" in seen["server"]'
        ),
        Md(
            "Now the key log. Each line is a label, the connection's *client random* (from its ClientHello) and a "
            "secret. With TLS 1.3 there are four per connection: the handshake and the traffic secrets of each "
            "side. They are not the server's certificate key: they belong to this one connection.",
            "Jetzt die Schlüsseldatei. Jede Zeile hat eine Bezeichnung, den *client random* der Verbindung (aus "
            "ihrem ClientHello) und ein Geheimnis. Bei TLS 1.3 sind es vier pro Verbindung: die Handshake- und "
            "die Verkehrsgeheimnisse jeder Seite. Es ist nicht der Schlüssel des Serverzertifikats: Sie gehören "
            "zu genau dieser einen Verbindung.",
        ),
        Code(
            "for line in capture.keylog.read_text().splitlines()[-4:]:\n"
            "    label, client_random, secret = line.split()\n"
            '    print(f"{label:32} {client_random[:16]}… {secret[:16]}…")'
        ),
        Md(
            "`decrypt_with_keys` does what Wireshark does with the key log: it finds the connection's secrets by "
            "its client random, derives the keys (RFC 8446 §7) and opens every record.",
            "`decrypt_with_keys` macht, was Wireshark mit der Schlüsseldatei macht: Es findet die Geheimnisse der "
            "Verbindung über ihren client random, leitet die Schlüssel ab (RFC 8446 §7) und öffnet jeden Datensatz.",
        ),
        Code('opened = decrypt_with_keys(tls_file, capture.keylog)\nprint(opened["client"].decode())'),
        Task(
            "Read the subject of the mail that `RETR 1` fetched, from the decrypted TLS capture: the text after "
            "`Subject: ` in what the server sent.",
            "Lies den Betreff der Mail, die `RETR 1` abgerufen hat, aus dem entschlüsselten TLS-Mitschnitt: den "
            "Text nach `Subject: ` in dem, was der Server gesendet hat.",
            Code('lines = opened["server"].decode().splitlines()\nsubject = <<A>>  # ✎'),
            {"A": 'next(line for line in lines if line.startswith("Subject: "))[len("Subject: "):]'},
            wrong={"A": "lines[-3]"},
        ),
        Check("10-2"),
        Md(
            "With **tshark** (Wireshark's command line) installed, the same file and key log decode to POP lines. "
            "The lab's TLS port is not 995, so tshark is told what it carries. In Wireshark: *Decode As…* and "
            "Preferences → Protocols → TLS → (Pre)-Master-Secret log filename.",
            "Ist **tshark** (die Kommandozeile von Wireshark) installiert, werden dieselbe Datei und dieselbe "
            "Schlüsseldatei zu POP-Zeilen. Der TLS-Port des Labs ist nicht 995, also erfährt tshark, was darüber "
            "läuft. In Wireshark: *Decode As…* und Einstellungen → Protocols → TLS → (Pre)-Master-Secret log "
            "filename.",
        ),
        Code(
            TSHARK.replace("<<NO_TSHARK>>", '"tshark is not installed; decrypt_with_keys above did the same."'),
            TSHARK.replace(
                "<<NO_TSHARK>>", '"tshark ist nicht installiert; decrypt_with_keys oben hat dasselbe getan."'
            ),
        ),
        Md(
            "What the key reveals: whoever holds the key log reads every session in it — passwords and mail. "
            "Keep it as private as the passwords (poplab writes it readable by you only) and delete it after "
            "class. Without it, TLS 1.3 keeps a recorded session closed, even to someone who later steals the "
            "server's certificate key (forward secrecy).",
            "Was der Schlüssel verrät: Wer die Schlüsseldatei hat, liest jede Sitzung darin — Passwörter und "
            "Mails. Halte sie so geheim wie die Passwörter (poplab schreibt sie nur für dich lesbar) und lösche "
            "sie nach dem Unterricht. Ohne sie bleibt eine aufgezeichnete Sitzung bei TLS 1.3 verschlossen, auch "
            "für jemanden, der später den Schlüssel des Serverzertifikats stiehlt (Forward Secrecy).",
        ),
        Code("capture.stop()\nlab.stop()"),
    ),
)
