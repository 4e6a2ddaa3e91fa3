"""``python -m elevate_provisioner`` as a process: it starts, and stops cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"


def start(catalogue_dir: Path) -> "subprocess.Popen[str]":
    env = {**os.environ, "ELEVATE_CATALOGUE_DIR": str(catalogue_dir), "ELEVATE_LOG_JSON": "true"}
    return subprocess.Popen(
        [sys.executable, "-m", "elevate_provisioner"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.usefixtures("aws_env")
def test_the_service_consumes_until_sigterm_then_exits_cleanly() -> None:
    process = start(CATALOGUE_DIR)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # pytest-timeout ends this if the service never starts
        seen.append(line)
        if '"provisioner_started"' in line:
            break

    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=60)

    assert process.returncode == 0, "".join(seen) + rest
    assert '"provisioner_stopped"' in rest


@pytest.mark.usefixtures("aws_env")
def test_a_catalogue_that_cannot_load_stops_the_service_with_the_reason(tmp_path: Path) -> None:
    process = start(tmp_path)

    _, errors = process.communicate(timeout=60)

    assert process.returncode == 2
    assert '"catalogue_invalid"' in errors
    assert f"{tmp_path}: no *.yaml files found" in errors
