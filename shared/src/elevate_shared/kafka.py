"""Kafka plumbing shared by the services: broker, publishing, consuming, dead letters.

Delivery is at least once. A subscriber parses each record with its topic's adapter;
a record that cannot be parsed, or whose handler keeps failing, is published to the
dead-letter topic with the reason and then acknowledged, so one bad record never stops
a partition for good. Handlers are idempotent, so a redelivered record applies once.
"""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from pydantic import TypeAdapter, ValidationError
from tenacity import (
    AsyncRetrying,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from elevate_shared.dead_letters import describe_invalid, redacted_headers, redacted_payload
from elevate_shared.errors import ElevateError
from elevate_shared.logging import bind_correlation
from elevate_shared.messages import DeadLettered, Message
from elevate_shared.settings import KafkaSettings
from elevate_shared.topics import DEAD_LETTERS

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=Message)

#: Attempts at a handler before its record is dead-lettered. Transient failures (a
#: database failover) get a few seconds to heal; an error that repeats is the record's.
HANDLER_ATTEMPTS = 5


class PoisonMessage(Exception):
    """A parsed message that can never be applied; it goes to the dead-letter topic."""


def create_broker(settings: KafkaSettings, client_id: str) -> KafkaBroker:
    """Create a broker whose producer waits for the leader's and replicas' acks."""
    return KafkaBroker(
        settings.bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        logger=None,
    )


async def publish(broker: KafkaBroker, topic: str, message: Message) -> None:
    """Publish ``message`` keyed by its workflow, with the correlation id in its headers."""
    await broker.publish(
        message.model_dump(mode="json"),
        topic,
        key=message.partition_key,
        correlation_id=message.correlation_id,
        headers={"type": type(message).__name__, "correlation_id": message.correlation_id},
    )
    log.info(
        "message_published",
        topic=topic,
        type=type(message).__name__,
        event_id=str(message.event_id),
    )


def subscribe(
    broker: KafkaBroker,
    settings: KafkaSettings,
    *,
    topic: str,
    group_id: str,
    adapter: TypeAdapter[Any],
    handler: Callable[[Any], Awaitable[None]],
) -> None:
    """Register ``handler`` for parsed messages of ``topic`` in consumer group ``group_id``."""

    async def on_record(message: KafkaMessage) -> None:
        try:
            parsed = adapter.validate_json(message.body)
        except ValidationError as error:
            await dead_letter(broker, message, group_id, describe_invalid(error))
            return
        bind_correlation(parsed.correlation_id, parsed.workflow_id)
        await _handle(broker, message, group_id, handler, parsed)

    broker.subscriber(
        topic,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.ACK,
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=settings.heartbeat_interval_ms,
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
    )(on_record)


async def _handle(
    broker: KafkaBroker,
    message: KafkaMessage,
    group_id: str,
    handler: Callable[[Any], Awaitable[None]],
    parsed: Message,
) -> None:
    retrying = AsyncRetrying(
        stop=stop_after_attempt(HANDLER_ATTEMPTS),
        wait=wait_exponential(multiplier=0.2, max=5),
        retry=retry_if_not_exception_type((PoisonMessage, ElevateError)),
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt:
                await handler(parsed)
    except (PoisonMessage, ElevateError) as error:
        await dead_letter(broker, message, group_id, str(error))
    except Exception as error:
        log.exception("handler_failed", consumer=group_id, type=type(parsed).__name__)
        await dead_letter(broker, message, group_id, f"handler failed: {error!r}")


async def dead_letter(
    broker: KafkaBroker, message: KafkaMessage, consumer: str, reason: str
) -> None:
    """Keep a record that cannot be applied on the dead-letter topic, with the reason.

    Its secret fields are replaced first (see :mod:`elevate_shared.dead_letters`).
    """
    raw = message.raw_message
    key = getattr(raw, "key", None)
    record = DeadLettered(
        source_topic=getattr(raw, "topic", ""),
        source_partition=getattr(raw, "partition", None),
        source_offset=getattr(raw, "offset", None),
        source_key=key.decode("utf-8", errors="replace")[:256] if key else None,
        consumer=consumer,
        reason=reason[:2000],
        payload=redacted_payload(message.body),
        headers=redacted_headers(dict(message.headers or {})),
    )
    await publish(broker, DEAD_LETTERS, record)
    log.warning(
        "message_dead_lettered",
        consumer=consumer,
        topic=record.source_topic,
        offset=record.source_offset,
        reason=reason[:200],
    )
