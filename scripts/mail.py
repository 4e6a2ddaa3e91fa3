"""Print the newest emails the local mail sink of `make run` received, as plain text.

Approval emails carry the approve / deny links; mail bodies are encoded on the wire, so
they are decoded here rather than read from the files.
"""

import mailbox
import sys
from email.message import Message
from pathlib import Path

MAILDIR = Path(__file__).resolve().parents[1] / ".stack" / "mail"


def plain_text(message: Message) -> str:
    """Return the decoded text/plain part of ``message``."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return ""


def main(count: int) -> None:
    """Write the newest ``count`` emails, oldest first, to standard output."""
    if not MAILDIR.exists():
        sys.exit(f"no mail yet in {MAILDIR} (is `make run` running?)")
    box = mailbox.Maildir(MAILDIR, create=False)
    newest = sorted(box, key=lambda m: m.get_date())[-count:]
    for message in newest:
        sys.stdout.write(f"=== {message['Subject']}\nTo: {message['To']}\n\n")
        sys.stdout.write(plain_text(message) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
