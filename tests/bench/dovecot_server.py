"""Dovecot for the comparison script (``compare_dovecot.py``): installed from Debian when missing, configured in a
temporary directory with nothing from ``/etc/dovecot``, started in the foreground as a child process.

The configuration (written by :func:`write_config`, kept beside the run in ``dovecot.conf``):

- ``base_dir``, ``state_dir``, the log file and the instance name inside the temporary directory, so a system
  Dovecot (if any) and this one never meet; ``protocols = pop3``, listening on one loopback port, no TLS;
- clear-text logins: ``disable_plaintext_auth = no``, ``login_trusted_networks = 127.0.0.0/8``, mechanism PLAIN;
- ``service pop3-login { service_count = 0; process_min_avail = <cores> }``: Dovecot's high-performance login
  mode (long-lived login processes, each serving many connections), as its performance-tuning page describes;
  the POP3 process after login stays at Dovecot's default (one new process per session), unless ``--reuse-pop3``;
- a ``passwd-file`` passdb and userdb (``{PLAIN}`` passwords, every user mapped to uid/gid ``nobody``), and
  ``mail_location = maildir:<tmp>/mail/%u``.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

PACKAGES = ("dovecot-core", "dovecot-pop3d")
MAIL_UID = 65534
"""``nobody``: Dovecot refuses to run mail processes as root (and below ``first_valid_uid`` = 500)."""
MAIL_GID = 65534


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (str(p) for p in (Path("/usr/sbin/dovecot"), Path("/usr/local/sbin/dovecot")) if p.exists()), None
    )


def ensure_installed(log: Callable[[str], None]) -> str:
    """The path of the ``dovecot`` binary, installing the Debian packages first if it is missing (needs root)."""
    found = dovecot_binary()
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit(f"Dovecot is missing; install {' '.join(PACKAGES)} (as root: apt-get install ...)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log(f"Dovecot is missing: apt-get update; apt-get install {' '.join(PACKAGES)} ...")
    for command in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *PACKAGES],
    ):
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, timeout=600)
    found = dovecot_binary()
    if not found:
        raise SystemExit("apt-get installed Dovecot, but no dovecot binary was found")
    return found


def version(binary: str) -> str:
    return subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()


def passwd_line(user: str, password: str) -> str:
    """One passwd-file line: user:{PLAIN}password:uid:gid::home:: (home unused: mail_location is absolute)."""
    return f"{user}:{{PLAIN}}{password}:{MAIL_UID}:{MAIL_GID}::::"


def write_config(root: Path, port: int, users: list[tuple[str, str]], reuse_pop3: bool = False) -> Path:
    """Write ``root/dovecot.conf`` and ``root/passwd`` for ``users`` (name, password); the Maildirs are expected
    under ``root/mail/<name>``. Returns the configuration file."""
    (root / "passwd").write_text("".join(passwd_line(u, p) + "\n" for u, p in users))
    (root / "passwd").chmod(0o644)
    pop3_service = f"service pop3 {{\n  service_count = 0\n  process_min_avail = {os.cpu_count() or 1}\n}}\n"
    conf = f"""\
# written by tests/bench/dovecot_server.py: nothing from /etc/dovecot is read
instance_name = poplab-bench-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
login_trusted_networks = 127.0.0.0/8
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener pop3s {{
    port = 0
  }}
  service_count = 0
  process_min_avail = {os.cpu_count() or 1}
}}
{pop3_service if reuse_pop3 else ""}"""
    (root / "run").mkdir(exist_ok=True)
    (root / "state").mkdir(exist_ok=True)
    path = root / "dovecot.conf"
    path.write_text(conf)
    path.chmod(0o644)
    return path


def die_with_parent() -> None:
    """In the child before exec: SIGTERM when the process that started it dies (Linux prctl PR_SET_PDEATHSIG), so
    no server outlives the comparison even if it is killed with SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM, 0, 0, 0)


def start(binary: str, config: Path) -> subprocess.Popen[bytes]:
    """``dovecot -F -c CONFIG`` in its own session (a Ctrl-C in the terminal reaches only the comparison script,
    which then stops it); its own stdout/stderr go to ``startup.log`` beside the config."""
    out = (config.parent / "startup.log").open("wb")
    try:
        return subprocess.Popen(
            [binary, "-F", "-c", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
    finally:
        out.close()
