"""``poplab exercise``: the same exercise checked through the API (what a notebook calls) and through the command
line after a ``poplib`` session gives the same result; ``start`` as a real process; list, show, hint, reset."""

from __future__ import annotations

import argparse
import json
import os
import poplib
import signal
import ssl
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from poplab.commands import exercise as command
from poplab.commands.common import CliError
from poplab.exercises import Progress, RunningExercise, find_exercise, start
from poplab.exercises.classroom import classroom_seed
from poplab.exercises.variant import make_variant, octets
from tests.exercises.helpers import EXERCISES, Starter, listen

Cli = Callable[..., tuple[int, str]]


@pytest.fixture
def cli(progress: Progress, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run ``poplab exercise ...`` in this process against the test's progress directory."""

    def run(*words: str) -> tuple[int, str]:
        parser = argparse.ArgumentParser(prog="poplab")
        command.register(parser.add_subparsers(dest="command"))
        root, learner = progress.dir.parent, progress.dir.name
        args = parser.parse_args(["exercise", *words, "--progress", str(root), "--learner", learner])
        code = args.run(args)
        return code, capsys.readouterr().out

    return run


def login(running: RunningExercise, client: poplib.POP3) -> None:
    client.user(running.account)
    client.pass_(running.password)


def seed(running: RunningExercise) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    login(running, client)
    client.stat()
    client.list()
    client.retr(1)
    client.dele(1)
    client.quit()


def top_then_retr(running: RunningExercise) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    login(running, client)
    for number in range(1, 6):
        client.top(number, 0)
    client.retr(2)
    client.quit()


def stls(running: RunningExercise) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    client.stls(ssl._create_unverified_context())
    login(running, client)
    client.quit()


def apop(running: RunningExercise) -> None:
    client = poplib.POP3("127.0.0.1", running.port, timeout=10)
    client.apop(running.account, running.secret)
    client.quit()


def download_all_over_tls(running: RunningExercise) -> None:
    assert running.tls_port is not None
    client = poplib.POP3_SSL("127.0.0.1", running.tls_port, context=ssl._create_unverified_context(), timeout=10)
    login(running, client)
    count, _ = client.stat()
    for number in range(1, count + 1):
        client.retr(number)
    client.quit()


def drop_then_look(running: RunningExercise) -> None:
    first = poplib.POP3("127.0.0.1", running.port, timeout=10)
    login(running, first)
    first.dele(1)
    first.close()
    running.recorder.settle()
    second = poplib.POP3("127.0.0.1", running.port, timeout=10)
    login(running, second)
    second.stat()
    second.quit()


CASES = [
    ("01", seed, None, True),
    ("03", top_then_retr, "5", False),
    ("10", stls, None, True),
    ("11", apop, None, True),
    ("13", download_all_over_tls, None, True),
    ("07", drop_then_look, "5", False),
]


@pytest.mark.parametrize(("key", "session", "answer", "passes"), CASES, ids=[case[0] for case in CASES])
def test_api_and_cli_give_the_same_result_after_a_poplib_session(
    key: str, session: Callable[[RunningExercise], None], answer: str | None, passes: bool, run: Starter, cli: Cli
) -> None:
    running = run(find_exercise(key, EXERCISES))
    session(running)
    result = running.check(answer)
    assert result.passed is passes
    words = ["check", key] + (["--answer", answer] if answer else [])
    code, text = cli(*words)
    assert code == (0 if passes else 1)
    assert text == result.text() + "\n"
    code, data = cli(*words, "--json", "--lang", "de")
    assert json.loads(data) == result.to_json("de")


def test_the_cli_result_of_a_wrong_top_session_names_what_failed(run: Starter, cli: Cli) -> None:
    running = run(find_exercise("03", EXERCISES))
    top_then_retr(running)
    running.recorder.settle()
    code, text = cli("check", "03", "--answer", "5")
    assert code == 1
    assert text.splitlines() == [
        "Exercise 03: Find a message by its subject, without downloading it",
        "  ✓ Message 5 was read (RETR or TOP) in session 1.",
        "  ✗ Message 2 was downloaded with RETR (session 1), but this exercise asks you not to.",
        "      → RETR downloads the whole message with all its attachments. Start afresh and use TOP n 0 instead.",
        "  ✓ Your answer '5' is right.",
        "2 of 3 checks pass.",
    ]


def test_progress_counts_checks_and_keeps_the_first_success(run: Starter, cli: Cli, progress: Progress) -> None:
    running = run(find_exercise("01", EXERCISES))
    cli("check", "01")
    assert progress.entry("01").done is False
    seed(running)
    running.recorder.settle()
    assert cli("check", "01")[0] == 0
    first = progress.entry("01")
    assert (first.done, first.checks, first.last_failed) == (True, 2, ())
    assert first.first_done_at is not None
    cli("check", "01")
    assert progress.entry("01").first_done_at == first.first_done_at
    assert cli("list")[0] == 0
    listing = cli("list")[1]
    assert "✓ 01  The seed session" in listing
    assert "  02  Count messages and octets" in listing
    header, first_row = listing.splitlines()[:2]
    assert header.split() == ["exercise", "(✓", "done)", "points"]
    assert header.index("exercise") == first_row.index("The seed session")  # the columns line up
    assert header.rstrip().endswith("points") and first_row.rstrip().endswith("10")
    assert len(header.rstrip()) == len(first_row.rstrip())


def test_check_before_start_is_a_one_line_error(cli: Cli) -> None:
    with pytest.raises(CliError, match=r"^exercise 04 has not been started yet: run poplab exercise start 04$"):
        cli("check", "4")
    with pytest.raises(CliError, match=r"^no exercise '99' \(there are 01, 02"):
        cli("show", "99")


def test_hints_come_one_tier_at_a_time_then_repeat_the_last(cli: Cli) -> None:
    assert cli("hint", "06")[1] == (
        "Hint 1 of 2: There is a POP3 command that undoes every DELE of the session. Its name has four letters.\n"
    )
    assert cli("hint", "06", "--lang", "de")[1].startswith("Tipp 2 von 2: DELE 1, DELE 2, dann RSET, dann QUIT.")
    assert cli("hint", "06")[1].startswith("Hint 2 of 2: DELE 1, DELE 2, then RSET")
    assert cli("reset", "06")[1] == "Progress in exercise 06 forgotten. Start it again for a fresh mailbox.\n"
    assert cli("hint", "06")[1].startswith("Hint 1 of 2:")


def test_show_prints_the_task_with_the_account_and_the_checks(cli: Cli) -> None:
    code, text = cli("show", "delete-one", "--lang", "de", "--solution")
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == "Übung 05: Genau eine Nachricht löschen – und zwar endgültig"
    assert "Im Postfach von alice@example.com (Passwort wonderland, Port N) liegt eine Nachricht mit einer" in lines
    assert "  - deleted_and_committed (messages=(6,))" in lines
    assert "Starte sie mit: poplab exercise start 05" in lines
    assert lines[-3:] == ["TOP 6 0", "DELE {find:Subject: A header line longer than 998 characters}", "QUIT"]


@pytest.mark.parametrize("key", ["04", "05", "09"])
def test_show_gives_the_task_but_not_the_answer(cli: Cli, key: str) -> None:
    text = cli("show", key)[1]
    exercise = find_exercise(key, EXERCISES)
    checks = text.split(f"Checks ({exercise.points} points):\n", 1)[1].splitlines()
    assert checks[: len(exercise.checks)] == [f"  - {spec.name}" for spec in exercise.checks]
    assert "=" not in text.split("Checks (")[1]
    assert "messages=" not in text and "message=" not in text


def test_show_names_the_messages_of_a_students_own_variant(cli: Cli) -> None:
    exercise = find_exercise("04", EXERCISES)
    mine = make_variant(exercise, classroom_seed("anna-04", "s3cret"))
    text = cli("show", "04", "--account", "anna-04", "--password", "s3cret")[1]
    assert [line.strip() for line in text.splitlines() if line.startswith("    17")] == list(mine.uids[:4])
    assert "1704182400.M2P0Q2.poplab-demo" not in text
    text = cli("show", "09", "--account", "anna-09", "--password", "s3cret")[1]
    number = make_variant(find_exercise("09", EXERCISES), classroom_seed("anna-09", "s3cret")).served(7)
    assert f"Message {number} of anna-09 (password s3cret, port N) hides a line that" in text


def test_show_fills_in_a_students_own_login_for_class(cli: Cli) -> None:
    words = ["show", "11", "--account", "anna-11", "--password", "s3cret", "--host", "10.0.0.5", "--port", "1110"]
    text = cli(*words)[1]
    assert "brackets, like <1234.5678@example.com>, new for every connection. Log in as anna-11" in text
    assert "For example: printf '%s' '<1234.5678@example.com>s3cret' | md5sum" in text
    assert "Connect to port 1110; the digest only fits the greeting of the same connection." in text


def test_start_runs_a_server_until_terminated_and_check_sees_its_sessions(
    progress: Progress, cert_dir: Path, cli: Cli
) -> None:
    code = (
        "import argparse, sys\n"
        "from poplab.commands import exercise\n"
        "p = argparse.ArgumentParser(); exercise.register(p.add_subparsers())\n"
        "a = p.parse_args(sys.argv[1:]); sys.exit(a.run(a))\n"
    )
    env = {**os.environ, "POPLAB_DATA": str(cert_dir.parent), "POPLAB_LANG": "en"}
    words = ["exercise", "start", "01", "--progress", str(progress.dir.parent), "--learner", progress.dir.name]
    server = subprocess.Popen(
        [sys.executable, "-c", code, *words], stdout=subprocess.PIPE, text=True, env=env, cwd=Path.cwd()
    )
    try:
        assert server.stdout is not None
        banner = [server.stdout.readline()]
        while banner[-1] not in ("Press Ctrl-C to stop the server.\n", ""):
            banner.append(server.stdout.readline())
        assert banner[0] == "Exercise 01: The seed session\n"
        where = next(line for line in banner if line.startswith("POP3 on 127.0.0.1:"))
        port = int(where.split(":")[1].split()[0])
        assert "Account: wiki@example.com  Password: passwort_im_klartext\n" in banner
        client = poplib.POP3("127.0.0.1", port, timeout=10)
        client.user("wiki@example.com")
        client.pass_("passwort_im_klartext")
        run = progress.read_run("01")
        assert run is not None and str(run.info["seed"]).startswith("wiki@example.com/")
        served = make_variant(find_exercise("01", EXERCISES), run.info["seed"])
        assert client.stat() == (1, octets(served.data[0])) != (1, 236)
        client.quit()
        assert server.stdout.readline() == "Session 1 ended (quit): 2 of 6 checks pass.\n"
        code_, text = cli("check", "01")
        assert code_ == 1
        assert "  ✗ No STAT answered +OK yet." not in text
        assert "  ✗ Message 1 has not been deleted and committed yet." in text
    finally:
        server.send_signal(signal.SIGTERM)
        rest = server.communicate(timeout=10)[0]
    assert rest.endswith("Stopped. Check your work with: poplab exercise check 01\n")
    assert server.returncode == 0


def test_without_a_progress_directory_hints_still_come_one_tier_at_a_time(cert_dir: Path) -> None:
    with start(find_exercise("06", EXERCISES), listen(cert_dir)) as running:
        shown = [running.hint().render("en")[:12] for _ in range(3)]
    assert shown == ["Hint 1 of 2:", "Hint 2 of 2:", "Hint 2 of 2:"]
