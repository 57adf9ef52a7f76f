"""Another valid way: poplib; the first session is simply closed (the terminal closed), never QUIT."""

import os
import poplib
import re

host, port = os.environ["POP_HOST"], int(os.environ["POP_PORT"])
first = poplib.POP3(host, port, timeout=10)
first.user(os.environ["POP_ACCOUNT"])
first.pass_(os.environ["POP_PASSWORD"])
second = poplib.POP3(host, port, timeout=10)
second.user(os.environ["POP_ACCOUNT"])
try:
    second.pass_(os.environ["POP_PASSWORD"])
except poplib.error_proto as refused:
    print(re.search(r"\[([A-Z/-]+)\]", str(refused.args[0])).group(1))
second.close()
first.close()
