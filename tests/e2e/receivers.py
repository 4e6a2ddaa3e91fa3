"""Local receivers for what the workflow sends out: an SMTP server and a webhook endpoint.

Their addresses are the ones the test catalogue's channels name (tests/catalogue).
"""

import email
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

SMTP_PORT = 12525
WEBHOOK_PORT = 18088


@dataclass
class Inbox:
    """Every email the SMTP server accepted, parsed."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def texts(self, subject_part: str) -> list[str]:
        """Return the plain-text bodies of the emails whose subject contains ``subject_part``."""
        found = []
        for message in list(self.messages):
            if subject_part not in str(message["Subject"]):
                continue
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    payload = part.get_payload(decode=True)
                    assert isinstance(payload, bytes)
                    found.append(payload.decode())
        return found


@dataclass
class Hooks:
    """Every webhook delivery: its headers and raw body."""

    deliveries: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def bodies(self, workflow_id: str) -> list[tuple[dict[str, str], bytes]]:
        """Return the deliveries about ``workflow_id``."""
        return [(h, b) for h, b in list(self.deliveries) if workflow_id in json.loads(b).values()]


@contextmanager
def smtp_inbox() -> Iterator[Inbox]:
    """Run an SMTP server on the test catalogue's port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextmanager
def webhook_receiver() -> Iterator[Hooks]:
    """Run an HTTP server that records POSTs, on the test catalogue's port."""
    hooks = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hooks.deliveries.append((dict(self.headers.items()), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", WEBHOOK_PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()
