"""A full run through Kafka with the real provisioner process granting in moto's IAM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import boto3
import pytest
from faststream.kafka import KafkaBroker

if TYPE_CHECKING:
    from tests.integration.workflow.conftest import ServiceFactory, TopicWatcher
from elevate_shared.kafka import publish
from elevate_shared.messages import Principal, RequestElevation
from elevate_shared.topics import WORKFLOW_COMMANDS, WORKFLOW_STATUS, status_adapter

pytestmark = pytest.mark.stack

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"

REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture
async def provisioner(
    stack: dict[str, str], database_name: str, tmp_path: Path
) -> AsyncIterator[None]:
    """Run ``python -m elevate_provisioner`` on the test catalogue until the test ends."""
    log = tmp_path / "provisioner.log"
    env = {
        **FAKE_AWS,
        **os.environ,
        "ELEVATE_CATALOGUE_DIR": str(CATALOGUE_DIR),
        "MONGODB_DATABASE": database_name,
        "ELEVATE_LOG_JSON": "true",
    }
    with log.open("w") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "elevate_provisioner",
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        async with asyncio.timeout(60):
            while '"provisioner_started"' not in log.read_text():
                assert process.returncode is None, log.read_text()
                await asyncio.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)


def reached(state: str) -> Callable[[list[Any]], bool]:
    return lambda messages: state in [m.to_state for m in messages]


def elevate_groups(user: str) -> list[str]:
    """Return the Elevate groups the IAM user is in."""
    iam = boto3.client(
        "iam",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        aws_access_key_id=FAKE_AWS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_AWS["AWS_SECRET_ACCESS_KEY"],
        region_name=FAKE_AWS["AWS_DEFAULT_REGION"],
    )
    groups = iam.list_groups_for_user(UserName=user)["Groups"]
    return [group["GroupName"] for group in groups if group["Path"] == "/elevate/"]


@pytest.mark.usefixtures("provisioner")
async def test_access_is_granted_in_aws_and_gone_after_its_duration(
    start_service: ServiceFactory, kafka: KafkaBroker, watch: Callable[..., Any]
) -> None:
    statuses: TopicWatcher = await watch(WORKFLOW_STATUS, status_adapter)
    user = f"user-{uuid4().hex[:12]}"
    command = RequestElevation(
        workflow_id=f"wf_{uuid4().hex[:16]}",
        execution_id=f"exec_{uuid4().hex[:12]}",
        requester=REQUESTER,
        role="s3-reader",
        providers=("aws",),
        reason="read the incident logs",
        duration="PT3S",
        identities=(user,),
    )

    async with start_service():
        await publish(kafka, WORKFLOW_COMMANDS, command)
        await statuses.wait_for(command.workflow_id, reached("active"))
        granted_groups = elevate_groups(user)
        seen = await statuses.wait_for(command.workflow_id, reached("revoked"), seconds=90)

    assert len(granted_groups) == 1
    assert elevate_groups(user) == []
    assert [m.to_state for m in seen] == [
        "requested",
        "validating",
        "approved",
        "provisioning",
        "active",
        "revoking",
        "revoked",
    ]
