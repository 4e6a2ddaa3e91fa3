"""Records the workflow service cannot read go to the dead-letter topic, without secrets."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker

if TYPE_CHECKING:
    from tests.integration.workflow.conftest import ServiceFactory, TopicWatcher
from elevate_shared.messages import DeadLettered
from elevate_shared.topics import (
    DEAD_LETTERS,
    PROVISIONER_RESULTS,
    WORKFLOW_COMMANDS,
    dead_letter_adapter,
)
from elevate_workflow.entrypoints.consumers import COMMANDS_GROUP, RESULTS_GROUP

pytestmark = pytest.mark.stack


def keyed(key: str) -> Callable[[DeadLettered], bool]:
    return lambda letter: letter.source_key == key


@pytest.mark.parametrize(
    ("topic", "group"),
    [(WORKFLOW_COMMANDS, COMMANDS_GROUP), (PROVISIONER_RESULTS, RESULTS_GROUP)],
)
async def test_a_record_that_is_not_a_message_is_dead_lettered(
    topic: str,
    group: str,
    start_service: ServiceFactory,
    kafka: KafkaBroker,
    watch: Callable[..., Any],
) -> None:
    letters: TopicWatcher = await watch(DEAD_LETTERS, dead_letter_adapter)
    key = f"wf_{uuid4().hex[:16]}"

    async with start_service():
        await kafka.publish(f"garbage {key}".encode(), topic, key=key.encode())
        letter = await letters.first(keyed(key))

    assert (letter.source_topic, letter.consumer) == (topic, group)
    assert letter.reason.startswith("invalid message")
    assert key not in letter.payload  # not JSON: only its length and digest are kept


async def test_a_dead_lettered_answer_keeps_no_task_token(
    start_service: ServiceFactory, kafka: KafkaBroker, watch: Callable[..., Any]
) -> None:
    letters: TopicWatcher = await watch(DEAD_LETTERS, dead_letter_adapter)
    key = f"wf_{uuid4().hex[:16]}"
    token = f"live-task-token-{uuid4().hex}"
    answer = {"type": "ResumeWorkflow", "workflow_id": key, "task_token": token, "approved": 1}

    async with start_service():
        await kafka.publish(json.dumps(answer).encode(), WORKFLOW_COMMANDS, key=key.encode())
        letter = await letters.first(keyed(key))

    assert "actor" in letter.reason
    assert json.loads(letter.payload)["task_token"] == "[redacted]"
    assert token not in letter.model_dump_json()
