"""Waiting for what the system does: status events on Kafka, permissions in IAM."""

import asyncio
import json
import re
import time
from typing import Any

from aiokafka import AIOKafkaConsumer
from tests.e2e.receivers import Inbox

from elevate_shared.states import WorkflowState

#: The approve link of the development approver in an approval email's text.
_APPROVE_LINK = re.compile(r"As lead@example\.com:\s+Approve: (\S+)")


async def transitions_until(
    consumer: AIOKafkaConsumer, workflow_id: str, last: WorkflowState, within: float = 90
) -> list[tuple[str | None, str]]:
    """Collect the workflow's (from, to) status changes, in order, until it reaches ``last``."""
    seen: list[tuple[str | None, str]] = []
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=500)
        for records in batches.values():
            for record in records:
                event = json.loads(record.value)
                if event.get("workflow_id") != workflow_id:
                    continue
                seen.append((event["from_state"], event["to_state"]))
                if event["to_state"] == last:
                    return seen
    raise AssertionError(f"{workflow_id} did not reach {last}; saw {seen}")


async def wait_for(check: Any, *, within: float = 60, what: str = "condition") -> Any:
    """Poll ``check()`` (blocking calls run in a thread) until it returns something truthy."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        result = await asyncio.to_thread(check)
        if result:
            return result
        await asyncio.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def user_permissions(iam: Any, user: str) -> set[str]:
    """Every managed policy ARN and inline policy action the user holds through its groups."""
    held: set[str] = set()
    for group in iam.list_groups_for_user(UserName=user)["Groups"]:
        name = group["GroupName"]
        attached = iam.list_attached_group_policies(GroupName=name)["AttachedPolicies"]
        held.update(policy["PolicyArn"] for policy in attached)
        for policy_name in iam.list_group_policies(GroupName=name)["PolicyNames"]:
            document = iam.get_group_policy(GroupName=name, PolicyName=policy_name)
            for statement in document["PolicyDocument"]["Statement"]:
                actions = statement["Action"]
                held.update([actions] if isinstance(actions, str) else actions)
    return held


async def approve_link(inbox: Inbox, workflow_id: str) -> str:
    """Wait for the workflow's approval email; return lead@example.com's approve link."""
    mails = await wait_for(lambda: inbox.texts(workflow_id), what="the approval email")
    link = _APPROVE_LINK.search(mails[0])
    assert link is not None, mails[0]
    return link.group(1)
