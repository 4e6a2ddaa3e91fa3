"""Run the four services as real processes against the local stack, for end-to-end tests."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("elevate_workflow", "elevate_provisioner", "elevate_advisor", "elevate_gateway")
LOG_DIR = ROOT / ".stack" / "logs"


@contextmanager
def running_services(env: Mapping[str, str], gateway_url: str) -> Iterator[None]:
    """Start every service with ``env``, wait for the gateway to be ready, stop them after."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    processes = {module: _start(module, env) for module in SERVICES}
    try:
        _wait_ready(gateway_url, processes)
        yield
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _start(module: str, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    log = (LOG_DIR / f"e2e-{module}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", module], cwd=ROOT, env=dict(env), stdout=log, stderr=log
    )


def _wait_ready(url: str, processes: dict[str, subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited early; see {LOG_DIR}/e2e-{name}.log")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gateway not ready at {url}; see {LOG_DIR}/e2e-elevate_gateway.log")


def service_env(stack_env: Mapping[str, str], **extra: str) -> dict[str, str]:
    """The environment of the services under test: the stack, the test catalogue, dev auth."""
    return {
        **os.environ,
        **stack_env,
        "ELEVATE_CATALOGUE_DIR": str(ROOT / "tests" / "catalogue"),
        "ELEVATE_LOG_JSON": "true",
        **extra,
    }
