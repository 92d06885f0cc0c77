"""Prints the mail an SMTP test server (aiosmtpd's Mailbox handler) wrote to a Maildir as
JSON: [{"to", "subject", "body"}], decoded as a mail client would (Python's e-mail parser).
Usage: python3 read-mail.py <maildir>"""
import json
import mailbox
import os
import sys
from email import policy
from email.parser import BytesParser

out = []
root = sys.argv[1]
if os.path.isdir(os.path.join(root, "new")):
    for key in mailbox.Maildir(root, create=False).keys():
        with open(os.path.join(root, "new", key), "rb") as f:
            m = BytesParser(policy=policy.default).parse(f)
        out.append({"to": str(m["To"]), "subject": str(m["Subject"]), "body": m.get_content()})
print(json.dumps(out))
