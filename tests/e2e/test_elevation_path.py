"""A request goes from the gateway through Kafka, the workflow and the provisioner to IAM,
and is revoked when its duration runs out."""

import asyncio
import sys
import uuid
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from tests.e2e.waiting import transitions_until, user_permissions, wait_for

from elevate_shared.states import WorkflowState as S

S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"

#: The path of a request whose workflow needs no approval.
AUTO_PATH = [
    (None, S.REQUESTED),
    (S.REQUESTED, S.VALIDATING),
    (S.VALIDATING, S.APPROVED),
    (S.APPROVED, S.PROVISIONING),
    (S.PROVISIONING, S.ACTIVE),
    (S.ACTIVE, S.REVOKING),
    (S.REVOKING, S.REVOKED),
]


async def test_a_request_is_granted_in_aws_and_revoked_on_expiry(
    gateway: str,
    auth_headers: dict[str, str],
    iam: Any,
    iam_user: str,
    status_events: AIOKafkaConsumer,
) -> None:
    async with httpx.AsyncClient(base_url=gateway, headers=auth_headers) as client:
        response = await client.get(
            "/elevate",
            params={
                "role": "s3-reader",
                "provider": "aws",
                "reason": "read the incident's access logs",
                "duration": "PT6S",
                "identities": iam_user,
            },
        )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "pending"
    workflow_id = body["output"]["workflow_id"]
    assert body["output"]["execution_id"]

    granted = await wait_for(
        lambda: S3_READ_ONLY in user_permissions(iam, iam_user), what="the grant in IAM"
    )
    assert granted
    assert {"s3:GetObject", "s3:ListBucket"} <= user_permissions(iam, iam_user)

    await wait_for(lambda: not user_permissions(iam, iam_user), what="the revocation in IAM")
    transitions = await transitions_until(status_events, workflow_id, S.REVOKED)
    assert transitions == AUTO_PATH

    async with httpx.AsyncClient(base_url=gateway, headers=auth_headers) as client:
        status = (await client.get(f"/workflows/{workflow_id}")).json()
    assert status["state"] == "revoked"
    assert [entry["to_state"] for entry in status["history"]][-1] == "revoked"


async def test_an_elevation_published_by_another_service_runs_the_same_way(
    gateway: str, iam: Any, iam_user: str, status_events: AIOKafkaConsumer, stack_env: Any
) -> None:
    workflow_id = f"wf_{uuid.uuid4().hex}"
    publisher = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.e2e.publish_request", workflow_id, iam_user
    )
    assert await publisher.wait() == 0

    await wait_for(lambda: S3_READ_ONLY in user_permissions(iam, iam_user), what="the grant")
    await wait_for(lambda: not user_permissions(iam, iam_user), what="the revocation")
    transitions = await transitions_until(status_events, workflow_id, S.REVOKED)
    assert transitions == AUTO_PATH
