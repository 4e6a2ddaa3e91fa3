"""Fakes of the workflow service's ports, and a small world that wires them.

Fakes subclass the ports and keep what happened (``published``, ``sent``), so tests
assert on behaviour: the records written, the messages published, the people told.
Tests get a :class:`World` from the ``world`` fixture (``make_world`` for other
settings) and import its type only for annotations.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import yaml

from elevate_shared import task_tokens
from elevate_shared.catalogue import Catalogue, load_catalogue
from elevate_shared.messages import Message, Principal, RequestElevation, WorkflowStatusChanged
from elevate_shared.records import OutboxEntry, TaskTokenRecord, WorkflowRecord
from elevate_shared.topics import (
    PROVISIONER_COMMANDS,
    WORKFLOW_STATUS,
    provisioner_command_adapter,
    status_adapter,
)
from elevate_workflow.adapters.notifiers import NotificationDispatcher
from elevate_workflow.adapters.publisher import Publisher
from elevate_workflow.adapters.store import DueTimer, PendingWrite, WorkflowStore
from elevate_workflow.bootstrap import build_context
from elevate_workflow.domain.changes import Changes
from elevate_workflow.domain.clock import utcnow
from elevate_workflow.domain.notifications import Notification, Notifier
from elevate_workflow.domain.policy import TimerPolicy
from elevate_workflow.handlers import handle
from elevate_workflow.handlers.notices import Notices
from elevate_workflow.handlers.timers import fire_due_timers

SECRET = "unit-test-task-token-secret-0123456789"
HERE = Path(__file__).parent
REQUESTER = Principal(subject="alice@example.com", authenticator="oidc")


def _rich_catalogue() -> Catalogue:
    """Return the shared test catalogue with this folder's extras added."""
    base = load_catalogue(HERE.parents[1] / "catalogue").model_dump()
    extras = yaml.safe_load((HERE / "catalogue_extras.yaml").read_text())
    for section, entries in extras.items():
        base[section].update({entry["name"]: entry for entry in entries})
    return Catalogue.model_validate(base)


#: The test catalogue, plus two accounts, two of three leads, deny on timeout, self-approval.
RICH_CATALOGUE = _rich_catalogue()


class FakeClock:
    """A clock tests move by hand; starts now, so real token checks agree with it."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class LoggedWrite:
    """A write as the fake store keeps it."""

    workflow_id: str
    base_version: int
    at: datetime
    entries: tuple[OutboxEntry, ...]
    published: bool


class FakeStore(WorkflowStore):
    """Records in a dict, writes in a log; ``before_apply`` plays writers that get in first."""

    def __init__(self) -> None:
        self.records: dict[str, WorkflowRecord] = {}
        self.writes: dict[str, LoggedWrite] = {}
        self.before_apply: list[Callable[[], Awaitable[None]]] = []
        self.lost_races = 0
        self.reindexed: list[str] = []
        self.restores = 0

    async def create(self, record: WorkflowRecord, outbox: Sequence[OutboxEntry] = ()) -> bool:
        return self._commit(0, record, tuple(outbox))

    async def load(self, workflow_id: str) -> WorkflowRecord | None:
        record = self.records.get(workflow_id)
        return record.model_copy(deep=True) if record else None

    async def apply(self, record: WorkflowRecord, changes: Changes) -> WorkflowRecord | None:
        while self.before_apply:
            await self.before_apply.pop(0)()
        if not self._commit(record.doc_version, changes.after, changes.outbox):
            self.lost_races += 1
            return None
        return changes.after

    async def due(self, now: datetime, limit: int) -> list[DueTimer]:
        due = [
            DueTimer(r.workflow_id, r.timer, r.due_at, r.correlation_id)
            for r in self.records.values()
            if r.timer is not None and r.due_at is not None and r.due_at <= now
        ]
        return sorted(due, key=lambda timer: timer.due_at)[:limit]

    async def reindex_timer(self, workflow_id: str) -> None:
        """Count it; the fake finds timers in the records themselves."""
        self.reindexed.append(workflow_id)

    async def restore_timers(self) -> None:
        """Count it; the fake finds timers in the records themselves."""
        self.restores += 1

    async def unpublished(self, workflow_id: str) -> list[PendingWrite]:
        mine = [
            (write.base_version, PendingWrite(write_id, write.entries))
            for write_id, write in self.writes.items()
            if write.workflow_id == workflow_id and not write.published
        ]
        return [pending for _, pending in sorted(mine, key=lambda pair: pair[0])]

    async def mark_published(self, writes: Sequence[PendingWrite]) -> None:
        for write in writes:
            self.writes[write.write_id].published = True

    async def left_unpublished(self, older_than: datetime, limit: int) -> list[str]:
        ids = [
            w.workflow_id for w in self.writes.values() if not w.published and w.at <= older_than
        ]
        return list(dict.fromkeys(ids))[:limit]

    def unsent(self, workflow_id: str) -> list[OutboxEntry]:
        """Return the workflow's messages not yet published, in write order."""
        return [
            entry
            for write in self.writes.values()
            if write.workflow_id == workflow_id and not write.published
            for entry in write.entries
        ]

    def _commit(
        self, base_version: int, record: WorkflowRecord, outbox: tuple[OutboxEntry, ...]
    ) -> bool:
        write_id = f"{record.workflow_id}#{base_version}"
        if write_id in self.writes:
            return False
        self.writes[write_id] = LoggedWrite(
            record.workflow_id, base_version, record.updated_at, outbox, not outbox
        )
        self.records[record.workflow_id] = record.model_copy(deep=True)
        return True


