"""Another valid way: poplib, from the last message backwards, stopping at the first match."""

import os
import poplib

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
count, _ = client.stat()
for number in range(count, 0, -1):
    _, headers, _ = client.top(number, 0)
    if b"Subject: A picture as an attachment" in headers:
        print(number)
        break
client.quit()
