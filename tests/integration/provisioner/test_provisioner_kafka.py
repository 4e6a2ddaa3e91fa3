"""The provisioner through real Kafka: commands in, results and dead letters out.

The service runs in this process, wired by ``bootstrap`` exactly as ``python -m
elevate_provisioner`` wires it, with the test catalogue. Commands are published with a
plain aiokafka producer, as any other service would; results are read with a plain
consumer and picked out by this test's own workflow ids.
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# aiokafka ships no type information.
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from elevate_provisioner.bootstrap import Provisioner, Settings, bootstrap
from elevate_provisioner.domain.iam_names import group_name
from elevate_provisioner.entrypoints.kafka import GROUP_ID
from elevate_shared.catalogue import load_catalogue
from elevate_shared.messages import GrantAccess, Message, RevokeAccess
from elevate_shared.topics import DEAD_LETTERS, PROVISIONER_COMMANDS, PROVISIONER_RESULTS

if TYPE_CHECKING:
    from types_boto3_iam.client import IAMClient

pytestmark = pytest.mark.stack

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"
#: Upper bound on waiting for one record, so a broken service fails the test, not hangs it.
WAIT_SECONDS = 60

Record = dict[str, Any]
MakeGrant = Callable[..., GrantAccess]
RevokeFor = Callable[[GrantAccess], RevokeAccess]


async def ensure_topics(servers: str, *topics: str) -> None:
    """Create the topics that do not exist yet, so consumers can subscribe at once."""
    admin = AIOKafkaAdminClient(bootstrap_servers=servers)
    await admin.start()
    try:
        missing = set(topics) - set(await admin.list_topics())
        new = [NewTopic(topic, num_partitions=3, replication_factor=1) for topic in missing]
        if new:
            await admin.create_topics(new)
    finally:
        await admin.close()


@pytest.fixture(scope="module")
async def servers(stack: dict[str, str], aws_env: str) -> str:
    servers = stack["KAFKA_BOOTSTRAP_SERVERS"]
    await ensure_topics(servers, PROVISIONER_COMMANDS, PROVISIONER_RESULTS, DEAD_LETTERS)
    return servers


@pytest.fixture(scope="module")
async def provisioner(servers: str) -> AsyncIterator[Provisioner]:
    service = bootstrap(Settings.load(), catalogue=load_catalogue(CATALOGUE_DIR))
    await service.broker.start()
    yield service
    await service.broker.stop()
    await service.close()


@pytest.fixture(scope="module")
async def producer(servers: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=servers, acks="all")
    await producer.start()
    yield producer
    await producer.stop()


async def reader(servers: str, topic: str) -> AIOKafkaConsumer:
    """Read ``topic`` from its start without a group; tests filter by their own ids."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=servers, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    return consumer


@pytest.fixture(scope="module")
async def results(servers: str) -> AsyncIterator[AIOKafkaConsumer]:
    consumer = await reader(servers, PROVISIONER_RESULTS)
    yield consumer
    await consumer.stop()


@pytest.fixture(scope="module")
async def dead_letters(servers: str) -> AsyncIterator[AIOKafkaConsumer]:
    consumer = await reader(servers, DEAD_LETTERS)
    yield consumer
    await consumer.stop()


async def send(producer: AIOKafkaProducer, command: Message) -> None:
    assert command.workflow_id is not None
    await producer.send_and_wait(
        PROVISIONER_COMMANDS,
        command.model_dump_json().encode(),
        key=command.workflow_id.encode(),
    )


async def next_record(consumer: AIOKafkaConsumer, match: Callable[[Record], bool]) -> Record:
    """Return the next record on the consumer's topic that ``match`` accepts.

    Records that are not JSON objects are skipped: other tests publish garbage to these
    topics on purpose, to see it dead-lettered.
    """
    async with asyncio.timeout(WAIT_SECONDS):
        async for message in consumer:
            try:
                record: Record = json.loads(message.value or b"{}")
            except ValueError:
                continue
            if isinstance(record, dict) and match(record):
                return record
    raise AssertionError("the consumer stopped before a matching record arrived")


def about(workflow_id: str, kind: str) -> Callable[[Record], bool]:
    return lambda record: record.get("workflow_id") == workflow_id and record.get("type") == kind


@pytest.mark.usefixtures("provisioner")
async def test_a_grant_and_its_revoke_travel_through_kafka(
    producer: AIOKafkaProducer,
    results: AIOKafkaConsumer,
    iam: "IAMClient",
    make_grant: MakeGrant,
    revoke_for: RevokeFor,
    new_id: Callable[[str], str],
) -> None:
    user = new_id("kafka-user")  # the test catalogue's provider creates missing users
    grant = make_grant((user,))

    await send(producer, grant)
    granted = await next_record(results, about(grant.workflow_id, "AccessGranted"))
    groups_while_granted = iam.list_groups_for_user(UserName=user)["Groups"]
    await send(producer, revoke_for(grant))
    revoked = await next_record(results, about(grant.workflow_id, "AccessRevoked"))

    assert granted["grant_id"] == revoked["grant_id"] == grant.grant_id
    assert granted["correlation_id"] == grant.correlation_id
    assert [g["GroupName"] for g in groups_while_granted] == [group_name(grant.grant_id)]
    assert iam.list_groups_for_user(UserName=user)["Groups"] == []


@pytest.mark.usefixtures("provisioner")
async def test_a_record_that_is_not_a_command_is_dead_lettered(
    producer: AIOKafkaProducer, dead_letters: AIOKafkaConsumer
) -> None:
    marker = uuid.uuid4().hex
    await producer.send_and_wait(
        PROVISIONER_COMMANDS, f"not a command {marker}".encode(), key=marker.encode()
    )

    letter = await next_record(dead_letters, lambda record: record.get("source_key") == marker)

    assert letter["consumer"] == GROUP_ID
    assert letter["source_topic"] == PROVISIONER_COMMANDS
    assert letter["reason"].startswith("invalid message")
    assert marker not in letter["payload"]  # not JSON: kept as its length and digest only


@pytest.mark.usefixtures("provisioner")
async def test_a_command_for_an_unknown_provider_is_answered_and_dead_lettered(
    producer: AIOKafkaProducer,
    results: AIOKafkaConsumer,
    dead_letters: AIOKafkaConsumer,
    make_grant: MakeGrant,
    new_id: Callable[[str], str],
) -> None:
    grant = make_grant((new_id("user"),)).model_copy(update={"provider": "nowhere"})

    await send(producer, grant)
    failed = await next_record(results, about(grant.workflow_id, "GrantFailed"))
    letter = await next_record(
        dead_letters, lambda record: grant.workflow_id in record.get("payload", "")
    )

    assert "unknown provider 'nowhere'" in failed["reason"]
    assert letter["consumer"] == GROUP_ID
    assert "unknown provider 'nowhere'" in letter["reason"]
