"""Another valid way: poplib, closing the socket of the first session without QUIT and looking with LIST."""

import os
import poplib
import time

host, port = os.environ["POP_HOST"], int(os.environ["POP_PORT"])
first = poplib.POP3(host, port, timeout=10)
first.user(os.environ["POP_ACCOUNT"])
first.pass_(os.environ["POP_PASSWORD"])
first.dele(1)
first.close()
for _ in range(100):  # the server notices the closed connection a moment later and unlocks the maildrop
    second = poplib.POP3(host, port, timeout=10)
    second.user(os.environ["POP_ACCOUNT"])
    try:
        second.pass_(os.environ["POP_PASSWORD"])
        break
    except poplib.error_proto:
        second.close()
        time.sleep(0.05)
_, listing, _ = second.list()
second.quit()
print(len(listing))
