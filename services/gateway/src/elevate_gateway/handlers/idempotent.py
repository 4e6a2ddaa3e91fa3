"""Run a state-changing request once per ``Idempotency-Key``, replaying its first answer.

A key is claimed before the request runs. A second request with the key gets the first
answer back once it is done, 409 while it is still running, and 422 when its content
differs (a key names one request, not a slot). Only successful answers are kept: a
refused request frees its key, so the caller can correct it and try again.
"""

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from elevate_gateway.adapters.idempotency import IdempotencyStore, Remembered
from elevate_gateway.domain.caller import Caller
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
    run: Callable[[], Awaitable[Answer]],
) -> Answer:
    """Run ``run`` unless ``key`` already stands for a request; then replay its answer."""
    if key is None:
        return await run()
    if not KEY_PATTERN.fullmatch(key):
        raise RequestRejected("use 1 to 255 visible ASCII characters", field="Idempotency-Key")

    # Keys are per caller: one caller's key never replays another caller's answer.
    scoped = f"{caller.rate_key}:{hashlib.sha256(key.encode()).hexdigest()}"
    fingerprint = hashlib.sha256(request_content).hexdigest()
    remembered = await store.claim(scoped, fingerprint)
    if remembered is not None:
        return _replay(remembered, fingerprint)

    try:
        answer = await run()
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
