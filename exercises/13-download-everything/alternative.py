"""Another valid way: poplib over implicit TLS (POP3S), numbers from LIST, each message saved to a file."""

import os
import poplib
import ssl
import tempfile
from pathlib import Path

context = ssl._create_unverified_context()
client = poplib.POP3_SSL(os.environ["POP_HOST"], int(os.environ["POP_TLS_PORT"]), context=context, timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
_, listing, _ = client.list()
with tempfile.TemporaryDirectory() as folder:
    for line in listing:
        number = int(line.split()[0])
        _, lines, _ = client.retr(number)
        Path(folder, f"{number}.eml").write_bytes(b"\r\n".join(lines) + b"\r\n")
client.quit()
