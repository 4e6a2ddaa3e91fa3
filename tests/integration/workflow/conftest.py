"""Fixtures for the workflow service on the local stack (Kafka, FerretDB).

Each test session gets its own database, dropped at the end, so timers and outboxes
left by one run never fire in the next. The service runs in the test's event loop with
short poll intervals; a topic watcher reads what the service publishes from the moment
it starts, so a test sees only messages of its own (unique) workflow ids.
"""

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker
from pydantic import TypeAdapter
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from elevate_shared.kafka import create_broker
from elevate_shared.settings import (
    ElevateSettings,
    KafkaSettings,
    MongoSettings,
    TaskTokenSettings,
)
from elevate_workflow.adapters.mongo_store import MongoWorkflowStore
from elevate_workflow.bootstrap import bootstrap
from elevate_workflow.entrypoints.service import WorkflowService
from elevate_workflow.settings import ServiceSettings, WorkflowSettings

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"
#: Partitions of auto-created topics on the local broker (server.properties).
PARTITIONS = 3

Document = dict[str, Any]
ServiceFactory = Callable[..., AbstractAsyncContextManager[WorkflowService]]


def unique(prefix: str = "wf") -> str:
    """Return an id no other test uses."""
    return f"{prefix}_{uuid4().hex[:16]}"


@pytest.fixture(scope="session")
def secrets(stack: dict[str, str]) -> None:
    """Set the task token key and the test webhook's key, as a deployment would."""
    os.environ.setdefault("ELEVATE_TASK_TOKEN_SECRET", "integration-task-token-secret-0123456789")
    os.environ.setdefault("ELEVATE_TEST_WEBHOOK_SECRET", "integration-webhook-secret")


@pytest.fixture(scope="session")
async def database_name(stack: dict[str, str]) -> AsyncIterator[str]:
    """Name a database of this session only; drop it at the end."""
    name = unique("elevate_it")
    yield name
    client: AsyncMongoClient[Document] = AsyncMongoClient(stack["MONGODB_URI"])
    await client.drop_database(name)
    await client.close()


@pytest.fixture
async def database(
    stack: dict[str, str], database_name: str
) -> AsyncIterator[AsyncDatabase[Document]]:
    """The session's database, through a client of the test's own."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(stack["MONGODB_URI"], tz_aware=True)
    yield client[database_name]
    await client.close()


@pytest.fixture
async def store(database: AsyncDatabase[Document]) -> MongoWorkflowStore:
    """The workflow store on the real server, with its indexes."""
    workflows = MongoWorkflowStore(database)
    await workflows.ensure_indexes()
    return workflows


@pytest.fixture
def start_service(secrets: None, database_name: str) -> ServiceFactory:
    """Run a workflow service instance on the session's database while in the block."""

    @asynccontextmanager
    async def running(*, consume: bool = True, **settings: Any) -> AsyncIterator[WorkflowService]:
        fast = {
            "timer_poll_seconds": 0.2,
            "outbox_sweep_seconds": 0.2,
            "outbox_stale_seconds": 1.0,
        }
        service_settings = ServiceSettings(
            kafka=KafkaSettings(),
            mongo=MongoSettings(database=database_name),
            elevate=ElevateSettings(catalogue_dir=CATALOGUE_DIR),
            workflow=WorkflowSettings.model_validate(fast | settings),
            tokens=TaskTokenSettings(),
        )
        service = await bootstrap(service_settings, consume=consume)
        await service.start()
        try:
            yield service
        finally:
            await service.stop()

    return running


@pytest.fixture
async def kafka(stack: dict[str, str]) -> AsyncIterator[KafkaBroker]:
    """A connected broker for the test to publish with, as another service would."""
    broker = create_broker(KafkaSettings(), client_id=unique("test"))
    await broker.connect()
    yield broker
    await broker.stop()


class TopicWatcher:
    """Reads one topic from the moment it starts, parsing each record."""

    def __init__(self, topic: str, adapter: TypeAdapter[Any]) -> None:
        self.topic = topic
        self._adapter = adapter
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=KafkaSettings().bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
        )
        self.seen: list[Any] = []

    async def start(self) -> None:
        """Position at the end of every partition, so later records are all seen."""
        await _ensure_topic(self.topic)
        await self._consumer.start()
        await self._consumer.topics()
        partitions = [TopicPartition(self.topic, p) for p in range(PARTITIONS)]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_end(*partitions)
        for partition in partitions:
            await self._consumer.position(partition)

    async def stop(self) -> None:
        await self._consumer.stop()

    async def wait_for(
        self, workflow_id: str, done: Callable[[list[Any]], bool], *, seconds: float = 60.0
    ) -> list[Any]:
        """Return the messages of ``workflow_id`` once ``done`` holds for them (first copies)."""
        try:
            async with asyncio.timeout(seconds):
                while not done(mine := self.messages(workflow_id)):
                    batches = await self._consumer.getmany(timeout_ms=200)
                    for records in batches.values():
                        self.seen.extend(self._adapter.validate_json(r.value) for r in records)
        except TimeoutError:
            raise AssertionError(f"{self.topic}: gave up waiting; saw {mine!r}") from None
        return mine

    async def first(self, found: Callable[[Any], bool], *, seconds: float = 60.0) -> Any:
        """Return the first message ``found`` accepts, whatever workflow it is about."""
        try:
            async with asyncio.timeout(seconds):
                while not (hits := [m for m in self.seen if found(m)]):
                    batches = await self._consumer.getmany(timeout_ms=200)
                    for records in batches.values():
                        self.seen.extend(self._adapter.validate_json(r.value) for r in records)
        except TimeoutError:
            raise AssertionError(f"{self.topic}: gave up waiting") from None
        return hits[0]

    def messages(self, workflow_id: str) -> list[Any]:
        """Return the messages seen of ``workflow_id``, without redelivered copies."""
        return _first_copies(m for m in self.seen if m.workflow_id == workflow_id)


def _first_copies(messages: Any) -> list[Any]:
    """Drop redelivered copies: consumers recognise a message by its event id."""
    seen: set[Any] = set()
    firsts = []
    for message in messages:
        if message.event_id not in seen:
            seen.add(message.event_id)
            firsts.append(message)
    return firsts


async def _ensure_topic(topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=KafkaSettings().bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        await admin.close()


@pytest.fixture
async def watch(stack: dict[str, str]) -> AsyncIterator[Callable[..., Any]]:
    """Start watchers of topics; they stop at the end of the test."""
    watchers: list[TopicWatcher] = []

    async def start(topic: str, adapter: TypeAdapter[Any]) -> TopicWatcher:
        watcher = TopicWatcher(topic, adapter)
        await watcher.start()
        watchers.append(watcher)
        return watcher

    yield start
    await asyncio.gather(*(w.stop() for w in watchers))
