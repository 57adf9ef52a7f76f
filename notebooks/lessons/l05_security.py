"""05 — security: the clear-text password as an eavesdropper sees it, CAPA, STLS, implicit TLS, APOP."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

APOP = '''import hashlib


def apop_digest(timestamp, secret):
    """The APOP digest for the greeting's timestamp and the secret: 32 hex digits."""
<<BODY>>'''

LESSON = Lesson(
    "05",
    "security",
    (
        Md(
            "# 05 · Security\n\n"
            "The article's account is called *passwort_im_klartext* — password in clear text. Plain POP3 "
            "sends the password exactly as typed, and anyone on the path (the Wi-Fi, a router) can read it. "
            "Here an **eavesdropper** sits between you and the server and records every byte.",
            "# 05 · Sicherheit\n\n"
            "Das Konto aus dem Artikel heißt *passwort_im_klartext*. Einfaches POP3 sendet das Passwort genau "
            "so, wie es getippt wurde, und jeder auf dem Weg (das WLAN, ein Router) kann es lesen. Hier sitzt "
            "ein **Lauscher** zwischen dir und dem Server und zeichnet jedes Byte auf.",
        ),
        Code("from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)\ntap = lab.eavesdropper()"),
        Code('s = lab.session("wiki@example.com", via=tap)\ns.send("STAT")\ntap'),
        Code('tap.saw("passwort_im_klartext")'),
        Md(
            "Try it at the keyboard: this console's connection passes the same eavesdropper. Log in as Alice "
            "(`USER alice@example.com`, `PASS wonderland`), then run the next cell and find her password in "
            "what the eavesdropper captured.",
            "Probiere es an der Tastatur: Die Verbindung dieser Konsole läuft über denselben Lauscher. Melde dich "
            "als Alice an (`USER alice@example.com`, `PASS wonderland`), führe dann die nächste Zelle aus und "
            "finde ihr Passwort in dem, was der Lauscher aufgezeichnet hat.",
        ),
        Code("console = lab.console(via=tap)\nconsole"),
        Code("tap"),
        Md(
            "What can the server do instead? `CAPA` lists its capabilities: `STLS` (switch this connection to "
            "TLS) and `SASL` (other login methods).",
            "Was kann der Server stattdessen? `CAPA` listet seine Fähigkeiten: `STLS` (diese Verbindung auf "
            "TLS umschalten) und `SASL` (andere Anmeldeverfahren).",
        ),
        Code('s.quit()\nprobe = lab.session()\nprobe.send("CAPA")'),
        Md(
            "**STLS** (RFC 2595): the connection starts in plain text on the normal port; after `STLS` and "
            '`+OK` both sides start TLS, and everything after that is encrypted. `lab.session(tls="stls")` '
            "does this before logging in.",
            "**STLS** (RFC 2595): Die Verbindung beginnt im Klartext auf dem normalen Port; nach `STLS` und "
            '`+OK` starten beide Seiten TLS, und alles danach ist verschlüsselt. `lab.session(tls="stls")` '
            "macht das vor der Anmeldung.",
        ),
        Code(
            'probe.drop()\ntap2 = lab.eavesdropper()\nupgraded = lab.session(tls="stls", via=tap2)\n'
            'upgraded.send("CAPA")'
        ),
        Code('upgraded.login("wiki@example.com", "passwort_im_klartext")\ntap2'),
        Md(
            "The eavesdropper saw the greeting and `STLS` in clear, then only encrypted bytes. After TLS, "
            "`CAPA` no longer offers STLS. `upgraded.certificate` tells you whom you are talking to:",
            "Der Lauscher sah die Begrüßung und `STLS` im Klartext, danach nur verschlüsselte Bytes. Nach TLS "
            "bietet `CAPA` kein STLS mehr an. `upgraded.certificate` sagt, mit wem du sprichst:",
        ),
        Code("upgraded.quit()\nprint(upgraded.certificate.summary())"),
        Md(
            "**Implicit TLS** (RFC 8314 §3.1): a second port (995 in real life, next to the plain port 110) "
            "where TLS starts with the very first byte. `lab.session(tls=True)` uses it. RFC 8314 §3 tells mail "
            "clients to **prefer implicit TLS to STLS**: with STLS the greeting and `CAPA` travel in clear, an "
            "attacker can strip `STLS` from the list, and a client that sends its next command too early can be "
            "tricked (CVE-2011-0411).",
            "**Implizites TLS** (RFC 8314 §3.1): ein zweiter Port (in Wirklichkeit 995, neben dem Klartext-Port "
            "110), auf dem TLS mit dem allerersten Byte beginnt. `lab.session(tls=True)` verwendet ihn. RFC 8314 "
            "§3 rät Mail-Clients, **implizites TLS dem STLS vorzuziehen**: Bei STLS gehen die Begrüßung und "
            "`CAPA` im Klartext über die Leitung, ein Angreifer kann `STLS` aus der Liste streichen, und ein "
            "Client, der seinen nächsten Befehl zu früh schickt, lässt sich täuschen (CVE-2011-0411).",
        ),
        Task(
            "Log in as `wiki@example.com` so that the eavesdropper cannot read the password. Choose the "
            '`tls` setting: `False` (plain), `"stls"` or `True`.',
            "Melde dich als `wiki@example.com` so an, dass der Lauscher das Passwort nicht lesen kann. Wähle "
            'die Einstellung `tls`: `False` (Klartext), `"stls"` oder `True`.',
            Code("choice = <<A>>  # ✎"),
            {"A": "True"},
            wrong={"A": "False"},
        ),
        Check("05-1"),
        Md(
            "**APOP** (RFC 1939 §7) is older: when the server offers it, its greeting carries a fresh "
            "timestamp `<…>`. The client sends `APOP name digest`, where the digest is the MD5 of the "
            "timestamp followed by the secret, as 32 hex digits. The secret itself never crosses the wire. "
            "This lab has APOP switched on:",
            "**APOP** (RFC 1939 §7) ist älter: Wenn der Server es anbietet, trägt seine Begrüßung einen frischen "
            "Zeitstempel `<…>`. Der Client sendet `APOP name digest`; der Digest ist der MD5-Wert aus "
            "Zeitstempel und Geheimnis, als 32 Hexadezimalziffern. Das Geheimnis selbst geht nie über die Leitung. "
            "Dieses Lab hat APOP eingeschaltet:",
        ),
        Code(
            "apop_lab = Lab(lang=@LANG@, apop=True)\nmarshall = apop_lab.session()\n"
            "timestamp = marshall.greeting.text.split()[-1]\nmarshall.greeting"
        ),
        Task(
            "Complete `apop_digest` so that it computes the digest for a timestamp and a secret. The check opens "
            "a session of its own, computes the digest with your function for `mrose@example.com`, whose secret is "
            "`tanstaaf` (RFC 1939's own example), and logs in with `APOP`. `hashlib.md5(text.encode()).hexdigest()` "
            "computes an MD5 digest.",
            "Vervollständige `apop_digest`, sodass sie den Digest für einen Zeitstempel und ein Geheimnis berechnet. "
            "Die Prüfung öffnet eine eigene Sitzung, berechnet mit deiner Funktion den Digest für "
            "`mrose@example.com` mit dem Geheimnis `tanstaaf` (das Beispiel aus RFC 1939) und meldet sich mit `APOP` "
            "an. `hashlib.md5(text.encode()).hexdigest()` berechnet einen MD5-Digest.",
            Code(APOP),
            {"BODY": "    return hashlib.md5((timestamp + secret).encode()).hexdigest()"},
            {"BODY": Code('    # ✎ your code here\n    return ""', '    # ✎ dein Code hier\n    return ""')},
            wrong={"BODY": "    return hashlib.md5((secret + timestamp).encode()).hexdigest()"},
        ),
        Check("05-2"),
        Md("Your function in the session above:", "Deine Funktion in der Sitzung oben:"),
        Code("marshall.send(f\"APOP mrose@example.com {apop_digest(timestamp, 'tanstaaf')}\")"),
        Md(
            "APOP keeps the password off the wire, but MD5 is weak today and the mail itself still travels in "
            "clear. Use TLS.",
            "APOP hält das Passwort von der Leitung fern, aber MD5 ist heute schwach, und die Mails selbst "
            "gehen weiter im Klartext. Verwende TLS.",
        ),
        Code(
            "apop_lab.stop()\n# lab.stop()  # when you are done: stops the lab (the consoles above too); closing the notebook does as well",
            "apop_lab.stop()\n# lab.stop()  # wenn du fertig bist: hält das Lab an (auch die Konsolen oben); das Schließen des Notebooks auch",
        ),
    ),
)
