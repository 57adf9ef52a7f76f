"""Confining a browser visitor's tutor process with the kernel: Linux Landlock (since 5.13) lets an unprivileged
process give up rights for itself and its children. A visitor's tutor may then write only beneath its own visitor
directory (and ``/dev/null``) and execute no program at all — so nothing the page can make the tutor do (its
``/export FILE`` command, Textual's screenshot, a future feature) reaches the rest of the machine's files or a shell.
Plus resource limits: address space, open files, no core dumps.

Reading stays allowed (Python needs its libraries). The system calls are made with ``ctypes``; where the kernel has
no Landlock, :func:`confine` says so and the caller decides (``poplab web`` refuses to start unless told
``--no-sandbox``)."""

from __future__ import annotations

import ctypes
import os
import platform
import resource
from pathlib import Path

# linux/landlock.h — the syscall numbers are the same on x86_64 and aarch64 (the generic table).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1 << 0
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3

WRITES = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_CHAR | MAKE_DIR | MAKE_REG | MAKE_SOCK | MAKE_FIFO
WRITES |= MAKE_BLOCK | MAKE_SYM
ADDRESS_SPACE = 2 * 1024**3
"""A visitor's tutor may map 2 GiB (it uses about 80 MB); a runaway one fails alone."""
OPEN_FILES = 256


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 where there is none (not Linux, too old, or switched off)."""
    if platform.system() != "Linux":
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    version = libc.syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(int(version), 0)


def confine(writable: Path) -> int:
    """Give up, for this process and its children, every right to write outside ``writable`` and to execute any
    file; set resource limits. Returns the Landlock ABI used (0: limits only, the kernel has no Landlock)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    abi = landlock_abi()
    if abi == 0:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    writes = WRITES | (REFER if abi >= 2 else 0) | (TRUNCATE if abi >= 3 else 0)
    attr = _RulesetAttr(handled_access_fs=writes | EXECUTE)
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), 0)
    _check(ruleset, "landlock_create_ruleset")
    try:
        _allow(libc, ruleset, writable, writes)
        _allow(libc, ruleset, Path(os.devnull), WRITE_FILE | (TRUNCATE if abi >= 3 else 0))
        _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
        _check(libc.syscall(SYS_RESTRICT_SELF, ruleset, 0), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _allow(libc: ctypes.CDLL, ruleset: int, path: Path, access: int) -> None:
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneathAttr(allowed_access=access, parent_fd=fd)
        _check(libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0), f"landlock {path}")
    finally:
        os.close(fd)


def _check(result: int, what: str) -> None:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")
