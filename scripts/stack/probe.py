"""Check once whether a local stack server answers; exit 0 if it does, 1 if not.

Used by scripts/stack.sh, which calls it in a loop until the server is ready:
    probe.py kafka 127.0.0.1:19092
    probe.py mongodb mongodb://127.0.0.1:27117/
    probe.py http http://127.0.0.1:15000/
"""

import asyncio
import sys
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 3

# Each probe imports its own client library: the script runs this file in a polling loop,
# and loading every client on every call would double its start time.


async def _kafka_has_brokers(bootstrap_servers: str) -> bool:
    """Ask the cluster for its metadata; a broker that answers lists itself."""
    # aiokafka ships no type information.
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers, request_timeout_ms=TIMEOUT_SECONDS * 1000
    )
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
        return bool(cluster["brokers"])
    finally:
        await admin.close()


def kafka(bootstrap_servers: str) -> bool:
    """Check that Kafka answers a metadata request."""
    return asyncio.run(_kafka_has_brokers(bootstrap_servers))


def mongodb(uri: str) -> bool:
    """Check that the MongoDB-compatible server answers a ping."""
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(
        uri, serverSelectionTimeoutMS=TIMEOUT_SECONDS * 1000
    )
    with client:
        reply = client.admin.command("ping")
    return reply.get("ok") == 1


def http(url: str) -> bool:
    """Check that an HTTP server answers without a server error."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - URLs come from scripts/stack.sh
            return int(response.status) < 500
    except urllib.error.HTTPError as error:
        return error.code < 500


PROBES = {"kafka": kafka, "mongodb": mongodb, "http": http}


def main(argv: list[str]) -> int:
    """Run the probe named by the first argument against the second."""
    kind, target = argv
    try:
        return 0 if PROBES[kind](target) else 1
    except Exception:
        # Any failure means "not ready yet": the caller retries until its deadline.
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
