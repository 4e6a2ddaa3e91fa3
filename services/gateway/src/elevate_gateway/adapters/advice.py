"""Ask the advisor for a role suggestion and wait for its answer, over Kafka.

FastStream's request-reply works only with its in-memory test client, so the gateway
has its own: each replica owns a reply topic ``elevate.advice.results.<replica-id>``
that it alone reads, with no consumer group (no rebalance to wait for, every partition
assigned, starting from the end). A ``SuggestRole`` names that topic in ``reply_to``;
the advisor's ``RoleSuggested`` carries the request's ``event_id`` back, and a background
task resolves the future waiting under that id. An answer that arrives after its request
gave up finds no future and is dropped.
"""

import abc
import asyncio
import re
import socket
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from elevate_gateway.adapters.probes import Probe
from elevate_shared.errors import Unavailable
from elevate_shared.kafka import create_broker, publish
from elevate_shared.messages import RoleSuggested, SuggestRole
from elevate_shared.settings import KafkaSettings
from elevate_shared.topics import ADVICE_REQUESTS, ADVICE_RESULTS, advice_result_adapter

log = structlog.get_logger(__name__)

#: Kafka's error code for a topic that already exists.
_TOPIC_EXISTS = 36
#: Seconds the reply loop pauses after an error before reading again.
RETRY_SECONDS = 1.0


def _default_replica_id() -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", socket.gethostname())[:100] or "gateway"


class AdviceSettings(BaseSettings):
    """How the gateway waits for the advisor."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_ADVICE_")

    #: Seconds ``POST /elevate/llm`` waits for a suggestion before answering 503.
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    #: Name of this replica's reply topic suffix; the pod's host name by default.
    replica_id: str = Field(default_factory=_default_replica_id, pattern=r"^[A-Za-z0-9._-]+$")
    #: Topic the requests go to; another only to route to a separate advisor deployment.
    request_topic: str = ADVICE_REQUESTS
    #: Replication factor of the reply topic when the gateway creates it.
    reply_topic_replication: int = Field(default=1, ge=1, le=5)
    #: How long the broker keeps replies, in milliseconds; they matter for seconds only.
    reply_retention_ms: int = Field(default=3_600_000, ge=60_000)


class ReplyReader(Protocol):
    """What the reply loop needs of a Kafka consumer: batches of records."""

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0
    ) -> Mapping[TopicPartition, Sequence[Any]]:
        """Return the records fetched within ``timeout_ms``, by partition."""


class Advice(abc.ABC):
    """Port: ask the advisor and wait for its suggestion."""

    @abc.abstractmethod
    async def ask(self, request: SuggestRole) -> RoleSuggested:
        """Return the advisor's answer; raise :class:`Unavailable` if none comes in time."""

    @abc.abstractmethod
    def reply_to(self) -> str:
        """Return the topic the advisor must answer on."""