class FakePublisher(Publisher):
    """Keeps what was published; ``failing`` plays an unreachable Kafka."""

    def __init__(self) -> None:
        self.published: list[OutboxEntry] = []
        self.failing = False

    async def publish(self, entry: OutboxEntry) -> None:
        if self.failing:
            raise ConnectionError("Kafka is unreachable")
        self.published.append(entry)

    def statuses(self, workflow_id: str) -> list[WorkflowStatusChanged]:
        """Return the status events of one workflow, in publishing order."""
        return [
            status_adapter.validate_python(entry.payload)
            for entry in self.published
            if entry.topic == WORKFLOW_STATUS and entry.key == workflow_id
        ]

    def commands(self, workflow_id: str) -> list[Message]:
        """Return the provisioner commands of one workflow, in publishing order."""
        return [
            provisioner_command_adapter.validate_python(entry.payload)
            for entry in self.published
            if entry.topic == PROVISIONER_COMMANDS and entry.key == workflow_id
        ]


class FakeNotifier(Notifier):
    """A channel that keeps what it was sent."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.sent: list[Notification] = []

    async def send(self, notification: Notification) -> None:
        self.sent.append(notification)


class TokenBook:
    """Issues real task tokens and remembers them, as the approvers' inboxes would."""

    def __init__(self) -> None:
        self.issued: dict[tuple[str, str], str] = {}

    def __call__(
        self, workflow_id: str, step: str, approver: str, ttl: timedelta, *, now: datetime
    ) -> tuple[str, TaskTokenRecord]:
        token, record = task_tokens.issue(SECRET, workflow_id, step, approver, ttl, now=now)
        self.issued[workflow_id, approver] = token
        return token, record

    def token(self, workflow_id: str, approver: str) -> str:
        return self.issued[workflow_id, approver]


class World:
    """The workflow service's handlers wired to fakes."""

    def __init__(self, catalogue: Catalogue = RICH_CATALOGUE, policy: TimerPolicy | None = None):
        self.clock = FakeClock()
        self.store = FakeStore()
        self.publisher = FakePublisher()
        self.tokens = TokenBook()
        self.email = FakeNotifier("test-email")
        self.dispatcher = NotificationDispatcher({"test-email": self.email}, attempts=1)
        context = build_context(
            store=self.store,
            publisher=self.publisher,
            catalogue=catalogue,
            secret=SECRET,
            notices=Notices(self.dispatcher, "https://elevate.test"),
            policy=policy or TimerPolicy(),
        )
        self.context = replace(context, issue_token=self.tokens, clock=self.clock)

    def request(self, **fields: Any) -> RequestElevation:
        """Return a valid request for the auto-approved role, with a fresh workflow id."""
        return request(**fields)

    async def send(self, message: Message) -> None:
        await handle(message, self.context)

    async def fire_timers(self) -> int:
        return await fire_due_timers(self.context, 100)

    def record(self, workflow_id: str) -> WorkflowRecord:
        return self.store.records[workflow_id]

    def states(self, workflow_id: str) -> list[str]:
        return [status.to_state.value for status in self.publisher.statuses(workflow_id)]

    async def notifications(self) -> list[Notification]:
        await self.dispatcher.aclose(grace_seconds=5)
        return self.email.sent


def request(**fields: Any) -> RequestElevation:
    """Return a valid request for the auto-approved role, with a fresh workflow id."""
    values: dict[str, Any] = {
        "workflow_id": f"wf_{uuid4().hex[:12]}",
        "execution_id": f"exec_{uuid4().hex[:12]}",
        "requester": REQUESTER,
        "role": "s3-reader",
        "providers": ("aws",),
        "reason": "read the incident logs",
        "identities": ("alice@example.com",),
    }
    return RequestElevation.model_validate(values | fields)


@pytest.fixture
def world() -> World:
    """Return handlers wired to fresh fakes, with the rich test catalogue."""
    return World()


@pytest.fixture
def make_world() -> type[World]:
    """Return the World class, for tests that need another catalogue or timer policy."""
    return World
