"""``poplab classroom``: serving a roster as a real process, a student's poplib session checked as it ends, the
report and a reset from the command line."""

from __future__ import annotations

import argparse
import csv
import os
import poplib
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from poplab.commands import classroom as command
from poplab.commands.common import CliError
from poplab.exercises import find_exercise, load_exercises
from poplab.exercises.classroom import classroom_seed
from poplab.exercises.variant import make_variant, octets

SERVE = (
    "import argparse, sys\n"
    "from poplab.commands import classroom\n"
    "p = argparse.ArgumentParser(); classroom.register(p.add_subparsers())\n"
    "a = p.parse_args(sys.argv[1:]); sys.exit(a.run(a))\n"
)


def cli(capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="poplab")
    command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["classroom", *words])
    code = args.run(args)
    return code, capsys.readouterr().out


def test_serve_report_and_reset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name\nAnna Schmidt\nJürgen Müller\n", encoding="utf-8")
    directory = tmp_path / "class"
    words = ["classroom", "serve", str(roster), "--dir", str(directory), "--port", "0", "--tls-port", "-1"]
    words += ["--smtp-port", "0"]
    env = {**os.environ, "POPLAB_LANG": "en"}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, *words, "--login-delay", "0"], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert server.stdout is not None
        banner = [server.stdout.readline()]
        while banner[-1] not in ("Press Ctrl-C to stop the server.\n", ""):
            banner.append(server.stdout.readline())
        assert banner[0] == f"Classroom: 2 students, 15 exercises; the handout is {directory / 'handout.csv'}\n"
        port = int(banner[1].removeprefix("POP3 on 127.0.0.1:").split()[0])
        handout = list(csv.DictReader((directory / "handout.csv").open(encoding="utf-8")))
        assert [row["login prefix"] for row in handout] == ["anna-schmidt", "jurgen-muller"]
        client = poplib.POP3("127.0.0.1", port, timeout=10)
        assert client.getwelcome().startswith(b"+OK example.com POP3-Server <")  # APOP is on for exercise 11
        client.user("jurgen-muller-01")
        password = handout[1]["password"]
        client.pass_(password)
        served = make_variant(find_exercise("01", load_exercises()), classroom_seed("jurgen-muller-01", password))
        assert client.stat() == (1, octets(served.data[0]))
        client.list()
        client.retr(1)
        client.dele(1)
        client.quit()
        assert server.stdout.readline() == "jurgen-muller-01: session 1 ended (quit); done, sessions so far: 1\n"
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=10)
    assert server.returncode == 0
    code, text = cli(capsys, "report", "--dir", str(directory))
    lines = text.splitlines()
    assert code == 0
    assert lines[1].startswith("Anna Schmidt          ·        ·")
    assert lines[2].startswith("Jürgen Müller         ✓1 ")
    assert lines[2].endswith("1/15  10")
    assert lines[-1] == f"CSV written to {directory / 'report.csv'}"
    rows = list(csv.DictReader((directory / "report.csv").open(encoding="utf-8")))
    assert rows[15]["login"] == "jurgen-muller-01" and rows[15]["done"] == "yes" and rows[15]["attempts"] == "1"
    code, text = cli(capsys, "reset", "jurgen-muller", "1", "--dir", str(directory), "--lang", "de")
    assert text == "Jürgen Müller: frische Postfächer und keine Sitzungen in Übung 01\n"
    assert cli(capsys, "report", "--dir", str(directory))[1].splitlines()[2].endswith("0/15  0")
    with pytest.raises(CliError, match="no student 'zoe'"):
        cli(capsys, "reset", "zoe", "--dir", str(directory))


def test_report_without_a_classroom_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CliError, match="not a classroom directory"):
        cli(capsys, "report", "--dir", str(tmp_path))
