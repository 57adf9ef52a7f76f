"""Another valid way: poplib, the last message's number taken from STAT."""

import os
import poplib

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
count, _ = client.stat()
client.retr(count)
client.dele(count)
client.quit()
