"""Readiness probes: does each server the gateway needs answer right now?"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

log = structlog.get_logger(__name__)

#: How long one probe may take before its server counts as not answering.
PROBE_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Probe:
    """A named check that returns whether its server answered."""

    name: str
    check: Callable[[], Awaitable[bool]]

    async def run(self) -> bool:
        """Return whether the server answered in time."""
        try:
            return await asyncio.wait_for(self.check(), PROBE_TIMEOUT_SECONDS)
        except Exception as error:  # any failure to answer means not ready
            # The type says enough (timeout, refused connection); messages may carry URLs.
            log.warning("probe_failed", probe=self.name, error=type(error).__name__)
            return False


def kafka_probe(broker: KafkaBroker) -> Probe:
    """Probe Kafka by describing the cluster."""
    return Probe("kafka", lambda: broker.ping(timeout=PROBE_TIMEOUT_SECONDS))


def mongo_probe(client: AsyncMongoClient[dict[str, Any]]) -> Probe:
    """Probe MongoDB with its ``ping`` command."""

    async def ping() -> bool:
        await client.admin.command("ping")
        return True

    return Probe("mongodb", ping)


def redis_probe(redis: "Redis") -> Probe:
    """Probe Redis with ``PING``."""

    async def ping() -> bool:
        return bool(await redis.ping())

    return Probe("redis", ping)
