"""Run every benchmark and print one table of figures, targets and verdicts.

Steps: time the offline advisor in this process; start the services on an empty
database; send requests one a second (answer times, request to active, revocation
after expiry, and the hops in between); then eight clients back to back for ten seconds
(accepted rate), and twenty seconds more to see how many of those workflows the system
activated; read each service's resident memory; stop the services and skip the
backlog the load left on Kafka.
"""

import asyncio
import secrets
import sys
from dataclasses import dataclass

import structlog

from benchmarks.advisor import time_offline_engine
from benchmarks.figures import Figure, Target, p95, render
from benchmarks.leftovers import Skipped, skip_leftovers
from benchmarks.load import Requester, Sent, gateway_client, paced, sustained
from benchmarks.memory import Memory, service_memory
from benchmarks.outcome import HOPS, Outcome, hop_name
from benchmarks.processes import Process, other_sessions
from benchmarks.stack import (
    BenchFailed,
    Services,
    elevate_services,
    local_stack,
    reset_database,
    wait_until_alone,
)
from benchmarks.status import StatusWatcher
from elevate_shared.logging import configure_logging
from elevate_shared.states import WorkflowState as S

log = structlog.get_logger(__name__)

PACED_REQUESTS = 20
PACED_GAP_SECONDS = 1.0
LOAD_CLIENTS = 8
LOAD_SECONDS = 10.0
#: How long after the load to keep counting its workflows that become active.
AFTER_LOAD_SECONDS = 20.0
#: Bound on waiting for the paced workflows to end, so a stuck system cannot stall the run.
PACED_WAIT_SECONDS = 90.0
MS = 1000


@dataclass(frozen=True)
class Drive:
    """What the phases driven through the gateway measured."""

    quiet: Outcome
    loaded: Outcome
    load_seconds: float
    publish_delays: list[float]
    #: Other services or test sessions seen at the end of each phase.
    others: list[Process]


@dataclass(frozen=True)
class Run:
    """Everything measured on the services, and what the run saw around them."""

    drive: Drive
    memory: dict[str, Memory]
    skipped: Skipped


def main() -> int:
    """Run the benchmarks, print the table; non-zero only when they could not run."""
    configure_logging("benchmarks", json=False)
    try:
        figures = _advisor_figures()
        run = _run_services()
    except BenchFailed as error:
        log.error("bench_failed", error=str(error))
        return 1
    figures += _drive_figures(run.drive) + _memory_figures(run.memory)
    sys.stdout.write(render(figures, _notes(run)))
    return 0


def _advisor_figures() -> list[Figure]:
    log.info("bench_advisor", engine="offline")
    timings = asyncio.run(time_offline_engine())
    return [
        Figure(
            f"advisor suggestion p95 (offline, n={len(timings.later)})",
            _ms(p95(timings.later)),
            "ms",
            Target(20),
        ),
        Figure("advisor first suggestion (builds the index)", timings.first * MS, "ms"),
    ]


def _run_services() -> Run:
    with local_stack() as stack_env:
        wait_until_alone()
        reset_database(stack_env["MONGODB_URI"])
        with elevate_services(stack_env) as services:
            drive = asyncio.run(_drive(services))
            memory = service_memory()
        ours = {*drive.quiet.timelines, *drive.loaded.timelines}
        skipped = asyncio.run(skip_leftovers(services.kafka, ours))
    return Run(drive, memory, skipped)


async def _drive(services: Services) -> Drive:
    requester = Requester(secrets.token_hex(4))
    async with StatusWatcher(services.kafka) as watcher:
        quiet = await _paced_phase(services, requester, watcher)
        others = _others_now()

        log.info("bench_load", clients=LOAD_CLIENTS, seconds=LOAD_SECONDS)
        loaded, load_seconds = await sustained(
            requester, services.gateway_url, services.token, LOAD_CLIENTS, LOAD_SECONDS
        )
        others |= _others_now()
        log.info("bench_after_load", seconds=AFTER_LOAD_SECONDS, requests=len(loaded))
        await asyncio.sleep(AFTER_LOAD_SECONDS)
        others |= _others_now()

        return Drive(
            quiet=Outcome.of(quiet, watcher),
            loaded=Outcome.of(loaded, watcher),
            load_seconds=load_seconds,
            publish_delays=watcher.publish_delays,
            others=list(others.values()),
        )


