"""The local servers and the four services, for the length of one benchmark run.

The servers come from ``scripts/stack.sh servers`` (reused when running, or taken from
the environment when all four addresses are set), as in the test session. Every Elevate
service on the stack shares the same consumer groups, so a service of ``make run`` or of
a test session would take messages of this run, and this run of theirs: ``make run``
services are paused for the run and started again after it, and the run waits for the
services and test sessions of others to end before it starts its own.
"""

import os
import secrets
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from pymongo import MongoClient
from tests.e2e.harness import running_services, service_env

from benchmarks.processes import other_sessions

log = structlog.get_logger(__name__)

ROOT = Path(__file__).resolve().parents[1]
STACK_SCRIPT = ROOT / "scripts" / "stack.sh"
SERVER_VARS = ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI", "REDIS_URL", "AWS_ENDPOINT_URL")
#: A port of its own, so the benchmark never meets the gateway of `make run` or the tests.
GATEWAY_PORT = 18100
GATEWAY_URL = f"http://127.0.0.1:{GATEWAY_PORT}"
#: High enough that the per-requester limiter never refuses the benchmark's requests.
RATE_LIMIT = "1000000"
#: The benchmark's own database, emptied at the start of each run.
DATABASE = "elevate_bench"
#: How long to wait for other sessions to end before giving up.
ALONE_WITHIN_SECONDS = 120.0


class BenchFailed(RuntimeError):
    """The benchmark could not run: servers or services did not start, or others kept running."""


@dataclass(frozen=True)
class Services:
    """The running services: where the gateway listens and the bearer token it accepts."""

    gateway_url: str
    token: str
    kafka: str


@contextmanager
def local_stack() -> Iterator[dict[str, str]]:
    """Make sure the servers run, export their addresses, pause `make run` services."""
    env = _server_env()
    paused = _services_running()
    if paused:
        log.info("bench_pausing_make_run_services")
        _stack("stop", "services")
    try:
        yield env
    finally:
        if paused:
            log.info("bench_restarting_make_run_services")
            _stack("services")


@contextmanager
def elevate_services(stack_env: Mapping[str, str]) -> Iterator[Services]:
    """Run the four services with the test catalogue and fresh secrets; stop them after."""
    token = secrets.token_urlsafe(24)
    env = service_env(
        stack_env,
        GATEWAY_PORT=str(GATEWAY_PORT),
        ELEVATE_PUBLIC_URL=GATEWAY_URL,
        ELEVATE_AUTH_DEV_MODE="true",
        ELEVATE_AUTH_DEV_TOKEN=token,
        ELEVATE_TASK_TOKEN_SECRET=secrets.token_urlsafe(48),
        ELEVATE_TEST_WEBHOOK_SECRET=secrets.token_urlsafe(16),
        MONGODB_DATABASE=DATABASE,
        GATEWAY_RATE_LIMIT_REQUESTS=RATE_LIMIT,
        GATEWAY_RATE_LIMIT_READS=RATE_LIMIT,
        GATEWAY_ADVICE_REPLICA_ID="bench",
    )
    log.info("bench_starting_services", gateway=GATEWAY_URL)
    try:
        with running_services(env, GATEWAY_URL):
            yield Services(GATEWAY_URL, token, stack_env["KAFKA_BOOTSTRAP_SERVERS"])
    except RuntimeError as error:
        raise BenchFailed(str(error)) from error


def wait_until_alone() -> None:
    """Wait until no other Elevate service or test session runs; fail after a while."""
    deadline = time.monotonic() + ALONE_WITHIN_SECONDS
    while others := other_sessions():
        if time.monotonic() > deadline:
            found = ", ".join(f"{p.runs} (pid {p.pid})" for p in others)
            raise BenchFailed(f"other Elevate services or tests still run: {found}")
        log.info("bench_waiting_for_other_sessions", count=len(others))
        time.sleep(5)


def reset_database(uri: str) -> None:
    """Empty the benchmark's database, so workflows left by an earlier run do not interfere.

    A run ends by skipping the backlog its load phase left on Kafka (see
    :mod:`benchmarks.leftovers`), which leaves some of its workflows half way in here.
    Grants they held stay in the emulated IAM, on the benchmark's own identities only.
    """
    client: MongoClient[dict[str, Any]] = MongoClient(uri, serverSelectionTimeoutMS=10_000)
    with client:
        client.drop_database(DATABASE)


def _server_env() -> dict[str, str]:
    if all(os.environ.get(name) for name in SERVER_VARS):
        return {name: os.environ[name] for name in SERVER_VARS}

    result = _stack("servers")
    if result.returncode != 0:
        raise BenchFailed(f"scripts/stack.sh servers failed:\n{result.stderr}")
    env = _read_env_file(ROOT / ".stack" / "env")
    os.environ.update(env)
    return env


def _read_env_file(path: Path) -> dict[str, str]:
    """Parse KEY=value lines."""
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _services_running() -> bool:
    return "running" in _stack("status").stdout.split("gateway:", 1)[-1]


def _stack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (this repository's own script, fixed arguments)
        [str(STACK_SCRIPT), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
