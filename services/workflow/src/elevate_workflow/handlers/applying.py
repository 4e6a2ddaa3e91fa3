"""Apply one message to the workflow it names, through the domain function that decides."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from elevate_shared.messages import Principal
from elevate_shared.records import WorkflowRecord
from elevate_workflow.domain.decision import Decision
from elevate_workflow.domain.policy import TimerPolicy
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.steps import update


class AboutWorkflow(Protocol):
    """A message that names its workflow and carries its own id."""

    @property
    def workflow_id(self) -> str: ...

    @property
    def event_id(self) -> UUID: ...


M = TypeVar("M", bound=AboutWorkflow)

#: A domain function deciding what one message does to a workflow.
Transition = Callable[[WorkflowRecord, M, TimerPolicy, datetime], Decision | None]


async def apply_message(
    message: M,
    context: Context,
    transition: Transition[M],
    *,
    actor: Principal | None = None,
) -> None:
    """Load, decide with ``transition``, save and emit, as ``update`` does for any change."""
    await update(
        context,
        message.workflow_id,
        str(message.event_id),
        lambda record, now: transition(record, message, context.policy, now),
        actor=actor,
    )
