"""Publish an elevation command straight to Kafka, as another service would.

Usage: python -m tests.e2e.publish_request <workflow_id> <identity>
"""

import asyncio
import os
import sys

from aiokafka import AIOKafkaProducer

from elevate_shared.messages import Principal, RequestElevation
from elevate_shared.topics import WORKFLOW_COMMANDS


async def main(workflow_id: str, identity: str) -> None:
    command = RequestElevation(
        workflow_id=workflow_id,
        execution_id=f"exec_{workflow_id}",
        requester=Principal(subject="batch-jobs", authenticator="kafka", kind="service"),
        role="s3-reader",
        providers=("aws",),
        reason="nightly export needs to read the logs bucket",
        duration="PT6S",
        identities=(identity,),
    )
    producer = AIOKafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])
    await producer.start()
    try:
        await producer.send_and_wait(
            WORKFLOW_COMMANDS, command.model_dump_json().encode(), key=workflow_id.encode()
        )
    finally:
        await producer.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
