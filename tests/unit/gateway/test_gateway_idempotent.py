import hashlib

import pytest
from gateway_fakes import FakeIdempotencyStore, alice  # type: ignore[import-not-found]

from elevate_gateway.adapters.idempotency import IdempotencyStore, Remembered
from elevate_gateway.domain.caller import Caller, person
from elevate_gateway.domain.elevation import Accepted
from elevate_gateway.handlers.idempotent import Answer, once
from elevate_shared.errors import Conflict, RequestRejected, Unavailable


class Runs:
    def __init__(self) -> None:
        self.count = 0
        self.ids: list[Accepted] = []

    async def succeed(self, accepted: Accepted) -> Answer:
        self.count += 1
        self.ids.append(accepted)
        return Answer(202, {"n": self.count, "workflow_id": accepted.workflow_id})

    async def fail(self, accepted: Accepted) -> Answer:
        self.count += 1
        self.ids.append(accepted)
        raise Unavailable("down")


class ForgetfulStore(IdempotencyStore):
    """Never keeps an answer, as when Redis fails after publishing and the claim expires."""

    async def claim(self, key: str, fingerprint: str) -> Remembered | None:
        return None

    async def remember(self, key: str, answer: Remembered) -> None:
        raise Unavailable("the idempotency store did not answer")

    async def release(self, key: str) -> None:
        return None


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


async def test_a_retry_after_the_answer_was_lost_runs_with_the_same_ids() -> None:
    runs, store = Runs(), ForgetfulStore()

    with pytest.raises(Unavailable):
        await once(store, alice(), "k1", b"POST /elevate\nbody", runs.succeed)
    with pytest.raises(Unavailable):
        await once(store, alice(), "k1", b"POST /elevate\nbody", runs.succeed)

    assert runs.count == 2
    assert runs.ids[0] == runs.ids[1]
    assert runs.ids[0].workflow_id.startswith("wf_")
    assert runs.ids[0].execution_id.startswith("exec_")


async def test_ids_differ_by_caller_key_and_request_and_are_fresh_without_a_key() -> None:
    runs = Runs()
    requests = [
        (alice(), "k1", b"POST /elevate\nbody"),
        (bob(), "k1", b"POST /elevate\nbody"),
        (alice(), "k2", b"POST /elevate\nbody"),
        (alice(), "k1", b"POST /elevate/llm\nbody"),
        (alice(), None, b"POST /elevate\nbody"),
        (alice(), None, b"POST /elevate\nbody"),
    ]

    for caller, key, content in requests:
        await once(FakeIdempotencyStore(), caller, key, content, runs.succeed)

    assert len({ids.workflow_id for ids in runs.ids}) == len(requests)
    assert len({ids.execution_id for ids in runs.ids}) == len(requests)


def bob() -> Caller:
    return person("bob@example.com", "oidc", (), admin_group="elevate-admins")


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _hashed_body(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