class KafkaAdvice(Advice):
    """Request-reply over Kafka with one reply topic per gateway replica."""

    def __init__(self, kafka: KafkaSettings, settings: AdviceSettings) -> None:
        self._kafka = kafka
        self._settings = settings
        self._topic = f"{ADVICE_RESULTS}.{settings.replica_id}"
        self._waiting: dict[str, asyncio.Future[RoleSuggested]] = {}
        self._broker: KafkaBroker = create_broker(kafka, client_id="elevate-gateway-advice")
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    def reply_to(self) -> str:
        return self._topic

    async def start(self) -> None:
        """Create the reply topic if needed, read it from its end, start the producer."""
        partitions = await self._ensure_topic()
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self._kafka.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            fetch_max_wait_ms=self._kafka.fetch_max_wait_ms,
        )
        await self._consumer.start()
        assigned = [TopicPartition(self._topic, p) for p in partitions]
        self._consumer.assign(assigned)
        # Resolve the end offsets now, so a reply to the first request is not skipped.
        await self._consumer.seek_to_end(*assigned)
        for partition in assigned:
            await self._consumer.position(partition)
        await self._broker.start()
        self.listen(self._consumer)
        log.info("advice_replies_listening", topic=self._topic, partitions=len(assigned))

    def listen(self, replies: ReplyReader) -> None:
        """Read replies in the background until stopped, resolving the waiting requests."""
        self._task = asyncio.create_task(self._receive(replies), name="advice-replies")

    async def stop(self) -> None:
        """Stop reading replies and fail every request still waiting."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for future in self._waiting.values():
            future.cancel()
        if self._consumer is not None:
            await self._consumer.stop()
        await self._broker.stop()

    async def ask(self, request: SuggestRole) -> RoleSuggested:
        key = str(request.event_id)
        future: asyncio.Future[RoleSuggested] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        try:
            await self._publish(request)
            return await asyncio.wait_for(future, self._settings.timeout_seconds)
        except TimeoutError as error:
            log.warning("advice_timed_out", request_event_id=key)
            raise Unavailable(
                "the advisor did not answer in time; no workflow was started, try again"
            ) from error
        finally:
            self._waiting.pop(key, None)

    async def _publish(self, request: SuggestRole) -> None:
        try:
            await publish(self._broker, self._settings.request_topic, request)
        except Exception as error:
            log.warning("advice_not_requested", error=type(error).__name__)
            raise Unavailable("the advisor could not be asked; try again shortly") from error

    def listening(self) -> bool:
        """Tell whether replies are being read; without that every request times out."""
        return self._task is not None and not self._task.done()

    def probe(self) -> Probe:
        """Return a readiness probe that fails once replies are no longer read."""

        async def check() -> bool:
            return self.listening()

        return Probe("advice_replies", check)

    async def _receive(self, replies: ReplyReader) -> None:
        # The loop must outlive any error: if it ended, every request would wait in vain.
        # Waiting requests time out on their own; reading resumes after a short pause.
        while True:
            try:
                await self._receive_once(replies)
            except KafkaError as error:
                log.warning("advice_replies_unreadable", error=type(error).__name__)
                await asyncio.sleep(RETRY_SECONDS)
            except Exception:
                log.exception("advice_replies_failed")
                await asyncio.sleep(RETRY_SECONDS)

    async def _receive_once(self, replies: ReplyReader) -> None:
        batches = await replies.getmany(timeout_ms=1000)
        for records in batches.values():
            for record in records:
                self._resolve(record.value)

    def _resolve(self, value: Any) -> None:
        try:
            answer = advice_result_adapter.validate_json(value or b"")
        except ValidationError:
            log.warning("advice_reply_invalid", topic=self._topic)
            return
        future = self._waiting.get(answer.request_event_id)
        if future is None or future.done():
            log.info("advice_reply_unclaimed", request_event_id=answer.request_event_id)
            return
        future.set_result(answer)

    async def _ensure_topic(self) -> list[int]:
        # TODO(gateway): a reply topic outlives its replica: replies expire after
        # GATEWAY_ADVICE_REPLY_RETENTION_MS, but the topics of replicas that are gone for
        # good (pods renamed by a Deployment) stay until someone deletes them.
        admin = AIOKafkaAdminClient(bootstrap_servers=self._kafka.bootstrap_servers)
        await admin.start()
        try:
            topic = NewTopic(
                self._topic,
                num_partitions=1,
                replication_factor=self._settings.reply_topic_replication,
                topic_configs={"retention.ms": str(self._settings.reply_retention_ms)},
            )
            response = await admin.create_topics([topic])
            for _, code, message in response.topic_errors:
                if code not in (0, _TOPIC_EXISTS):
                    raise Unavailable(f"cannot create the reply topic {self._topic}: {message}")
            described = await admin.describe_topics([self._topic])
            return sorted(p["partition"] for p in described[0]["partitions"]) or [0]
        finally:
            await admin.close()
