"""``python -m elevate_workflow`` as a process: it starts, and stops cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"


def start(catalogue_dir: Path, database: str) -> "subprocess.Popen[str]":
    env = {
        **os.environ,
        "ELEVATE_CATALOGUE_DIR": str(catalogue_dir),
        "ELEVATE_LOG_JSON": "true",
        "MONGODB_DATABASE": database,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "elevate_workflow"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.usefixtures("secrets")
def test_the_service_runs_until_sigterm_then_exits_cleanly(database_name: str) -> None:
    process = start(CATALOGUE_DIR, database_name)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # pytest-timeout ends this if the service never starts
        seen.append(line)
        if '"workflow_service_started"' in line:
            break

    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=60)

    assert process.returncode == 0, "".join(seen) + rest
    assert '"workflow_service_stopped"' in rest


@pytest.mark.usefixtures("secrets")
def test_a_catalogue_that_cannot_load_stops_the_service_with_the_reason(
    tmp_path: Path, database_name: str
) -> None:
    process = start(tmp_path, database_name)

    _, errors = process.communicate(timeout=60)

    assert process.returncode == 2
    assert '"catalogue_invalid"' in errors
    assert f"{tmp_path}: no *.yaml files found" in errors


def test_a_missing_task_token_key_stops_the_service_naming_it(
    stack: dict[str, str], database_name: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ELEVATE_TASK_TOKEN_SECRET"}
    process = subprocess.run(
        [sys.executable, "-m", "elevate_workflow"],
        env={**env, "ELEVATE_CATALOGUE_DIR": str(CATALOGUE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert process.returncode != 0
    assert "ELEVATE_TASK_TOKEN_SECRET" in process.stderr
