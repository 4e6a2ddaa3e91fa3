"""Session fixtures for the real local stack (Kafka, MongoDB-compatible server, Redis, AWS).

When all four server env vars are set, tests use those servers. Otherwise the session
runs `scripts/stack.sh servers` once (it reuses servers already running and starts only
the missing ones) and loads `.stack/env` into `os.environ`, so every test and every
process a test starts talks to the same servers.
"""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER_VARS = ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI", "REDIS_URL", "AWS_ENDPOINT_URL")


def _read_env_file(path: Path) -> dict[str, str]:
    """Parse KEY=value lines."""
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _stack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / "stack.sh"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _services_running() -> bool:
    return "running" in _stack("status").stdout.split("gateway:", 1)[-1]


@pytest.fixture(scope="session")
def stack() -> Iterator[dict[str, str]]:
    """Start the local servers once per session unless given; export their addresses.

    Services of `make run` share the servers and consumer groups with the tests, so they
    would take the tests' messages: they are stopped for the session and started again
    after it.
    """
    if all(os.environ.get(name) for name in SERVER_VARS):
        env = {name: os.environ[name] for name in SERVER_VARS}
    else:
        result = _stack("servers")
        if result.returncode != 0:
            pytest.fail(f"scripts/stack.sh servers failed:\n{result.stderr}", pytrace=False)
        env = _read_env_file(ROOT / ".stack" / "env")
        os.environ.update(env)

    restart = _services_running()
    if restart:
        _stack("stop", "services")
    yield env

    if restart:
        _stack("services")


@pytest.fixture(scope="session")
def stack_env(stack: dict[str, str]) -> dict[str, str]:
    """The servers' addresses by env var name (KAFKA_BOOTSTRAP_SERVERS, MONGODB_URI, ...)."""
    return stack
