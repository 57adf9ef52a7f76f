"""The few HTML pages ``poplab web`` serves around the tutor: the tutor page (textual-serve's terminal in a page of
ours, with a line saying who is signed in), the classroom login, "the class is full" and the page that says a
tutor ended. Texts in English and German, chosen by ``--lang`` or the browser's Accept-Language; every value is
HTML-escaped."""

from __future__ import annotations

from html import escape

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "poplab — the POP3 tutor",
        "login_heading": "Sign in to the class",
        "login_intro": "Your name (or login prefix) and password are on the slip from your teacher.",
        "name": "Name or login prefix",
        "password": "Password",
        "sign_in": "Sign in",
        "wrong": "That name and password do not match the class list. Check the slip and try again.",
        "full_heading": "The class is full",
        "full_body": "All {limit} places in the browser tutor are taken. Wait a minute and try again, or ask "
        "your teacher.",
        "try_again": "Try again",
        "signed_in": "Signed in as {name}. Your logins are {prefix}-NN (exercise 01: USER {prefix}-01) with "
        "your password from the slip.",
        "sign_out": "Sign out",
        "alone": "The POP3 tutor with its own teaching server. Type USER wiki@example.com to begin.",
        "ended": "The tutor has ended.",
        "restart": "Start again",
        "elsewhere": "The tutor was opened in another window; this one has ended.",
    },
    "de": {
        "title": "poplab — der POP3-Tutor",
        "login_heading": "Anmelden in der Klasse",
        "login_intro": "Deinen Namen (oder das Login-Präfix) und das Passwort findest du auf dem Zettel deiner "
        "Lehrkraft.",
        "name": "Name oder Login-Präfix",
        "password": "Passwort",
        "sign_in": "Anmelden",
        "wrong": "Name und Passwort passen nicht zur Klassenliste. Prüfe den Zettel und versuche es noch einmal.",
        "full_heading": "Die Klasse ist voll",
        "full_body": "Alle {limit} Plätze im Browser-Tutor sind belegt. Warte eine Minute und versuche es noch "
        "einmal, oder frag deine Lehrkraft.",
        "try_again": "Noch einmal versuchen",
        "signed_in": "Angemeldet als {name}. Deine Logins sind {prefix}-NN (Übung 01: USER {prefix}-01) mit dem "
        "Passwort von deinem Zettel.",
        "sign_out": "Abmelden",
        "alone": "Der POP3-Tutor mit eigenem Lehr-Server. Tippe USER wiki@example.com, um zu beginnen.",
        "ended": "Der Tutor wurde beendet.",
        "restart": "Neu starten",
        "elsewhere": "Der Tutor wurde in einem anderen Fenster geöffnet; dieses ist beendet.",
    },
}

STYLE = """
body { margin: 0; background: #0c181f; color: #f0f0f0; font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 34em; margin: 10vh auto; padding: 1.5em 2em; background: #12232d; border-radius: 6px; }
label { display: block; margin-top: 1em; } input { width: 100%; font-size: 1.1em; padding: .3em; }
button, .button { margin-top: 1.2em; font-size: 1.1em; padding: .4em 1.4em; background: #5e0ba7; color: #fff;
  border: 0; border-radius: 4px; text-decoration: none; display: inline-block; cursor: pointer; }
.error { background: #5c1a1a; padding: .5em 1em; border-radius: 4px; }
#bar { height: 1.8em; line-height: 1.8em; padding: 0 1em; background: #12232d; font-size: 14px;
  display: flex; justify-content: space-between; } #bar a { color: #9cf; }
#terminal.textual-terminal { width: 100vw; height: calc(100vh - 1.8em); }
.ended { display: none; position: absolute; top: 30vh; left: 0; right: 0; text-align: center; z-index: 5; }
body.-closed .ended { display: block; } body.-closed #terminal { opacity: .25; }
"""


def texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["en"])


def _page(lang: str, body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(texts(lang)['title'])}</title>{head}<style>{STYLE}</style></head>\n"
        f"<body>{body}</body></html>\n"
    )


def tutor_page(lang: str, websocket_url: str, static_url: str, banner: str, sign_out: bool, font_size: int = 16) -> str:
    """The terminal page: textual-serve's script draws the tutor into ``#terminal`` over ``websocket_url``."""
    t = texts(lang)
    link = f'<a href="/logout">{escape(t["sign_out"])}</a>' if sign_out else ""
    head = (
        f'<link rel="stylesheet" href="{escape(static_url)}css/xterm.css">'
        f'<script src="{escape(static_url)}js/textual.js"></script>'
    )
    body = (
        f'<div id="bar"><span>{escape(banner)}</span>{link}</div>'
        f'<div class="ended"><p>{escape(t["ended"])}</p>'
        f'<a class="button" href="/">{escape(t["restart"])}</a></div>'
        f'<div id="terminal" class="textual-terminal" data-session-websocket-url="{escape(websocket_url)}" '
        f'data-font-size="{font_size}"></div>'
    )
    return _page(lang, body, head)


def login_page(lang: str, wrong: bool = False, name: str = "") -> str:
    t = texts(lang)
    error = f'<p class="error" role="alert">{escape(t["wrong"])}</p>' if wrong else ""
    body = (
        f"<main><h1>{escape(t['login_heading'])}</h1><p>{escape(t['login_intro'])}</p>{error}"
        f'<form method="post" action="/login">'
        f'<label for="name">{escape(t["name"])}</label>'
        f'<input id="name" name="name" autocomplete="username" required value="{escape(name)}" autofocus>'
        f'<label for="password">{escape(t["password"])}</label>'
        f'<input id="password" name="password" type="password" autocomplete="current-password" required>'
        f'<button type="submit">{escape(t["sign_in"])}</button></form></main>'
    )
    return _page(lang, body)


def full_page(lang: str, limit: int) -> str:
    t = texts(lang)
    body = (
        f"<main><h1>{escape(t['full_heading'])}</h1><p>{escape(t['full_body'].format(limit=limit))}</p>"
        f'<a class="button" href="/">{escape(t["try_again"])}</a></main>'
    )
    return _page(lang, body)


def signed_in_banner(lang: str, name: str, prefix: str) -> str:
    return texts(lang)["signed_in"].format(name=name, prefix=prefix)


def alone_banner(lang: str) -> str:
    return texts(lang)["alone"]
