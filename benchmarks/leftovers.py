"""Skip the messages of this run that no service consumed before the run stopped them.

The load phase asks for far more elevations in ten seconds than the workflow service
works through in that time. Left on Kafka, that backlog would go to the next service
that joins the shared consumer groups (``make run`` or a test session), which would
then spend its time granting and revoking for the benchmark. So, once this run's
services have stopped, each group is moved past the records of this run's workflows,
and never past a record of anyone else: it stops at the first record that is not ours.

Kafka accepts such a commit only while the group has no member; when another service
has joined in the meantime, nothing is moved and the count of records left is reported.
"""

import asyncio
import json
import logging
from collections.abc import Set
from dataclasses import dataclass

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.structs import OffsetAndMetadata

from benchmarks.topics import topic_partitions
from elevate_provisioner.entrypoints.kafka import GROUP_ID as PROVISIONER_GROUP
from elevate_shared.topics import PROVISIONER_COMMANDS, PROVISIONER_RESULTS, WORKFLOW_COMMANDS
from elevate_workflow.entrypoints.consumers import COMMANDS_GROUP, RESULTS_GROUP

log = structlog.get_logger(__name__)

#: The consumer group that reads each topic a workflow's messages travel on.
GROUPS = (
    (WORKFLOW_COMMANDS, COMMANDS_GROUP),
    (PROVISIONER_COMMANDS, PROVISIONER_GROUP),
    (PROVISIONER_RESULTS, RESULTS_GROUP),
)

#: Tries per group, and the pause between them; a few seconds in all.
ATTEMPTS = 5
PAUSE_SECONDS = 3.0


@dataclass(frozen=True)
class Skipped:
    """How many records of this run were skipped, and how many are still waiting."""

    skipped: int
    left: int


async def skip_leftovers(bootstrap: str, workflow_ids: Set[str]) -> Skipped:
    """Move every group past this run's unconsumed records, where Kafka allows it."""
    # Kafka's refusal while a group has members is expected here and reported below;
    # aiokafka would log each one as an error.
    logging.getLogger("aiokafka.consumer.group_coordinator").setLevel(logging.CRITICAL)
    skipped = left = 0
    for topic, group in GROUPS:
        done, waiting = await _skip_patiently(bootstrap, topic, group, workflow_ids)
        skipped, left = skipped + done, left + waiting
    return Skipped(skipped, left)


async def _skip_patiently(
    bootstrap: str, topic: str, group: str, ours: Set[str]
) -> tuple[int, int]:
    """Try a few times, since another session's services may leave the group meanwhile."""
    for _ in range(ATTEMPTS):
        done, waiting = await _skip(bootstrap, topic, group, ours)
        if not waiting:
            log.info("bench_leftovers_skipped", topic=topic, records=done)
            return done, 0
        await asyncio.sleep(PAUSE_SECONDS)
    log.warning("bench_leftovers_kept", topic=topic, group=group, records=waiting)
    return 0, waiting


async def _skip(bootstrap: str, topic: str, group: str, ours: Set[str]) -> tuple[int, int]:
    """Return how many of our records were skipped, or are left because Kafka refused."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = await topic_partitions(bootstrap, topic)
        consumer.assign(partitions)
        moves = {tp: await _ours_ahead(consumer, tp, ours) for tp in partitions}
        # Only partitions that move: a commit where the group has none yet would change
        # where it starts reading.
        commits = {tp: OffsetAndMetadata(b, "") for tp, (a, b) in moves.items() if b > a}
        count = sum(end - start for start, end in moves.values())
        if not commits:
            return 0, 0
        try:
            await consumer.commit(commits)
        except KafkaError:
            return 0, count
        return count, 0
    finally:
        await consumer.stop()


async def _ours_ahead(
    consumer: AIOKafkaConsumer, partition: TopicPartition, ours: Set[str]
) -> tuple[int, int]:
    """Return the group's offset, and the offset after the run of our records from there."""
    committed = await consumer.committed(partition)
    start = after = committed if committed is not None else 0
    end = (await consumer.end_offsets([partition]))[partition]
    consumer.seek(partition, start)
    while await consumer.position(partition) < end:
        batch = await consumer.getmany(partition, timeout_ms=1000, max_records=500)
        if not batch.get(partition):
            break  # nothing more arrived in time: stop where we are
        for record in batch[partition]:
            if _workflow_of(record.value) not in ours:
                return start, after
            after = record.offset + 1
    return start, after


def _workflow_of(value: bytes) -> str | None:
    try:
        document = json.loads(value)
    except ValueError:
        return None
    return document.get("workflow_id") if isinstance(document, dict) else None
