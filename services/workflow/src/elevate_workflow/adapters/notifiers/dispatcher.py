"""Send a notification to the channels a workflow names, retrying, never failing the caller.

A notification is a courtesy of the workflow, never a step it waits on: :meth:`notify`
returns at once and delivers in a background task, and :meth:`deliver` (which the
background task runs) catches every error. Each channel is tried a few times with
growing waits; what still fails is logged with the channel and the reason, and dropped.
Channels are sent to concurrently, so one slow mail server delays no Slack message.
"""

import asyncio
from collections.abc import Callable, Iterable, Mapping

import structlog
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)
from tenacity.wait import wait_base

from elevate_workflow.domain.notifications import DeliveryFailed, Notification, Notifier

log = structlog.get_logger(__name__)

#: Tries per channel and notification: a mail server restart or a Slack hiccup heals
#: within the ~15 s these take; an outage longer than that is for the logs.
ATTEMPTS = 4
#: Waits between tries: 1 s, 2 s, 4 s...
WAIT = wait_exponential(multiplier=1, max=8)


def _worth_retrying(error: BaseException) -> bool:
    return not isinstance(error, DeliveryFailed) or error.retryable


class NotificationDispatcher:
    """Deliver notifications to named channels, each with its own retries."""

    def __init__(
        self,
        notifiers: Mapping[str, Notifier],
        *,
        attempts: int = ATTEMPTS,
        wait: wait_base = WAIT,
    ) -> None:
        self._notifiers = dict(notifiers)
        self._attempts = attempts
        self._wait = wait
        # Background tasks are kept referenced until done, or the loop may drop them.
        self._pending: set[asyncio.Task[dict[str, bool]]] = set()

    @property
    def channels(self) -> frozenset[str]:
        """Return the names of the channels this dispatcher can send to."""
        return frozenset(self._notifiers)

    def notify(self, channels: Iterable[str], notification: Notification) -> None:
        """Start delivering ``notification`` to ``channels`` in the background."""
        task = asyncio.create_task(self.deliver(channels, notification))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def deliver(self, channels: Iterable[str], notification: Notification) -> dict[str, bool]:
        """Deliver to every channel at once; return which ones took it. Never raises."""
        names = list(dict.fromkeys(channels))
        outcomes = await asyncio.gather(*(self._deliver_one(n, notification) for n in names))
        return dict(zip(names, outcomes, strict=True))

    async def aclose(self, grace_seconds: float = 30.0) -> None:
        """Let deliveries under way finish for up to ``grace_seconds``, then cancel them."""
        if not self._pending:
            return
        _, unfinished = await asyncio.wait(set(self._pending), timeout=grace_seconds)
        for task in unfinished:
            task.cancel()
        if unfinished:
            log.warning("notifications_abandoned", count=len(unfinished))

    async def _deliver_one(self, name: str, notification: Notification) -> bool:
        notifier = self._notifiers.get(name)
        if notifier is None:
            log.warning("notification_channel_unknown", channel=name, **_fields(notification))
            return False
        try:
            await self._with_retries(notifier, notification)
        except DeliveryFailed as error:
            log.error(
                "notification_failed", channel=name, error=str(error), **_fields(notification)
            )
            return False
        except Exception:
            log.exception("notification_failed", channel=name, **_fields(notification))
            return False
        log.info("notification_sent", channel=name, **_fields(notification))
        return True

    async def _with_retries(self, notifier: Notifier, notification: Notification) -> None:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            retry=retry_if_exception(_worth_retrying),
            before_sleep=_log_retry(notifier.name, notification),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                await notifier.send(notification)


def _log_retry(channel: str, notification: Notification) -> Callable[[RetryCallState], None]:
    """Return tenacity's hook that logs each failed try before the wait for the next."""
    fields = _fields(notification)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        reason = str(error) if isinstance(error, DeliveryFailed) else type(error).__name__
        log.warning(
            "notification_retrying",
            channel=channel,
            attempt=state.attempt_number,
            error=reason,
            **fields,
        )

    return before_sleep


def _fields(notification: Notification) -> dict[str, str]:
    """Return what identifies a notification in logs: never its links or reason."""
    return {
        "kind": notification.kind,
        "workflow_id": notification.workflow_id,
        "notification_id": str(notification.notification_id),
    }