async def _paced_phase(
    services: Services, requester: Requester, watcher: StatusWatcher
) -> list[Sent]:
    """Send the paced requests and wait (bounded) until their workflows have ended."""
    log.info("bench_paced", requests=PACED_REQUESTS, gap_seconds=PACED_GAP_SECONDS)
    async with gateway_client(services.gateway_url, services.token) as client:
        quiet = await paced(requester, client, PACED_REQUESTS, PACED_GAP_SECONDS)
    accepted = [s.workflow_id for s in quiet if s.workflow_id is not None]
    await watcher.wait_ended(accepted, PACED_WAIT_SECONDS)
    return quiet


def _others_now() -> dict[int, Process]:
    return {p.pid: p for p in other_sessions()}


def _drive_figures(drive: Drive) -> list[Figure]:
    quiet, loaded = drive.quiet, drive.loaded
    watched = drive.load_seconds + AFTER_LOAD_SECONDS
    return [
        Figure("gateway 202 answer p95 (1/s)", _ms(p95(quiet.answers)), "ms", Target(100)),
        Figure("request -> active p95 (1/s)", p95(quiet.seconds("sent", S.ACTIVE)), "s", Target(3)),
        Figure(
            "expiry -> revoked p95 (1/s)", p95(quiet.seconds("expiry", S.REVOKED)), "s", Target(3)
        ),
        *(
            Figure(f"  hop {hop_name(a, b)} p95 (1/s)", p95(quiet.seconds(a, b)), "s")
            for a, b in HOPS
        ),
        Figure("status change -> on the topic p95", _ms(p95(drive.publish_delays)), "ms"),
        Figure(
            f"accepted requests ({LOAD_CLIENTS} clients, {LOAD_SECONDS:g} s)",
            len(loaded.answers) / drive.load_seconds,
            "/s",
            Target(50, at_least=True),
        ),
        Figure("gateway 202 answer p95 (under load)", _ms(p95(loaded.answers)), "ms"),
        Figure(
            f"load's workflows made active ({watched:.0f} s from its start)",
            len(loaded.seconds("sent", S.ACTIVE)) / watched,
            "/s",
        ),
    ]


def _memory_figures(memory: dict[str, Memory]) -> list[Figure]:
    return [
        Figure(f"RSS {module} after the run", _rss(memory, module), "MiB", Target(250))
        for module in (
            "elevate_gateway",
            "elevate_workflow",
            "elevate_provisioner",
            "elevate_advisor",
        )
    ]


def _notes(run: Run) -> list[str]:
    peaks = ", ".join(f"{module} {m.peak:.1f} MiB" for module, m in run.memory.items())
    notes = [
        run.drive.quiet.note("1/s phase"),
        run.drive.loaded.note("load phase"),
        f"peak RSS (VmHWM): {peaks or 'no service process found'}",
        f"load backlog on Kafka: {run.skipped.skipped} records of this run skipped",
    ]
    if run.skipped.left:
        notes.append(
            f"{run.skipped.left} records of this run LEFT on Kafka: another service was in "
            "their consumer group; it takes them instead"
        )
    if run.drive.others:
        found = ", ".join(f"{p.runs} (pid {p.pid})" for p in run.drive.others)
        notes.append(f"OTHER Elevate services or tests ran alongside: {found}; they share")
        notes.append("  consumer groups with this run, so figures and the skip may be off")
    return notes


def _rss(memory: dict[str, Memory], module: str) -> float | None:
    return memory[module].rss if module in memory else None


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * MS
