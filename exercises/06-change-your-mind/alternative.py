"""Another valid way: poplib, marking message 2 before message 1."""

import os
import poplib

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
client.dele(2)
client.dele(1)
client.rset()
client.quit()
