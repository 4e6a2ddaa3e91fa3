import asyncio

import pytest
from tenacity import wait_none

from elevate_workflow.adapters.notifiers import NotificationDispatcher
from elevate_workflow.domain.notifications import DeliveryFailed, Notification, Notifier


class FakeNotifier(Notifier):
    """Records what it was sent; fails its first ``failures`` sends with ``error``."""

    def __init__(self, name: str, *, failures: int = 0, error: Exception | None = None) -> None:
        super().__init__(name)
        self.sent: list[Notification] = []
        self.attempts = 0
        self._failures = failures
        self._error = error or DeliveryFailed("down")
        self.release = asyncio.Event()
        self.release.set()

    async def send(self, notification: Notification) -> None:
        self.attempts += 1
        await self.release.wait()
        if self.attempts <= self._failures:
            raise self._error
        self.sent.append(notification)


def granted() -> Notification:
    return Notification(kind="granted", workflow_id="wf_d1", requester="alice@example.com")


def dispatcher_of(*notifiers: Notifier, attempts: int = 3) -> NotificationDispatcher:
    return NotificationDispatcher(
        {notifier.name: notifier for notifier in notifiers}, attempts=attempts, wait=wait_none()
    )


async def test_every_named_channel_gets_the_notification_once() -> None:
    mail, slack, other = FakeNotifier("mail"), FakeNotifier("slack"), FakeNotifier("other")

    outcome = await dispatcher_of(mail, slack, other).deliver(["mail", "slack", "mail"], granted())

    assert outcome == {"mail": True, "slack": True}
    assert (len(mail.sent), len(slack.sent), len(other.sent)) == (1, 1, 0)


async def test_a_transient_failure_is_retried() -> None:
    flaky = FakeNotifier("mail", failures=2)

    assert await dispatcher_of(flaky).deliver(["mail"], granted()) == {"mail": True}
    assert flaky.attempts == 3


async def test_retries_stop_after_the_last_attempt() -> None:
    broken = FakeNotifier("mail", failures=10)

    assert await dispatcher_of(broken, attempts=4).deliver(["mail"], granted()) == {"mail": False}
    assert broken.attempts == 4


async def test_a_permanent_failure_is_not_retried() -> None:
    refused = FakeNotifier("mail", failures=10, error=DeliveryFailed("bad", retryable=False))

    assert await dispatcher_of(refused).deliver(["mail"], granted()) == {"mail": False}
    assert refused.attempts == 1


async def test_an_unexpected_error_never_reaches_the_caller() -> None:
    buggy = FakeNotifier("mail", failures=10, error=RuntimeError("bug"))

    assert await dispatcher_of(buggy).deliver(["mail"], granted()) == {"mail": False}


async def test_one_failing_channel_does_not_stop_the_others() -> None:
    broken, slack = FakeNotifier("mail", failures=10), FakeNotifier("slack")

    outcome = await dispatcher_of(broken, slack).deliver(["mail", "slack"], granted())

    assert outcome == {"mail": False, "slack": True}


async def test_an_unknown_channel_is_skipped() -> None:
    slack = FakeNotifier("slack")

    outcome = await dispatcher_of(slack).deliver(["pager", "slack"], granted())

    assert outcome == {"pager": False, "slack": True}


async def test_notify_returns_before_the_delivery_and_close_waits_for_it() -> None:
    slow = FakeNotifier("mail")
    slow.release.clear()
    dispatcher = dispatcher_of(slow)

    dispatcher.notify(["mail"], granted())
    await asyncio.sleep(0)
    assert slow.sent == []

    slow.release.set()
    await dispatcher.aclose()
    assert len(slow.sent) == 1


async def test_close_gives_up_on_a_delivery_that_hangs() -> None:
    stuck = FakeNotifier("mail")
    stuck.release.clear()
    dispatcher = dispatcher_of(stuck)
    dispatcher.notify(["mail"], granted())
    await asyncio.sleep(0)

    await dispatcher.aclose(grace_seconds=0.01)

    assert stuck.sent == []


@pytest.mark.parametrize("kind", ["denied", "expiring_soon", "revoked", "timed_out", "cancelled"])
async def test_every_kind_is_delivered(kind: str) -> None:
    mail = FakeNotifier("mail")
    notification = granted().model_copy(update={"kind": kind})

    assert await dispatcher_of(mail).deliver(["mail"], notification) == {"mail": True}
