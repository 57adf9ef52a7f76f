"""Another valid way: poplib, measuring every header line itself instead of trusting the subject."""

import os
import poplib

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
count, _ = client.stat()
for number in range(1, count + 1):
    _, headers, _ = client.top(number, 0)
    if any(len(line) > 998 for line in headers):
        client.dele(number)
client.quit()
