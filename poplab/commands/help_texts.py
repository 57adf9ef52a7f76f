"""What every command's ``--help`` ends with: one example to copy (short enough for one line at 80 columns), and
a one-sentence description where the command's module gave only a short ``help=``. Kept in one table so that every
command, subcommand and action has one, and a test can hold them to it."""

from __future__ import annotations

import argparse

EXAMPLES: dict[str, str] = {
    "": "poplab --lang de",
    "tutor": "poplab tutor 127.0.0.1 1110 --projector",
    "connect": "poplab connect pop.example.org 995 --tls",
    "serve": "poplab serve --port 1110 --tls-port 1995 --flavor dovecot",
    "talk": "poplab talk 127.0.0.1 1110 --lang de",
    "proxy": "poplab proxy --upstream 127.0.0.1:1110 --listen 127.0.0.1:2110 --tui",
    "reset": "poplab reset --data ~/poplab-data",
    "accounts": "poplab accounts --pop-enabled true",
    "accounts add": "poplab accounts add eve@example.com --password secret",
    "accounts set": "poplab accounts set carol@example.com --pop-enabled true",
    "accounts remove": "poplab accounts remove eve@example.com",
    "deliver": "poplab deliver bob@example.com note.eml",
    "annotate": "poplab annotate session.json --lang de",
    "replay": "poplab replay session.json --lang de",
    "exercise": "poplab exercise start 02",
    "exercise list": "poplab exercise list",
    "exercise show": "poplab exercise show 02",
    "exercise start": "poplab exercise start 02 --port 0",
    "exercise check": 'poplab exercise check 02 --answer "6 8231"',
    "exercise hint": "poplab exercise hint 02",
    "exercise reset": "poplab exercise reset 02",
    "classroom": "poplab classroom report",
    "classroom serve": "poplab classroom serve roster.csv",
    "classroom report": "poplab classroom report --html report.html",
    "classroom reset": "poplab classroom reset anna-schmidt 02",
    "classroom watch": "poplab classroom watch --dir classroom",
    "notebooks": "poplab notebooks --lang de --dir ~/pop3-lessons",
    "bench": "poplab bench 127.0.0.1 1110 --mode sessions --clients 50",
    "web": "poplab web --classroom classroom --host 0.0.0.0 --max-visitors 40",
}


def commands(parser: argparse.ArgumentParser, path: str = "") -> list[tuple[str, argparse.ArgumentParser]]:
    """Every (command path, parser) below ``parser``, the top level first (path '')."""
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                if not sub.description and helps.get(name):
                    sub.description = sentence(str(helps[name]))
                found += commands(sub, f"{path} {name}".strip())
    return found


def sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def add_examples(parser: argparse.ArgumentParser) -> None:
    """Give every command a description (from its help, if it has none) and its example as the epilog."""
    for path, command in commands(parser):
        example = EXAMPLES.get(path)
        if example is not None:  # after the command's own epilog (serve's table of fault profiles), if any
            command.epilog = "\n\n".join(filter(None, [command.epilog, f"example: {example}"]))
