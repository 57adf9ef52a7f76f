"""Lesson 10's tools: the lab's sessions captured as ``poplab serve --capture`` does (one pcap per session, the
key log beside them), read as an eavesdropper (plain: every byte; TLS: records only) and decrypted with the key
log to the exact bytes the client sent and the server's replies (STLS: the plain start kept); the checks 10-1/10-2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.notebook import Lab, check
from poplab.notebook.lab_capture import CannotDecrypt, LabCapture, decrypt_with_keys, what_each_side_sent

SENT = b"USER wiki@example.com\r\nPASS passwort_im_klartext\r\nRETR 1\r\nQUIT\r\n"


@pytest.fixture(scope="module")
def captured() -> Iterator[tuple[Lab, LabCapture, list[Path]]]:
    with Lab(lang="en") as lab:
        capture = LabCapture(lab)
        for tls in (False, "stls", True):
            s = lab.session("wiki@example.com", tls=tls)
            s.send("RETR 1")
            s.quit()
        files = capture.files()
        capture.stop()
        yield lab, capture, files


def test_one_private_pcap_per_session_and_a_private_key_log(captured: tuple[Lab, LabCapture, list[Path]]) -> None:
    _, capture, files = captured
    assert [path.name.split("-")[:2] for path in files] == [
        ["session", "0001"],
        ["session", "0002"],
        ["session", "0003"],
    ]
    assert {path.stat().st_mode & 0o777 for path in [*files, capture.keylog]} == {0o600}
    lines = [line for line in capture.keylog.read_text().splitlines() if not line.startswith("#")]
    labels = sorted({line.split()[0] for line in lines})
    assert labels == [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_TRAFFIC_SECRET_0",
    ]
    assert len(lines) == 10  # five per TLS connection, two connections


def test_the_eavesdropper_reads_plain_text_and_only_records_under_tls(
    captured: tuple[Lab, LabCapture, list[Path]],
) -> None:
    _, _, (plain, stls, tls) = captured
    assert what_each_side_sent(plain)["client"] == SENT
    assert what_each_side_sent(plain)["server"].startswith(b"+OK example.com POP3-Server\r\n")
    assert what_each_side_sent(stls)["client"].startswith(b"STLS\r\n\x16\x03\x01")
    for path in (stls, tls):
        seen = what_each_side_sent(path)
        assert b"passwort" not in seen["client"] and b"Subject:" not in seen["server"]
    with pytest.raises(CannotDecrypt, match="there is no TLS in this capture"):
        decrypt_with_keys(plain, captured[1].keylog)


def test_the_key_log_opens_both_tls_sessions(captured: tuple[Lab, LabCapture, list[Path]]) -> None:
    _, capture, (plain, stls, tls) = captured
    plain_server = what_each_side_sent(plain)["server"]
    assert decrypt_with_keys(tls, capture.keylog) == {"client": SENT, "server": plain_server}
    opened = decrypt_with_keys(stls, capture.keylog)
    assert opened["client"] == b"STLS\r\n" + SENT
    assert opened["server"].startswith(b"+OK example.com POP3-Server\r\n+OK Begin TLS negotiation")
    assert opened["server"].endswith(plain_server[len(b"+OK example.com POP3-Server\r\n") :])


def test_a_key_log_without_the_connection_opens_nothing(
    captured: tuple[Lab, LabCapture, list[Path]], tmp_path: Path
) -> None:
    _, capture, (_, _, tls) = captured
    other = tmp_path / "other.log"
    other.write_text("CLIENT_TRAFFIC_SECRET_0 " + "00" * 32 + " " + "11" * 48 + "\n")
    with pytest.raises(CannotDecrypt, match="no keys for this connection"):
        decrypt_with_keys(tls, other)
    wrong = tmp_path / "wrong.log"
    lines = [line for line in capture.keylog.read_text().splitlines() if not line.startswith("#")]
    wrong.write_text("".join(line[:-8] + "00000000\n" for line in lines))
    with pytest.raises(CannotDecrypt, match="these keys do not open"):
        decrypt_with_keys(tls, wrong)


@pytest.mark.parametrize(
    ("task", "name", "right", "wrong"),
    [("10-1", "password", b"passwort_im_klartext\r\n", "wiki@example.com"), ("10-2", "subject", "Test-E-Mail", "Dies")],
)
def test_the_lesson_checks(lab: Lab, task: str, name: str, right: object, wrong: object) -> None:
    assert check(task, namespace={"lab": lab, name: right}).outcome.passed
    again = check(task, namespace={"lab": lab, name: wrong})
    assert not again.outcome.passed and again.outcome.hint
    assert not check(task, namespace={"lab": lab, name: 42}).outcome.passed
