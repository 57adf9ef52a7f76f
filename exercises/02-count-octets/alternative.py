"""Another valid way: poplib's LIST, whose status line names the count and the size as well."""

import os
import poplib
import re

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
status, _, _ = client.list()
client.quit()
count, octets = re.search(rb"(\d+) messages \((\d+) octets\)", status).groups()
print(count.decode(), octets.decode())
