"""Named limits, each with the sentence it comes from."""

from __future__ import annotations

from poplab.protocol import rfc

MAX_COMMAND_LINE = 255
"""RFC 2449 §4: "the maximum length of a command line is 255 octets, including the terminating CRLF"."""

MAX_ARGUMENT = 40
"""RFC 2449 §4: "Each argument may be up to 40 characters long"."""

MAX_UID_LENGTH = 70
"""RFC 1939 §7 (UIDL): "The unique-id of a message ... consists of one to 70 characters in the range 0x21 to
0x7E"."""

MIN_AUTOLOGOUT_SECONDS = 600
"""RFC 1939 §3: "Such a timer MUST be of at least 10 minutes' duration"."""

MAX_BAD_COMMANDS_BEFORE_LOGIN = 3
"""Dovecot closes a login after 3 bad commands (no RFC sets a number)."""

MAX_BAD_COMMANDS_AFTER_LOGIN = 20
"""Dovecot's CLIENT_MAX_BAD_COMMANDS: 20 bad commands in a row close a logged-in session."""

REFERENCES = {
    "MAX_COMMAND_LINE": rfc.LINE_LENGTH,
    "MAX_ARGUMENT": rfc.LINE_LENGTH,
    "MAX_UID_LENGTH": rfc.UIDL,
    "MIN_AUTOLOGOUT_SECONDS": rfc.BASIC_OPERATION,
}
