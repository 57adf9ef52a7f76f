"""Another valid way: poplib's uidl(), comparing with the ids the task lists (given as POP_VALUES)."""

import json
import os
import poplib

values = json.loads(os.environ["POP_VALUES"])
known = {values[f"uid:{number}"] for number in range(1, 5)}
client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
_, listing, _ = client.uidl()
for line in listing:
    number, uid = line.decode().split()
    if uid not in known:
        client.retr(int(number))
client.quit()
