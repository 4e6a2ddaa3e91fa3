"""Elevate's processes on this machine, from /proc: service processes and test sessions."""

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    """One process: its pid, its parent's pid, and what it runs (a module, or pytest)."""

    pid: int
    parent: int
    runs: str


def service_processes() -> list[Process]:
    """Return every running ``python -m elevate_*`` process."""
    return [p for p in _elevate_processes() if p.runs.startswith("elevate_")]


def other_sessions() -> list[Process]:
    """Return the Elevate services and test sessions that this process did not start.

    Test sessions count because integration and end-to-end tests run services in the
    same consumer groups, whether as processes or inside pytest.
    """
    mine = os.getpid()
    return [p for p in _elevate_processes() if mine not in (p.pid, p.parent)]


def _elevate_processes() -> list[Process]:
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (process := _read(entry)) is not None:
            found.append(process)
    return found


def _read(entry: Path) -> Process | None:
    try:
        stat = (entry / "stat").read_text()
        command = [part.decode() for part in (entry / "cmdline").read_bytes().split(b"\0")]
    except OSError:
        return None  # the process ended while the table was read
    runs = _what_runs(command)
    if runs is None:
        return None
    # The command name in parentheses may hold spaces: the fields start after its ')'.
    parent = int(stat.rsplit(")", 1)[1].split()[1])
    return Process(int(entry.name), parent, runs)


def _what_runs(command: list[str]) -> str | None:
    module = command[command.index("-m") + 1] if "-m" in command[:-1] else ""
    if module.startswith("elevate_") or module == "pytest":
        return module
    if len(command) > 1 and Path(command[1]).name == "pytest" and "python" in command[0]:
        return "pytest"
    return None
