"""The OpenAI engine against a local chat-completions server: the real client code path.

The server below speaks the OpenAI chat-completions protocol on 127.0.0.1 and answers
from a script, so request building, retries, timeouts and parsing take their real path.
"""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from elevate_advisor.adapters.openai_engine import OpenAIEngine
from elevate_advisor.domain.engine import EngineFailed
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.eval.files import read_catalogue
from elevate_advisor.settings import LlmSettings


@dataclass
class Reply:
    """One scripted answer: the assistant's content (or a raw body), status and delay."""

    content: str | None = None
    status: int = 200
    delay: float = 0.0
    refusal: str | None = None
    body: dict[str, Any] | None = None


@dataclass
class Received:
    """A request the server got."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ChatServer:
    """Scripted replies, used in order; the last one repeats."""

    url: str = ""
    script: list[Reply] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def next_reply(self) -> Reply:
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]


def completion(reply: Reply, model: str) -> dict[str, Any]:
    if reply.body is not None:
        return reply.body
    message = {"role": "assistant", "content": reply.content, "refusal": reply.refusal}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.received.append(Received(self.path, headers, body))
            reply = server.next_reply()
            time.sleep(reply.delay)
            if reply.status != 200:
                payload = {"error": {"message": "scripted failure", "type": "server_error"}}
            else:
                payload = completion(reply, body.get("model", ""))
            self._send(reply.status, json.dumps(payload).encode())

        def _send(self, status: int, data: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on a slow answer, as the test wants

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep test output quiet

    return Handler


@contextmanager
def serving_chat() -> Iterator[ChatServer]:
    """Run a chat-completions server on 127.0.0.1 at a free port."""
    state = ChatServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with serving_chat() as server:
        yield server


CATALOGUE = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "catalogue.yaml"
NOW = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
KEY = "sk-test-never-logged-0123456789"
REASON = "check the EC2 instances in production for the CPU alert, password hunter2"


@pytest.fixture(scope="module")
def roles() -> list[RoleProfile]:
    if not CATALOGUE.exists():
        pytest.skip(f"no evaluation catalogue at {CATALOGUE}")
    wanted = {"aws-ec2-read-only", "aws-ec2-operator", "aws-s3-read-only"}
    return [role for role in read_catalogue(CATALOGUE) if role.name in wanted]


def engine(chat: ChatServer, **settings: object) -> OpenAIEngine:
    defaults: dict[str, object] = {
        "base_url": chat.url,
        "model": "test-model",
        "api_key": KEY,
        "timeout_s": 2.0,
        "max_retries": 0,
        "deadline_s": 5.0,
    }
    return OpenAIEngine(LlmSettings(**{**defaults, **settings}))  # type: ignore[arg-type]


def answer(role: str | None, duration: str = "PT2H", providers: tuple[str, ...] = ("aws",)) -> str:
    suggestion: dict[str, object] = {"role": role}
    if role is not None:
        suggestion |= {"providers": list(providers), "duration": duration}
    return json.dumps(
        {"suggestion": suggestion, "alternatives": ["aws-ec2-operator"], "rationale": "reads"}
    )


async def test_a_valid_answer_becomes_the_suggestion(
    chat: ChatServer, roles: list[RoleProfile]
) -> None:
    chat.script = [Reply(content=answer("aws-ec2-read-only"))]

    suggestion = await engine(chat).suggest(REASON, roles, NOW)

    assert suggestion.role == "aws-ec2-read-only"
    assert suggestion.duration == timedelta(hours=2)
    assert suggestion.providers == ("aws",)
    assert suggestion.alternatives == ("aws-ec2-operator",)


async def test_the_request_carries_a_strict_schema_of_the_eligible_roles_only(
    chat: ChatServer, roles: list[RoleProfile]
) -> None:
    chat.script = [Reply(content=answer("aws-ec2-read-only"))]

    await engine(chat).suggest(REASON, roles, NOW)

    sent = chat.received[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.body["model"] == "test-model"
    spec = sent.body["response_format"]
    assert spec["type"] == "json_schema"
    assert spec["json_schema"]["strict"] is True
    branches = spec["json_schema"]["schema"]["properties"]["suggestion"]["anyOf"]
    offered = [b["properties"]["role"].get("enum", [None])[0] for b in branches]
    assert offered == [role.name for role in roles] + [None]
    operator = branches[[r.name for r in roles].index("aws-ec2-operator")]
    assert operator["properties"]["duration"]["enum"][-1] == "PT4H"


async def test_a_no_fit_answer_is_no_suggestion(chat: ChatServer, roles: list[RoleProfile]) -> None:
    chat.script = [Reply(content=answer(None))]

    suggestion = await engine(chat).suggest(REASON, roles, NOW)

    assert suggestion.role is None


@pytest.mark.parametrize(
    "content",
    [
        "Sure! The best role is aws-ec2-read-only.",
        '{"suggestion": {"role": "aws-ec2-read-only"}',
        json.dumps({"role": "aws-ec2-read-only"}),
        "",
    ],
)
async def test_a_malformed_answer_fails(
    chat: ChatServer, roles: list[RoleProfile], content: str
) -> None:
    chat.script = [Reply(content=content)]

    with pytest.raises(EngineFailed):
        await engine(chat).suggest(REASON, roles, NOW)


@pytest.mark.parametrize(
    "content",
    [
        answer("aws-admin"),
        answer("aws-ec2-read-only", providers=("gcp",)),
        answer("aws-ec2-read-only", duration="P7D"),
    ],
)
async def test_an_answer_outside_the_catalogue_or_its_bounds_fails(
    chat: ChatServer, roles: list[RoleProfile], content: str
) -> None:
    chat.script = [Reply(content=content)]

    with pytest.raises(EngineFailed):
        await engine(chat).suggest(REASON, roles, NOW)


async def test_a_refusal_fails(chat: ChatServer, roles: list[RoleProfile]) -> None:
    chat.script = [Reply(content=None, refusal="I cannot help with that")]

    with pytest.raises(EngineFailed):
        await engine(chat).suggest(REASON, roles, NOW)


async def test_a_slow_answer_is_abandoned(chat: ChatServer, roles: list[RoleProfile]) -> None:
    chat.script = [Reply(content=answer("aws-ec2-read-only"), delay=3.0)]

    with pytest.raises(EngineFailed):
        await engine(chat, timeout_s=0.5, deadline_s=1.0).suggest(REASON, roles, NOW)


async def test_a_server_error_is_retried(chat: ChatServer, roles: list[RoleProfile]) -> None:
    chat.script = [Reply(status=503), Reply(content=answer("aws-ec2-read-only"))]

    suggestion = await engine(chat, max_retries=2).suggest(REASON, roles, NOW)

    assert suggestion.role == "aws-ec2-read-only"
    assert len(chat.received) == 2


async def test_an_error_that_persists_fails_after_the_retries(
    chat: ChatServer, roles: list[RoleProfile]
) -> None:
    chat.script = [Reply(status=500)]

    with pytest.raises(EngineFailed):
        await engine(chat, max_retries=1).suggest(REASON, roles, NOW)

    assert len(chat.received) == 2


async def test_neither_the_key_nor_the_reason_reaches_the_logs(
    chat: ChatServer, roles: list[RoleProfile]
) -> None:
    chat.script = [Reply(status=500), Reply(content="garbage"), Reply(content=answer("aws-admin"))]
    subject = engine(chat, max_retries=0)

    with capture_logs() as logs:
        for _ in range(3):
            with pytest.raises(EngineFailed):
                await subject.suggest(REASON, roles, NOW)

    written = json.dumps(logs, default=str)
    assert logs
    assert KEY not in written
    assert "hunter2" not in written
    assert "CPU alert" not in written
