"""Ask the gateway for elevations: paced for latencies, or back to back for throughput.

Every request is for the test catalogue's ``s3-reader`` role through the ``auto``
workflow (no approval), for an IAM identity of its own: a user may hold at most ten
live grants, and the test provider creates missing users.
"""

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

#: Long enough to see the grant, short enough that the run ends in a few minutes.
DURATION = "PT5S"


@dataclass(frozen=True)
class Sent:
    """One request: when it left, how long the answer took, and what the answer was."""

    sent_at: float
    seconds: float
    status: int
    workflow_id: str | None


class Requester:
    """Sends elevation requests, each for a fresh identity named after the run."""

    def __init__(self, run_id: str) -> None:
        self._run_id = run_id
        self._numbers = itertools.count()

    async def request(self, client: httpx.AsyncClient) -> Sent:
        """Ask for one elevation; a transport error counts as an answer with status 0."""
        identity = f"bench-{self._run_id}-{next(self._numbers)}@example.com"
        params = {
            "role": "s3-reader",
            "provider": "aws",
            "workflow": "auto",
            "reason": "benchmark run reads the logs bucket",
            "duration": DURATION,
            "identities": identity,
        }
        sent_at, started = time.time(), time.perf_counter()
        try:
            response = await client.get("/elevate", params=params)
        except httpx.HTTPError:
            return Sent(sent_at, time.perf_counter() - started, 0, None)
        seconds = time.perf_counter() - started
        accepted = response.status_code == 202
        workflow_id = response.json()["output"]["workflow_id"] if accepted else None
        return Sent(sent_at, seconds, response.status_code, workflow_id)


@asynccontextmanager
async def gateway_client(url: str, token: str) -> AsyncIterator[httpx.AsyncClient]:
    """Open a client of the gateway; proxies from the environment are ignored (loopback)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=url, headers=headers, timeout=30, trust_env=False
    ) as client:
        yield client


async def paced(
    requester: Requester, client: httpx.AsyncClient, count: int, gap: float
) -> list[Sent]:
    """Send ``count`` requests, one every ``gap`` seconds, without waiting for answers."""
    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(requester.request(client)))
        await asyncio.sleep(gap)
    return list(await asyncio.gather(*tasks))


async def sustained(
    requester: Requester, url: str, token: str, clients: int, seconds: float
) -> tuple[list[Sent], float]:
    """Run ``clients`` clients back to back for ``seconds``; return all answers and the time.

    The time runs until the last answer, so requests still in flight at the deadline
    count against the rate rather than for it.
    """
    started = time.monotonic()
    deadline = started + seconds
    runs = [_one_client(requester, url, token, deadline) for _ in range(clients)]
    answers = [sent for run in await asyncio.gather(*runs) for sent in run]
    return answers, time.monotonic() - started


async def _one_client(requester: Requester, url: str, token: str, deadline: float) -> list[Sent]:
    answers = []
    async with gateway_client(url, token) as client:
        while time.monotonic() < deadline:
            answers.append(await requester.request(client))
    return answers
