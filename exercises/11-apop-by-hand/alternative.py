"""Another valid way: poplib's apop(), which takes the timestamp from the greeting itself."""

import os
import poplib

client = poplib.POP3(os.environ["POP_HOST"], int(os.environ["POP_PORT"]), timeout=10)
client.apop(os.environ["POP_ACCOUNT"], os.environ["POP_SECRET"])
client.quit()
