"""An approval from request to revocation: the approvers are told by email and webhook,
one follows the link, approves in the HTML page, and the access is granted, then revoked."""

import hashlib
import hmac
import json
import re
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from tests.e2e.conftest import WEBHOOK_SECRET
from tests.e2e.receivers import Hooks, Inbox
from tests.e2e.waiting import approve_link, transitions_until, user_permissions, wait_for

from elevate_shared.states import WorkflowState as S

ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"

APPROVAL_PATH = [
    (None, S.REQUESTED),
    (S.REQUESTED, S.VALIDATING),
    (S.VALIDATING, S.AWAITING_APPROVAL),
    (S.AWAITING_APPROVAL, S.APPROVED),
    (S.APPROVED, S.PROVISIONING),
    (S.PROVISIONING, S.ACTIVE),
    (S.ACTIVE, S.REVOKING),
    (S.REVOKING, S.REVOKED),
]


async def test_an_approved_request_is_granted_then_revoked(
    gateway: str,
    auth_headers: dict[str, str],
    approver_headers: dict[str, str],
    inbox: Inbox,
    hooks: Hooks,
    iam: Any,
    iam_user: str,
    status_events: AIOKafkaConsumer,
) -> None:
    async with httpx.AsyncClient(base_url=gateway) as client:
        asked = await client.post(
            "/elevate",
            headers=auth_headers,
            json={
                "role": "admin",
                "providers": ["aws"],
                "reason": "restore the billing database",
                "duration": "PT6S",
                "identities": [iam_user],
            },
        )
        assert asked.status_code == 202, asked.text
        workflow_id = asked.json()["output"]["workflow_id"]

        link = await approve_link(inbox, workflow_id)
        delivered = await wait_for(lambda: hooks.bodies(workflow_id), what="the webhook")
        headers, body = delivered[0]
        expected = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Elevate-Signature"] == f"sha256={expected}"
        assert json.loads(body)["kind"] == "approval_needed"
        assert not user_permissions(iam, iam_user)

        own = await client.get(link, headers=auth_headers)
        assert own.status_code == 403  # dev asked for it: never their own approver

        page = await client.get(link, headers=approver_headers)
        assert page.status_code == 200
        assert "restore the billing database" in page.text
        form = dict(re.findall(r'name="(workflow_id|task_token)" value="([^"]+)"', page.text))
        answered = await client.post(
            "/elevate/resume",
            headers=approver_headers,
            data={**form, "decision": "approve", "comment": "go ahead"},
        )
        assert answered.status_code == 202, answered.text

        await wait_for(lambda: ADMIN_POLICY in user_permissions(iam, iam_user), what="the grant")
        await wait_for(lambda: not user_permissions(iam, iam_user), what="the revocation")
        transitions = await transitions_until(status_events, workflow_id, S.REVOKED)
        assert transitions == APPROVAL_PATH
        told = await wait_for(
            lambda: (
                {json.loads(b)["kind"] for _, b in hooks.bodies(workflow_id)}
                >= {"approval_needed", "granted", "revoked"}
            ),
            what="every notice on the webhook",
            within=30,
        )
        assert told, [json.loads(b)["kind"] for _, b in hooks.bodies(workflow_id)]

        replay = await client.post(
            "/elevate/resume",
            headers=approver_headers,
            json={
                "workflow_id": workflow_id,
                "task_token": form["task_token"],
                "user_input": {"approved": True},
            },
        )
        assert replay.status_code == 409
