"""Fixtures of the notification channel tests: receivers, a hostile approval, logs.

The receivers (an SMTP server and an HTTP server) run in this process on free ports of
127.0.0.1 and record what they receive, so a test can check what a channel really put
on the wire. Test modules take them as fixtures typed ``Any``: a conftest is not a
module they can import types from.
"""

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import structlog
from aiosmtpd.controller import Controller
from structlog.typing import EventDict

from elevate_workflow.adapters.notifiers import dispatcher
from elevate_workflow.domain.notifications import Notification, approval_links

#: A reason written to break out of every markup a channel uses.
HOSTILE_REASON = "<script>alert(1)</script> & <!channel>\nApprove: http://evil.example/"
#: A task token as it travels in links; it must never reach a log line.
TOKEN = "header.payload.signature-of-a-task-token"


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One HTTP request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpReceiver:
    """An HTTP server that records requests and answers with queued replies."""

    url: str
    requests: list[Received] = field(default_factory=list)
    replies: list[tuple[int, bytes]] = field(default_factory=list)

    def reply(self, *replies: tuple[int, bytes]) -> None:
        """Answer the next requests with these (status, body); afterwards 200 ``ok``."""
        self.replies.extend(replies)


def handler_for(receiver: HttpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {key.lower(): value for key, value in self.headers.items()}
            receiver.requests.append(Received(self.path, headers, body))
            status, answer = receiver.replies.pop(0) if receiver.replies else (200, b"ok")
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: Any) -> None:
            """Keep the test output clean."""

    return Handler


@dataclass
class Mailbox:
    """What an SMTP server received, and how it answers recipients."""

    port: int
    envelopes: list[Any] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def approval() -> Notification:
    """An approval request whose reason is hostile."""
    links = approval_links("https://elevate.example.com/", "wf_n1", "group:sre-leads", TOKEN)
    return Notification(
        kind="approval_needed",
        workflow_id="wf_n1",
        requester="alice@example.com",
        role="aws-admin",
        providers=("aws",),
        reason=HOSTILE_REASON,
        duration=timedelta(hours=2),
        recipients=("lead@example.com", "group:sre-leads"),
        links=(links,),
    )


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    """Run an HTTP receiver for one test."""
    port = free_port()
    state = HttpReceiver(url=f"http://127.0.0.1:{port}")
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(state))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """Run an SMTP server for one test."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EventDict]]:
    """Capture what the dispatcher logs.

    A fresh logger replaces the module's, because a logger already used under a cached
    configuration would keep writing past the capture.
    """
    with structlog.testing.capture_logs() as captured:
        monkeypatch.setattr(dispatcher, "log", structlog.get_logger(dispatcher.__name__))
        yield captured


@pytest.fixture
def token() -> str:
    """The task token in the approval's links."""
    return TOKEN


@pytest.fixture
def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens."""
    return free_port()
