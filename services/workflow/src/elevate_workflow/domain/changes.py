"""Turn a decision into the one atomic write that makes it, checking every move.

A write raises ``doc_version`` by one per history line, so each published status event
carries its own document version, and a reader can order them without the topic.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from elevate_shared.messages import Message, WorkflowStatusChanged
from elevate_shared.records import HistoryEntry, OutboxEntry, WorkflowRecord
from elevate_shared.topics import PROVISIONER_COMMANDS, WORKFLOW_STATUS
from elevate_workflow.domain.decision import KEEP, Decision
from elevate_workflow.domain.transitions import check_transition


@dataclass(frozen=True)
class Changes:
    """One atomic write of one workflow, ready for the store.

    ``after`` is the whole record once written (its ``doc_version`` grown by
    ``version_step``, the history and applied event id appended); ``outbox`` holds the
    messages this write sends, stored with it and published after it.
    """

    event_id: str
    at: datetime
    version_step: int
    history: tuple[HistoryEntry, ...]
    outbox: tuple[OutboxEntry, ...]
    after: WorkflowRecord


def prepare(record: WorkflowRecord, decision: Decision, now: datetime) -> Changes:
    """Check every move against the table and derive the write that makes them."""
    history = _history(record, decision, now)
    staged = record.model_copy(update=_updates(decision, now))

    first_version = record.doc_version + 1
    events = [
        _status(staged, entry, first_version + index, now)
        for index, entry in enumerate(history)
        if entry.to_state is not None or decision.announce
    ]
    outbox = tuple(
        [_entry(WORKFLOW_STATUS, event) for event in events]
        + [_entry(PROVISIONER_COMMANDS, command) for command in decision.commands]
    )

    after = staged.model_copy(
        update={
            "doc_version": record.doc_version + len(history),
            "history": [*record.history, *history],
            "applied_events": [*record.applied_events, decision.event_id],
        }
    )
    return Changes(decision.event_id, now, len(history), tuple(history), outbox, after)


def _updates(decision: Decision, now: datetime) -> dict[str, Any]:
    updates: dict[str, Any] = {**decision.updates, "updated_at": now}
    if decision.moves:
        updates["state"] = decision.moves[-1].to_state
    if decision.timer is not KEEP:
        updates["timer"] = decision.timer.kind if decision.timer else None
        updates["due_at"] = decision.timer.due_at if decision.timer else None
    return updates


def _history(record: WorkflowRecord, decision: Decision, now: datetime) -> list[HistoryEntry]:
    def line(from_state: Any, to_state: Any, reason: str) -> HistoryEntry:
        return HistoryEntry(
            at=now,
            from_state=from_state,
            to_state=to_state,
            event_id=decision.event_id,
            actor=decision.actor,
            reason=reason,
            accepted=decision.accepted,
        )

    if not decision.moves:
        return [line(record.state, None, decision.note)]

    # Version 0 means the record is being created: its first move comes from nothing.
    current = None if record.doc_version == 0 else record.state
    lines = []
    for move in decision.moves:
        check_transition(current, move.to_state)
        lines.append(line(current, move.to_state, move.reason))
        current = move.to_state
    return lines


def _status(
    record: WorkflowRecord, entry: HistoryEntry, version: int, now: datetime
) -> WorkflowStatusChanged:
    return WorkflowStatusChanged(
        correlation_id=record.correlation_id,
        occurred_at=now,
        workflow_id=record.workflow_id,
        execution_id=record.execution_id,
        from_state=entry.from_state,
        to_state=entry.to_state or record.state,
        reason=entry.reason,
        actor=entry.actor,
        requester=record.requester,
        role=record.role,
        providers=record.providers,
        identities=record.identities,
        expires_at=record.expires_at,
        document_version=version,
    )


def _entry(topic: str, message: Message) -> OutboxEntry:
    key = message.workflow_id or ""
    return OutboxEntry(topic=topic, key=key, payload=message.model_dump(mode="json"))
