"""End-to-end fixtures: all services as processes, talking over the real local stack."""

import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from tests.e2e.harness import running_services, service_env
from tests.e2e.receivers import Hooks, Inbox, smtp_inbox, webhook_receiver

from elevate_shared.topics import WORKFLOW_STATUS

GATEWAY_PORT = 18000
GATEWAY_URL = f"http://127.0.0.1:{GATEWAY_PORT}"
DEV_TOKEN = "e2e-" + uuid.uuid4().hex
APPROVER_TOKEN = "e2e-approver-" + uuid.uuid4().hex
WEBHOOK_SECRET = "e2e-webhook-secret"


@pytest.fixture(scope="package")
def gateway(stack_env: dict[str, str]) -> Iterator[str]:
    """Run the services for the end-to-end tests; return the gateway's base URL."""
    env = service_env(
        stack_env,
        GATEWAY_PORT=str(GATEWAY_PORT),
        ELEVATE_PUBLIC_URL=GATEWAY_URL,
        ELEVATE_AUTH_DEV_MODE="true",
        ELEVATE_AUTH_DEV_TOKEN=DEV_TOKEN,
        ELEVATE_AUTH_DEV_APPROVER_TOKEN=APPROVER_TOKEN,
        ELEVATE_TASK_TOKEN_SECRET="e2e-task-token-secret-" + uuid.uuid4().hex,
        ELEVATE_TEST_WEBHOOK_SECRET=WEBHOOK_SECRET,
        MONGODB_DATABASE="elevate_e2e",
    )
    with running_services(env, GATEWAY_URL):
        yield GATEWAY_URL


@pytest.fixture(scope="package")
def inbox() -> Iterator[Inbox]:
    """The SMTP server the test catalogue's email channel sends to."""
    with smtp_inbox() as received:
        yield received


@pytest.fixture(scope="package")
def hooks() -> Iterator[Hooks]:
    """The HTTP endpoint the test catalogue's webhook channel posts to."""
    with webhook_receiver() as received:
        yield received


@pytest.fixture
def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {DEV_TOKEN}"}


@pytest.fixture
def approver_headers() -> dict[str, str]:
    """The development approver, lead@example.com in the group sre-leads."""
    return {"Authorization": f"Bearer {APPROVER_TOKEN}"}


@pytest.fixture
def iam(stack_env: dict[str, str]) -> Any:
    return boto3.client(
        "iam",
        endpoint_url=stack_env["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def iam_user(iam: Any) -> str:
    """A fresh IAM user, the identity to elevate."""
    name = f"e2e-{uuid.uuid4().hex[:12]}@example.com"
    iam.create_user(UserName=name)
    return name


@pytest.fixture
async def status_events(stack_env: dict[str, str]) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer of the status topic positioned at its end, before the test acts."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=stack_env["KAFKA_BOOTSTRAP_SERVERS"], enable_auto_commit=False
    )
    await consumer.start()
    partitions = await _partitions(stack_env["KAFKA_BOOTSTRAP_SERVERS"], WORKFLOW_STATUS)
    consumer.assign(partitions)
    await consumer.seek_to_end(*partitions)
    for partition in partitions:
        await consumer.position(partition)
    yield consumer
    await consumer.stop()


async def _partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    """Return the topic's partitions, creating the topic first if no one has used it yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    with contextlib.suppress(TopicAlreadyExistsError):
        await admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    numbers = sorted(p["partition"] for p in described[0]["partitions"])
    return [TopicPartition(topic, number) for number in numbers]
