"""07 — administering POP: per-account POP access (Exchange's PopEnabled), locking, listing accounts."""

from __future__ import annotations

from lessons.cells import Check, Code, Lesson, Md, Task

LESSON = Lesson(
    "07",
    "administering-pop",
    (
        Md(
            "# 07 · Administering POP\n\n"
            "An administrator decides who may use POP3 at all. On Microsoft Exchange, the article lists the "
            "mailboxes with POP3 switched on like this:\n\n"
            "```powershell\n[PS] C:\\> Get-Mailbox -ResultSize Unlimited | Get-CasMailbox | "
            "Where-Object { $_.PopEnabled -eq $true }\n```\n\n"
            "Every mailbox has a `PopEnabled` setting; the command keeps those where it is `$true`. The "
            "teaching server has the same setting per account.",
            "# 07 · POP verwalten\n\n"
            "Eine Administratorin entscheidet, wer POP3 überhaupt benutzen darf. Unter Microsoft Exchange "
            "listet der Artikel die Postfächer mit eingeschaltetem POP3 so auf:\n\n"
            "```powershell\n[PS] C:\\> Get-Mailbox -ResultSize Unlimited | Get-CasMailbox | "
            "Where-Object { $_.PopEnabled -eq $true }\n```\n\n"
            "Jedes Postfach hat eine Einstellung `PopEnabled`; der Befehl behält die, bei denen sie `$true` "
            "ist. Der Lehr-Server hat dieselbe Einstellung pro Konto.",
        ),
        Code("from poplab.notebook import Lab\n\nlab = Lab(lang=@LANG@)\nlab.accounts()"),
        Task(
            "Write the teaching server's version of the Exchange command: the names of all accounts with POP "
            "enabled. `lab.accounts().names(pop_enabled=...)` filters by the setting.",
            "Schreibe die Version des Exchange-Befehls für den Lehr-Server: die Namen aller Konten mit "
            "eingeschaltetem POP. `lab.accounts().names(pop_enabled=...)` filtert nach der Einstellung.",
            Code("enabled = <<A>>  # ✎"),
            {"A": "lab.accounts().names(pop_enabled=True)"},
            wrong={"A": "lab.accounts().names()"},
        ),
        Check("07-1"),
        Md(
            "Carol's POP access is switched off. Even with the right password the server says no — and says why:",
            "Carols POP-Zugang ist ausgeschaltet. Selbst mit dem richtigen Passwort sagt der Server nein — und "
            "sagt, warum:",
        ),
        Code('carol = lab.session()\ncarol.send("USER carol@example.com")\ncarol.send("PASS carol123")'),
        Md(
            "On Exchange, `Set-CasMailbox -Identity dave -PopEnabled $false` switches POP off for one "
            "mailbox. Here it is `lab.set_pop_enabled(account, False)`. (For a lab on disk, the command line "
            "does the same: `poplab accounts set NAME --pop-enabled false`, and `poplab accounts "
            "--pop-enabled true` lists.)",
            "Unter Exchange schaltet `Set-CasMailbox -Identity dave -PopEnabled $false` POP für ein Postfach "
            "aus. Hier heißt das `lab.set_pop_enabled(konto, False)`. (Für ein Lab auf der Festplatte macht "
            "die Kommandozeile dasselbe: `poplab accounts set NAME --pop-enabled false`, und `poplab accounts "
            "--pop-enabled true` listet.)",
        ),
        Task(
            "Switch POP access off for `dave@example.com`.",
            "Schalte den POP-Zugang für `dave@example.com` aus.",
            Code("<<A>>  # ✎"),
            {"A": 'lab.set_pop_enabled("dave@example.com", False)'},
            wrong={"A": 'lab.set_pop_enabled("alice@example.com", False)'},
        ),
        Check("07-2"),
        Md(
            "**Locking.** While one session is in TRANSACTION, the server locks the mailbox (RFC 1939 §4): a "
            "second login gets `-ERR [IN-USE]` — its name and password were right, only the lock was taken (RFC "
            "2449 §8.1.2). Otherwise two clients could delete the same messages or see different numbers. "
            "poplab locks; Dovecot, for one, does not by default.",
            "**Sperren.** Solange eine Sitzung in TRANSACTION ist, sperrt der Server das Postfach (RFC 1939 "
            "§4): Eine zweite Anmeldung bekommt `-ERR [IN-USE]` — Name und Passwort stimmten, nur die Sperre "
            "war vergeben (RFC 2449 §8.1.2). Sonst könnten zwei Clients dieselben Nachrichten löschen oder "
            "verschiedene Nummern sehen. poplab sperrt; Dovecot zum Beispiel tut es standardmäßig nicht.",
        ),
        Code(
            'first = lab.session("alice@example.com")\nsecond = lab.session()\n'
            'second.send("USER alice@example.com")\nsecond.send("PASS wonderland")'
        ),
        Code("lab.accounts()"),
        Md(
            "When the first session ends — with `QUIT` or by a dropped connection — the lock is released.",
            "Wenn die erste Sitzung endet — mit `QUIT` oder durch eine abgebrochene Verbindung —, wird die "
            "Sperre aufgehoben.",
        ),
        Code('first.drop()\nsecond.login("alice@example.com", "wonderland")'),
        Md(
            "**New accounts.** An administrator adds an account and mail arrives for it:",
            "**Neue Konten.** Eine Administratorin legt ein Konto an, und Post kommt dafür an:",
        ),
        Code(
            'lab.add_account("erin@example.com", "sesame")\n'
            'lab.deliver("erin@example.com", "Subject: Welcome, Erin\\r\\n\\r\\nYour new mailbox works.\\r\\n")\n'
            "lab.accounts()"
        ),
        Code("second.quit()\nlab.stop()"),
    ),
)
