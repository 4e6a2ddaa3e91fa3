"""Remember the first answer to an ``Idempotency-Key``, in Redis."""

import abc
import json
from dataclasses import dataclass
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from elevate_shared.errors import Unavailable

log = structlog.get_logger(__name__)

#: How long a claim lives while its first request runs; a crashed request frees its key.
CLAIM_SECONDS = 60


@dataclass(frozen=True)
class Remembered:
    """What a key already stands for: the request's fingerprint and, once done, its answer."""

    fingerprint: str
    status: int | None = None
    body: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        """Tell whether the first request has answered."""
        return self.status is not None


class IdempotencyStore(abc.ABC):
    """Port: claim a key for one request, then remember its answer."""

    @abc.abstractmethod
    async def claim(self, key: str, fingerprint: str) -> Remembered | None:
        """Claim ``key``; return what it already stands for if another request has it."""

    @abc.abstractmethod
    async def remember(self, key: str, answer: Remembered) -> None:
        """Keep the finished answer for replays."""

    @abc.abstractmethod
    async def release(self, key: str) -> None:
        """Give up the claim, so a corrected request may use the key."""


class RedisIdempotencyStore(IdempotencyStore):
    """Keys live under ``elevate:idempotency:``; answers for ``ttl_seconds``."""

    def __init__(self, redis: "Redis", ttl_seconds: int) -> None:
        self._redis = redis
        self._ttl = ttl_seconds

    async def claim(self, key: str, fingerprint: str) -> Remembered | None:
        claim = json.dumps({"fingerprint": fingerprint})
        try:
            # SET NX is the lock: of two requests racing with one key, one wins.
            if await self._redis.set(_name(key), claim, nx=True, ex=CLAIM_SECONDS):
                return None
            stored = await self._redis.get(_name(key))
        except RedisError as error:
            raise _unavailable(error) from error
        if stored is None:  # the claim expired in between: claim it afresh
            return await self.claim(key, fingerprint)
        return Remembered(**json.loads(stored))

    async def remember(self, key: str, answer: Remembered) -> None:
        value = json.dumps(
            {"fingerprint": answer.fingerprint, "status": answer.status, "body": answer.body}
        )
        try:
            await self._redis.set(_name(key), value, ex=self._ttl)
        except RedisError as error:
            raise _unavailable(error) from error

    async def release(self, key: str) -> None:
        try:
            await self._redis.delete(_name(key))
        except RedisError as error:
            raise _unavailable(error) from error


def _name(key: str) -> str:
    return f"elevate:idempotency:{key}"


def _unavailable(error: RedisError) -> Unavailable:
    log.warning("idempotency_store_failed", error=repr(error))
    return Unavailable("the idempotency store did not answer; try again shortly")
