"""Another valid way: poplib's top() with enough lines for the whole body (poplib removes the stuffed dot)."""

import json
import os
import poplib

number = int(json.loads(os.environ["POP_VALUES"])["message:7"])
client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.user(os.environ["POP_ACCOUNT"])
client.pass_(os.environ["POP_PASSWORD"])
_, lines, _ = client.top(number, 100)
client.quit()
print(lines[lines.index(b"The hidden line follows:") + 1].decode())
