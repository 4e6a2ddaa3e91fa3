"""Helpers for the gateway's integration tests: a local OIDC issuer and the command log."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import uuid4

import jwt
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from litestar import Litestar
from litestar.testing import AsyncTestClient

from elevate_shared.topics import WORKFLOW_COMMANDS

Client = AsyncTestClient[Litestar]
#: Builds an app on the stack; keyword arguments override gateway or auth settings.
AppFactory = Callable[..., Litestar]

#: The approval routes read a task token key at start; tests that build apps give this one.
TASK_TOKEN_SECRET = "test-task-token-key-" + "0" * 32

ISSUER = "https://issuer.elevate.test"
AUDIENCE = "elevate-gateway"

#: Test API keys by name: (key, scopes).
API_KEYS = {
    "reader-bot": ("reader-key-" + uuid4().hex, ["elevate:read"]),
    "deploy-bot": ("deploy-key-" + uuid4().hex, ["elevate:request", "elevate:read"]),
    "ops-bot": ("ops-key-" + uuid4().hex, ["elevate:request", "elevate:read", "elevate:on-behalf"]),
}


def api_key(name: str) -> dict[str, str]:
    """Headers carrying the named test API key."""
    return {"X-API-Key": API_KEYS[name][0]}


class Issuer:
    """An OIDC issuer's signing side: an RSA key whose public half a JWKS URL serves."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid4().hex
        self.jwks_url = ""

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def token(self, subject: str, *, groups: tuple[str, ...] = (), **claims: Any) -> str:
        """Sign a token for ``subject``; ``claims`` override or (as None) remove claims."""
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": uuid4().hex,
            "email": subject,
            "email_verified": True,
            "groups": list(groups),
            "iat": now,
            "exp": now + 300,
        }
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": self.kid})


@contextmanager
def serving_jwks(issuer: Issuer) -> Iterator[str]:
    """Serve the issuer's JWKS on a local port; yield its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            payload = json.dumps(issuer.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: Any) -> None:  # keep test output quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


class CommandLog:
    """Reads what was published on the workflow commands topic between two points."""

    def __init__(self, bootstrap_servers: str) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers, enable_auto_commit=False, fetch_max_wait_ms=100
        )
        self._admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)

    async def start(self) -> None:
        await self._consumer.start()
        await self._admin.start()

    async def stop(self) -> None:
        await self._consumer.stop()
        await self._admin.close()

    async def mark(self) -> dict[TopicPartition, int]:
        """Return the topic's end offsets now."""
        partitions = await self._partitions()
        return await self._consumer.end_offsets(partitions) if partitions else {}

    async def since(self, mark: dict[TopicPartition, int]) -> list[dict[str, Any]]:
        """Return every command published after ``mark`` up to now, parsed."""
        partitions = await self._partitions()
        if not partitions:
            return []
        end = await self._consumer.end_offsets(partitions)
        self._consumer.assign(partitions)
        for partition in partitions:
            self._consumer.seek(partition, mark.get(partition, 0))
        found: list[dict[str, Any]] = []
        while await self._behind(end):
            batches = await self._consumer.getmany(timeout_ms=500)
            for partition, records in batches.items():
                found.extend(
                    json.loads(r.value) for r in records if r.offset < end[partition] and r.value
                )
        # An idle assignment keeps fetching in the background and slows the next look.
        self._consumer.pause(*partitions)
        return found

    async def _behind(self, end: dict[TopicPartition, int]) -> bool:
        positions = [await self._consumer.position(p) for p in end]
        return any(position < end[p] for position, p in zip(positions, end, strict=True))

    async def _partitions(self) -> list[TopicPartition]:
        # Asked afresh each time: the topic may have been created since the last look.
        [topic] = await self._admin.describe_topics([WORKFLOW_COMMANDS])
        numbers = sorted(p["partition"] for p in topic.get("partitions", []))
        return [TopicPartition(WORKFLOW_COMMANDS, n) for n in numbers]


class Published:
    """What one test's requests published, read after the fact."""

    def __init__(self, log: CommandLog, mark: dict[TopicPartition, int]) -> None:
        self._log = log
        self._mark = mark

    async def all(self) -> list[dict[str, Any]]:
        return await self._log.since(self._mark)

    async def for_workflow(self, workflow_id: str) -> list[dict[str, Any]]:
        return [c for c in await self.all() if c.get("workflow_id") == workflow_id]

    async def mentioning(self, text: str) -> list[dict[str, Any]]:
        return [c for c in await self.all() if text in str(c)]
