"""Run a state-changing request once per ``Idempotency-Key``, replaying its first answer.

A key is claimed before the request runs. A second request with the key gets the first
answer back once it is done, 409 while it is still running, and 422 when its content
differs (a key names one request, not a slot). Only successful answers are kept: a
refused request frees its key, so the caller can correct it and try again.

With a key, the new workflow's ids are derived from the caller, the key and the request
(its method, path and body), not drawn at random. Should the first answer be published
but not stored (Redis failing in between), a retry publishes the same ids again, and the
workflow service, which ignores a request for a workflow it already has, starts nothing
new.
"""

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from elevate_gateway.adapters.idempotency import IdempotencyStore, Remembered
from elevate_gateway.domain.caller import Caller
from elevate_gateway.domain.elevation import Accepted
from elevate_shared.errors import Conflict, RequestRejected

log = structlog.get_logger(__name__)

#: Visible ASCII, as the draft standard for the header suggests; long enough for a UUID.
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass(frozen=True)
class Answer:
    """A status and JSON body, as first given or replayed."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


async def once(
    store: IdempotencyStore,
    caller: Caller,
    key: str | None,
    request_content: bytes,
    run: Callable[[Accepted], Awaitable[Answer]],
) -> Answer:
    """Run ``run`` with the new workflow's ids unless ``key`` already stands for a request.

    ``request_content`` names the route and holds the body; the ids are fresh without a
    key, and fixed by the caller, the key and the content with one.
    """
    if key is None:
        return await run(Accepted.new())
    if not KEY_PATTERN.fullmatch(key):
        raise RequestRejected("use 1 to 255 visible ASCII characters", field="Idempotency-Key")

    # Keys are per caller: one caller's key never replays another caller's answer.
    scoped = f"{caller.rate_key}:{hashlib.sha256(key.encode()).hexdigest()}"
    fingerprint = hashlib.sha256(request_content).hexdigest()
    remembered = await store.claim(scoped, fingerprint)
    if remembered is not None:
        return _replay(remembered, fingerprint)

    try:
        answer = await run(Accepted.derived(f"{scoped}\n{fingerprint}"))
    except BaseException:
        await store.release(scoped)
        raise
    await store.remember(scoped, Remembered(fingerprint, answer.status, answer.body))
    return answer


def _replay(remembered: Remembered, fingerprint: str) -> Answer:
    if remembered.fingerprint != fingerprint:
        raise RequestRejected(
            "this Idempotency-Key was used for a different request", field="Idempotency-Key"
        )
    if not remembered.finished or remembered.body is None or remembered.status is None:
        raise Conflict(
            "a request with this Idempotency-Key is still running; retry shortly",
            field="Idempotency-Key",
        )
    log.info("idempotent_replay", status=remembered.status)
    return Answer(remembered.status, remembered.body, replayed=True)
