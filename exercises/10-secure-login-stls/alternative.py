"""Another valid way: poplib's stls() (without CAPA first)."""

import os
import poplib
import ssl

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.stls(ssl._create_unverified_context())
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
client.stat()
client.quit()
