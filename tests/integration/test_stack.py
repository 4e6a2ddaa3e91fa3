"""Each server of the local stack answers a real round trip."""

import asyncio
import uuid

import boto3
import pytest
import redis.asyncio as redis
from aiokafka import (  # aiokafka ships no type information
    AIOKafkaConsumer,
    AIOKafkaProducer,
)
from pymongo import AsyncMongoClient, ReturnDocument

pytestmark = pytest.mark.stack

# A guard against a hung broker, not a speed target.
RECEIVE_TIMEOUT_SECONDS = 60


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def test_kafka_delivers_a_produced_message(stack_env: dict[str, str]) -> None:
    topic = _unique("stack-check")
    producer = AIOKafkaProducer(bootstrap_servers=stack_env["KAFKA_BOOTSTRAP_SERVERS"])
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=stack_env["KAFKA_BOOTSTRAP_SERVERS"], auto_offset_reset="earliest"
    )
    await producer.start()
    await consumer.start()
    try:
        await producer.send_and_wait(topic, b"hello", key=b"k1")
        message = await asyncio.wait_for(consumer.getone(), RECEIVE_TIMEOUT_SECONDS)
    finally:
        await consumer.stop()
        await producer.stop()

    assert (message.key, message.value) == (b"k1", b"hello")


async def test_mongodb_updates_a_document_atomically(stack_env: dict[str, str]) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(stack_env["MONGODB_URI"])
    collection = client["elevate_stack_check"]["documents"]
    doc_id = _unique("doc")
    try:
        await collection.insert_one({"_id": doc_id, "version": 1})
        updated = await collection.find_one_and_update(
            {"_id": doc_id, "version": 1},
            {"$inc": {"version": 1}},
            return_document=ReturnDocument.AFTER,
        )
        stale = await collection.find_one_and_update(
            {"_id": doc_id, "version": 1}, {"$inc": {"version": 1}}
        )
    finally:
        await client.close()

    assert updated == {"_id": doc_id, "version": 2}
    assert stale is None


async def test_redis_returns_what_was_set(stack_env: dict[str, str]) -> None:
    client = redis.from_url(stack_env["REDIS_URL"])
    key = _unique("stack-check")
    try:
        await client.set(key, "value", ex=60)
        stored = await client.get(key)
    finally:
        await client.aclose()

    assert stored == b"value"


def test_aws_endpoint_creates_an_iam_user(stack_env: dict[str, str]) -> None:
    iam = boto3.client(
        "iam",
        endpoint_url=stack_env["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    user_name = _unique("stack-check")

    iam.create_user(UserName=user_name)

    assert iam.get_user(UserName=user_name)["User"]["UserName"] == user_name
