"""Another valid way: poplib, LIST before STAT."""

import os
import poplib

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
client.list()
client.stat()
client.retr(1)
client.dele(1)
client.quit()
