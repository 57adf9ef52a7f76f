"""Another valid way: Python's smtplib sends the mail (EHLO, MAIL, RCPT, DATA), poplib fetches and deletes it."""

import os
import poplib
import smtplib
from email.message import EmailMessage

host, account = os.environ["POP_HOST"], os.environ["POP_ACCOUNT"]
mail = EmailMessage()
mail["From"] = "alice@example.com"
mail["To"] = account
mail["Subject"] = "The journey of a mail"
mail.set_content("Hello Bob, sent with smtplib and fetched with poplib.")
with smtplib.SMTP(host, int(os.environ["SMTP_PORT"]), timeout=10) as smtp:
    smtp.send_message(mail)

client = poplib.POP3(host, int(os.environ["POP_PORT"]), timeout=10)
client.user(account)
client.pass_(os.environ["POP_PASSWORD"])
count, _ = client.stat()
_, lines, _ = client.retr(count)
assert lines[0].startswith(b"Received: "), lines[0]
client.dele(count)
client.quit()
