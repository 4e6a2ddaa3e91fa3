"""Dead letters keep the broken record, but none of its secrets, through FastStream's
in-memory broker (the real-broker path is covered by the integration tests)."""

import hashlib
import json
from collections.abc import MutableMapping
from typing import Any

import structlog
from faststream.kafka import KafkaBroker, TestKafkaBroker

from elevate_shared.dead_letters import redacted_payload
from elevate_shared.kafka import subscribe
from elevate_shared.logging import is_secret_key
from elevate_shared.messages import Message
from elevate_shared.settings import KafkaSettings
from elevate_shared.topics import DEAD_LETTERS, WORKFLOW_COMMANDS, workflow_command_adapter

TOKEN = "eyJ-live-task-token-value"
SESSION = "live-session-value"


Logs = list[MutableMapping[str, Any]]


async def dead_letters_of(body: bytes) -> tuple[list[dict[str, Any]], Logs]:
    """Send ``body`` to a subscriber; return the dead letters and the log lines."""
    broker = KafkaBroker("127.0.0.1:1")
    letters: list[dict[str, Any]] = []

    async def never(message: Message) -> None:
        raise AssertionError("a broken record reached the handler")

    subscribe(
        broker,
        KafkaSettings(),
        topic=WORKFLOW_COMMANDS,
        group_id="unit-test",
        adapter=workflow_command_adapter,
        handler=never,
    )

    @broker.subscriber(DEAD_LETTERS)
    async def keep(letter: dict[str, Any]) -> None:
        letters.append(letter)

    with structlog.testing.capture_logs() as logs:
        async with TestKafkaBroker(broker) as test_broker:
            await test_broker.publish(body, WORKFLOW_COMMANDS, key=b"wf_dead_letter_key")
    return letters, logs


async def test_an_invalid_resume_is_dead_lettered_without_its_token() -> None:
    body = {
        "type": "ResumeWorkflow",
        "workflow_id": "wf_1",
        "task_token": TOKEN,
        "approved": "yes-input-value",
        "session": {"version": 1, "session": SESSION},
    }

    [letter], logs = await dead_letters_of(json.dumps(body).encode())

    assert letter["source_key"] == "wf_dead_letter_key"
    assert "actor" in letter["reason"]
    assert "approved" in letter["reason"]
    kept = json.loads(letter["payload"])
    assert kept["task_token"] == "[redacted]"
    assert kept["session"] == "[redacted]"
    assert kept["workflow_id"] == "wf_1"
    everything = json.dumps([letter, logs], default=str)
    assert TOKEN not in everything
    assert SESSION not in everything
    assert "yes-input-value" not in json.dumps([letter["reason"], logs], default=str)


async def test_an_unknown_message_type_is_not_quoted_in_the_reason() -> None:
    [letter], logs = await dead_letters_of(json.dumps({"type": TOKEN}).encode())

    assert "unknown message type" in letter["reason"]
    assert TOKEN not in json.dumps([letter["reason"], logs], default=str)


async def test_a_record_that_is_not_json_is_kept_as_its_length_and_digest() -> None:
    body = f"task_token={TOKEN}".encode()

    [letter], _ = await dead_letters_of(body)

    assert TOKEN not in letter["payload"]
    assert str(len(body)) in letter["payload"]
    assert hashlib.sha256(body).hexdigest() in letter["payload"]


def test_secrets_are_found_at_any_depth_and_in_any_case() -> None:
    payload = {"items": [{"Task_Token": TOKEN, "name": "kept"}], "nested": {"api_key": "k"}}

    kept = json.loads(redacted_payload(json.dumps(payload).encode()))

    assert kept == {
        "items": [{"Task_Token": "[redacted]", "name": "kept"}],
        "nested": {"api_key": "[redacted]"},
    }


def test_keys_ending_in_a_secret_name_are_secret() -> None:
    assert is_secret_key("access_token")
    assert is_secret_key("SESSION")
    assert not is_secret_key("tokens_issued")
    assert not is_secret_key("reason")
