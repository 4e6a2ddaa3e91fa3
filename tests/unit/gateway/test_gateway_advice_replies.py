"""The gateway's advice reply loop keeps reading after errors, and readiness watches it."""

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from aiokafka import TopicPartition
from structlog.testing import capture_logs

from elevate_gateway.adapters import advice as advice_module
from elevate_gateway.adapters.advice import AdviceSettings, KafkaAdvice
from elevate_shared.settings import KafkaSettings


class FailingOnce:
    """Replies that fail once with an unexpected error, then wait quietly."""

    def __init__(self) -> None:
        self.calls = 0
        self.called_again = asyncio.Event()

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0
    ) -> Mapping[TopicPartition, Sequence[Any]]:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("a bug while reading")
        self.called_again.set()
        await asyncio.sleep(timeout_ms / 1000)
        return {}


@pytest.fixture
def advice(monkeypatch: pytest.MonkeyPatch) -> KafkaAdvice:
    monkeypatch.setattr(advice_module, "RETRY_SECONDS", 0.01)
    return KafkaAdvice(KafkaSettings(), AdviceSettings(replica_id="unit"))


async def test_the_reply_loop_logs_an_unexpected_error_and_keeps_reading(
    advice: KafkaAdvice,
) -> None:
    replies = FailingOnce()

    with capture_logs() as logs:
        advice.listen(replies)
        await asyncio.wait_for(replies.called_again.wait(), timeout=5)

    assert advice.listening()
    assert await advice.probe().run()
    assert [e["log_level"] for e in logs if e["event"] == "advice_replies_failed"] == ["error"]
    await advice.stop()


async def test_readiness_fails_when_replies_are_no_longer_read(advice: KafkaAdvice) -> None:
    assert not await advice.probe().run()  # never started

    advice.listen(FailingOnce())
    await advice.stop()

    assert not advice.listening()
    assert not await advice.probe().run()
