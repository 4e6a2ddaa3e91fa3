"""The partitions of a Kafka topic, which a reader assigns itself without joining a group."""

import contextlib

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

#: As the local broker's default, for a topic that nothing has used yet.
PARTITIONS = 3


async def topic_partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    """Return the topic's partitions, creating the topic if nothing has used it yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        with contextlib.suppress(TopicAlreadyExistsError):
            new = NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)
            await admin.create_topics([new])
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return [TopicPartition(topic, p["partition"]) for p in described[0]["partitions"]]
