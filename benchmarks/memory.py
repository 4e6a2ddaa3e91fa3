"""Resident memory of the service processes this benchmark started, from /proc."""

import os
from dataclasses import dataclass

from benchmarks.processes import PROC, service_processes

KIB_PER_MIB = 1024


@dataclass(frozen=True)
class Memory:
    """Resident set size now and its peak so far (VmRSS, VmHWM), in MiB."""

    rss: float
    peak: float


def service_memory() -> dict[str, Memory]:
    """Return the memory of each service process started by this process, by module."""
    mine = os.getpid()
    return {p.runs: _memory_of(p.pid) for p in service_processes() if p.parent == mine}


def _memory_of(pid: int) -> Memory:
    fields = {}
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.split()
    return Memory(
        rss=int(fields["VmRSS"][0]) / KIB_PER_MIB, peak=int(fields["VmHWM"][0]) / KIB_PER_MIB
    )
