"""``GET /health`` (the process is up) and ``GET /ready`` (it can serve requests)."""

import asyncio
from typing import Any

from litestar import Request, Response, get

from elevate_gateway.entrypoints.dependencies import ServicesParam
from elevate_gateway.entrypoints.problems import problem


@get("/health", name="health", sync_to_thread=False)
def health() -> dict[str, str]:
    """Answer while the process runs."""
    return {"status": "ok"}


@get("/ready", name="ready")
async def ready(request: Request[Any, Any, Any], services: ServicesParam) -> Response[Any]:
    """Answer 200 when every probe passes, else 503 naming which did not.

    The probes ask Kafka, MongoDB and Redis, and, while the advisor route runs, whether
    the advisor's replies are still being read.
    """
    results = await asyncio.gather(*(probe.run() for probe in services.probes))
    answered = zip(services.probes, results, strict=True)
    checks = {probe.name: "ok" if ok else "failed" for probe, ok in answered}
    failed = [name for name, state in checks.items() if state != "ok"]
    if failed:
        detail = f"not ready: {', '.join(failed)} did not answer"
        return problem(request, 503, "Service unavailable", detail, checks=checks)
    return Response({"status": "ready", "checks": checks})
