from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from elevate_shared.messages import Principal

if TYPE_CHECKING:
    from tests.unit.workflow.conftest import World

from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.domain.changes import prepare
from elevate_workflow.domain.decision import Decision, Move, Timer
from elevate_workflow.domain.errors import IllegalTransition
from elevate_workflow.domain.requests import new_record

S = WorkflowState
LEAD = Principal(subject="lead@example.com", authenticator="oidc")


def stored(world: World, state: WorkflowState, version: int = 3) -> WorkflowRecord:
    record = new_record(world.request(), world.clock.now)
    return record.model_copy(update={"state": state, "doc_version": version})


def test_each_move_is_one_history_line_and_one_status_event(world: World) -> None:
    record = stored(world, S.AWAITING_APPROVAL)
    decision = Decision(
        "e1", actor=LEAD, moves=(Move(S.APPROVED, "ok"), Move(S.PROVISIONING, "granting"))
    )

    changes = prepare(record, decision, record.updated_at)

    assert changes.version_step == 2
    assert [(h.from_state, h.to_state) for h in changes.history] == [
        (S.AWAITING_APPROVAL, S.APPROVED),
        (S.APPROVED, S.PROVISIONING),
    ]
    assert [e.payload["document_version"] for e in changes.outbox] == [4, 5]
    assert changes.after.state is S.PROVISIONING
    assert changes.after.doc_version == 5
    assert changes.after.applied_events[-1] == "e1"


def test_a_decision_without_moves_still_leaves_a_history_line(world: World) -> None:
    record = stored(world, S.ACTIVE)

    changes = prepare(record, Decision("e2", note="looked", accepted=False), record.updated_at)

    assert changes.version_step == 1
    assert changes.history[0].accepted is False
    assert changes.outbox == ()
    assert changes.after.state is S.ACTIVE


def test_an_illegal_move_prepares_nothing(world: World) -> None:
    record = stored(world, S.REVOKED)

    with pytest.raises(IllegalTransition):
        prepare(record, Decision("e3", moves=(Move(S.DENIED, "no"),)), record.updated_at)


def test_the_timer_is_set_cleared_or_kept(world: World) -> None:
    record = stored(world, S.ACTIVE)
    due = record.updated_at + timedelta(minutes=1)

    record = record.model_copy(update={"timer": "grant_timeout", "due_at": due})

    set_ = prepare(record, Decision("a", timer=Timer("expiry", due)), due).after
    cleared = prepare(record, Decision("b", timer=None), due).after
    kept = prepare(record, Decision("c"), due).after

    assert (set_.timer, set_.due_at) == ("expiry", due)
    assert (cleared.timer, cleared.due_at) == (None, None)
    assert (kept.timer, kept.due_at) == ("grant_timeout", due)
