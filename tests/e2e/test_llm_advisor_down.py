"""When the advisor does not answer, ``POST /elevate/llm`` says so in bounded time and
starts no workflow. The gateway runs in-process here, asking on a request topic that no
advisor reads, so the test never depends on which services happen to be running."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from litestar.testing import AsyncTestClient
from pydantic import SecretStr

from elevate_gateway.bootstrap import bootstrap
from elevate_gateway.settings import AuthSettings, GatewaySettings
from elevate_shared.catalogue import load_catalogue
from elevate_shared.settings import KafkaSettings
from elevate_shared.topics import WORKFLOW_COMMANDS

CATALOGUE_DIR = Path(__file__).parents[1] / "catalogue"
TOKEN = "llm-down-" + uuid4().hex


@pytest.fixture
async def client(
    stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    for name, value in stack_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GATEWAY_ADVICE_REQUEST_TOPIC", f"elevate.advice.nobody-{uuid4().hex}")
    monkeypatch.setenv("GATEWAY_ADVICE_REPLICA_ID", f"down-{uuid4().hex[:12]}")
    monkeypatch.setenv("GATEWAY_ADVICE_TIMEOUT_SECONDS", "2")
    monkeypatch.setenv("ELEVATE_TASK_TOKEN_SECRET", "llm-down-task-token-" + "0" * 32)
    app = bootstrap(
        gateway=GatewaySettings(rate_limit_requests=10_000, rate_limit_reads=10_000),
        auth=AuthSettings(dev_mode=True, dev_token=SecretStr(TOKEN)),
        catalogue=load_catalogue(CATALOGUE_DIR),
    )
    async with AsyncTestClient(app, timeout=30) as test_client:
        yield test_client


async def test_a_silent_advisor_gets_a_503_and_no_workflow(
    client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    marker = uuid4().hex
    mark = await _end_offsets()

    response = await client.post(
        "/elevate/llm",
        json={"reason": f"read the logs bucket objects in S3, ticket {marker}"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )

    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "advisor" in response.json()["detail"]
    # The command would have been published before the answer; nothing carries the marker.
    assert not [value for value in await _since(mark) if marker in value]


async def _end_offsets() -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=KafkaSettings().bootstrap_servers)
    await consumer.start()
    try:
        partitions = await _partitions()
        return await consumer.end_offsets(partitions) if partitions else {}
    finally:
        await consumer.stop()


async def _since(mark: dict[TopicPartition, int]) -> list[str]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=KafkaSettings().bootstrap_servers, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = await _partitions()
        end = await consumer.end_offsets(partitions) if partitions else {}
        consumer.assign(partitions)
        for partition in partitions:
            consumer.seek(partition, mark.get(partition, 0))
        found: list[str] = []
        async with asyncio.timeout(30):
            while any([await consumer.position(p) < end[p] for p in partitions]):
                batches = await consumer.getmany(timeout_ms=500)
                found += [(r.value or b"").decode() for rs in batches.values() for r in rs]
        return found
    finally:
        await consumer.stop()


async def _partitions() -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=KafkaSettings().bootstrap_servers)
    await admin.start()
    try:
        [described] = await admin.describe_topics([WORKFLOW_COMMANDS])
    finally:
        await admin.close()
    numbers = sorted(p["partition"] for p in described.get("partitions", []))
    return [TopicPartition(WORKFLOW_COMMANDS, n) for n in numbers]
