"""A dynamic request (explicit permissions, no role) becomes an inline IAM policy once
approved, and ending the access early takes it away at once."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from aiokafka import AIOKafkaConsumer
from tests.e2e.receivers import Inbox
from tests.e2e.waiting import approve_link, transitions_until, user_permissions, wait_for

from elevate_shared.states import WorkflowState as S


async def test_dynamic_permissions_are_granted_inline_and_ended_early(
    gateway: str,
    auth_headers: dict[str, str],
    approver_headers: dict[str, str],
    inbox: Inbox,
    iam: Any,
    iam_user: str,
    status_events: AIOKafkaConsumer,
) -> None:
    async with httpx.AsyncClient(base_url=gateway) as client:
        asked = await client.post(
            "/elevate",
            headers=auth_headers,
            data={
                "providers": "aws",
                "permissions": "s3:GetObject,s3:ListBucket",
                "resources": "arn:aws:s3:::logs,arn:aws:s3:::logs/*",
                "reason": "copy yesterday's logs for the incident review",
                "duration": "PT30M",
                "identities": iam_user,
            },
        )
        assert asked.status_code == 202, asked.text
        workflow_id = asked.json()["output"]["workflow_id"]

        link = await approve_link(inbox, workflow_id)
        token = parse_qs(urlsplit(link).query)["task_token"][0]
        answered = await client.post(
            "/elevate/resume",
            headers=approver_headers,
            json={
                "workflow_id": workflow_id,
                "task_token": token,
                "user_input": {"approved": True, "additional_context": "fine"},
            },
        )
        assert answered.status_code == 202, answered.text

        held = await wait_for(lambda: user_permissions(iam, iam_user), what="the inline grant")
        assert held == {"s3:GetObject", "s3:ListBucket"}

        await transitions_until(status_events, workflow_id, S.ACTIVE)
        ended = await client.post(f"/workflows/{workflow_id}/end", headers=auth_headers)
        assert ended.status_code == 202, ended.text
        await wait_for(lambda: not user_permissions(iam, iam_user), what="the early revoke")

    transitions = await transitions_until(status_events, workflow_id, S.REVOKED)
    assert transitions == [(S.ACTIVE, S.REVOKING), (S.REVOKING, S.REVOKED)]
