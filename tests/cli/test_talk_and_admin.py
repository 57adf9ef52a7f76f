"""``poplab talk`` fed from a script, and the administration commands with their one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def poplab(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "poplab", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60, env={"NO_COLOR": "1"})


def test_talk_explains_every_line_of_a_scripted_session() -> None:
    script = "USER wiki@example.com\nPASS passwort_im_klartext\nSTAT\nDELE 1\nQUIT\n"
    result = poplab("talk", "--lang", "en", stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "  1  S: +OK example.com POP3-Server\n" in out
    assert "  4  C: PASS [redacted]\n" in out  # the password never appears
    assert "passwort_im_klartext" not in out
    assert "  7  S: +OK 1 236\n" in out
    assert "AUTHORIZATION → TRANSACTION" in out and "TRANSACTION → UPDATE" in out


def test_talk_in_german_and_a_dropped_session() -> None:
    result = poplab("talk", "--lang", "de", stdin="USER wiki@example.com\nPASS passwort_im_klartext\nDELE 1\n")
    assert result.returncode == 0, result.stderr
    assert "Begrüßung · AUTHORIZATION · RFC 1939 §4" in result.stdout
    assert "QUIT" in result.stdout.split("DELE 1")[-1]  # the lost deletion is pointed out, naming QUIT


def test_talk_to_nowhere_is_one_clear_line() -> None:
    result = poplab("talk", "127.0.0.1", "1")
    assert result.returncode == 2
    assert result.stderr.startswith("poplab: error: cannot connect to 127.0.0.1:1: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_accounts_list_filter_add_set_remove_and_deliver(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    listing = poplab("accounts", "--data", data, "--pop-enabled", "false")
    assert listing.stdout.splitlines() == [
        "Name               PopEnabled  Messages  Octets",
        "carol@example.com  False              1     553",
    ]
    assert poplab("accounts", "add", "eve@example.com", "--password", "pw", "--data", data).returncode == 0
    message = tmp_path / "hello.eml"
    message.write_bytes(b"Subject: hello\n\nhi\n")
    delivered = poplab("deliver", "eve@example.com", str(message), "--data", data)
    assert delivered.stdout.startswith(f"poplab: {message} delivered to eve@example.com (UID ")
    assert poplab("accounts", "set", "eve@example.com", "--pop-enabled", "false", "--data", data).stdout == (
        "poplab: eve@example.com: PopEnabled = False\n"
    )
    assert "eve@example.com    False              1      22" in poplab("accounts", "--data", data).stdout
    assert poplab("accounts", "remove", "eve@example.com", "--data", data).returncode == 0
    assert "eve@" not in poplab("accounts", "--data", data).stdout


def test_admin_errors_are_one_line(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    junk = tmp_path / "junk.eml"
    junk.write_bytes(b"just text\n")
    cases = {
        ("accounts", "add", "x y", "--password", "p"): "poplab: error: invalid account name 'x y': it must not "
        "contain spaces",
        ("accounts", "set", "nobody", "--pop-enabled", "true"): "poplab: error: no account 'nobody'",
        ("deliver", "wiki@example.com", str(junk)): f"poplab: error: {junk}: not a mail message: header line 1 "
        "is not 'Name: value': 'just text'",
        ("deliver", "wiki@example.com", str(tmp_path / "missing.eml")): f"poplab: error: {tmp_path}/missing.eml: "
        "No such file or directory",
    }
    for args, expected in cases.items():
        result = poplab(*args, "--data", data)
        assert (result.returncode, result.stderr) == (2, expected + "\n")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "accounts.toml").write_text("broken [\n")
    result = poplab("accounts", "--data", str(bad))
    assert result.stderr.startswith(f"poplab: error: {bad}/accounts.toml: not valid TOML")


def test_talk_over_implicit_tls_shows_the_certificate() -> None:
    result = poplab("talk", "--tls", "--lang", "en", stdin="QUIT\n")
    assert result.returncode == 0, result.stderr
    assert "poplab: TLS certificate: CN=localhost,O=poplab teaching server (self-signed); names: localhost, " in (
        result.stdout
    )
    assert "greeting · AUTHORIZATION · RFC 1939 §4 · TLS" in result.stdout


def test_out_of_range_numbers_and_broken_folders_are_one_line(tmp_path: Path) -> None:
    cases = {
        ("serve", "--port", "99999"): "argument --port: '99999' is not a port from 0 to 65535",
        ("serve", "--autologout", "nan"): "argument --autologout: 'nan' is not a number of seconds (0 or more)",
        ("talk", "127.0.0.1", "70000"): "argument PORT: '70000' is not a port from 0 to 65535",
    }
    for args, expected in cases.items():
        result = poplab(*args)
        assert result.returncode == 2 and result.stderr.strip().splitlines()[-1].endswith(expected)
    data = tmp_path / "data"
    assert poplab("reset", "--data", str(data)).returncode == 0
    (data / "mail" / "bob@example.com" / "new").rmdir()
    (data / "mail" / "bob@example.com" / "new").write_text("not a folder")
    result = poplab("accounts", "--data", str(data))
    assert (result.returncode, result.stderr) == (
        2,
        f"poplab: error: {data}/mail/bob@example.com/new: Not a directory\n",
    )


def test_a_foreign_folder_is_not_filled_with_demo_data(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("mine")
    result = poplab("accounts", "--data", str(tmp_path))
    assert (result.returncode, result.stderr) == (
        2,
        f"poplab: error: {tmp_path}: not a poplab data directory (no accounts.toml, and it holds 'thesis.tex'); "
        "give a new or empty directory\n",
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["thesis.tex"]
    (tmp_path / "thesis.tex").unlink()
    (tmp_path / "tls").mkdir()  # what the tutor keeps there is fine
    assert poplab("accounts", "--data", str(tmp_path)).returncode == 0
