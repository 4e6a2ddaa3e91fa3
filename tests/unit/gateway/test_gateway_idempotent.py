import hashlib

import pytest
from gateway_fakes import FakeIdempotencyStore, alice  # type: ignore[import-not-found]

from elevate_gateway.adapters.idempotency import Remembered
from elevate_gateway.handlers.idempotent import Answer, once
from elevate_shared.errors import Conflict, RequestRejected, Unavailable


class Runs:
    def __init__(self) -> None:
        self.count = 0

    async def succeed(self) -> Answer:
        self.count += 1
        return Answer(202, {"n": self.count})

    async def fail(self) -> Answer:
        self.count += 1
        raise Unavailable("down")


async def test_without_a_key_every_request_runs() -> None:
    runs, store = Runs(), FakeIdempotencyStore()

    await once(store, alice(), None, b"body", runs.succeed)
    await once(store, alice(), None, b"body", runs.succeed)

    assert runs.count == 2
    assert store.kept == {}


async def test_a_repeated_key_replays_the_first_answer_without_running() -> None:
    runs, store = Runs(), FakeIdempotencyStore()

    first = await once(store, alice(), "k1", b"body", runs.succeed)
    second = await once(store, alice(), "k1", b"body", runs.succeed)

    assert runs.count == 1
    assert second.body == first.body
    assert second.replayed


async def test_a_key_whose_first_request_still_runs_is_a_conflict() -> None:
    runs, store = Runs(), FakeIdempotencyStore()
    await store.claim(f"{alice().rate_key}:" + _hashed("k1"), _hashed_body(b"body"))

    with pytest.raises(Conflict):
        await once(store, alice(), "k1", b"body", runs.succeed)
    assert runs.count == 0


async def test_a_key_reused_for_another_body_is_refused() -> None:
    runs, store = Runs(), FakeIdempotencyStore()
    await once(store, alice(), "k1", b"body", runs.succeed)

    with pytest.raises(RequestRejected):
        await once(store, alice(), "k1", b"other body", runs.succeed)


async def test_a_failed_request_releases_its_key() -> None:
    runs, store = Runs(), FakeIdempotencyStore()

    with pytest.raises(Unavailable):
        await once(store, alice(), "k1", b"body", runs.fail)
    retried = await once(store, alice(), "k1", b"body", runs.succeed)

    assert len(store.released) == 1
    assert retried.status == 202
    assert isinstance(next(iter(store.kept.values())), Remembered)


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _hashed_body(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
