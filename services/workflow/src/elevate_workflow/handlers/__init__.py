"""Handlers: one per message type, each reading load, check, act, save, emit.

The registry maps a message type to its handler; the consumers and the timer loop are
the only callers.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    CancelElevation,
    EndAccess,
    GrantFailed,
    Message,
    RequestElevation,
    ResumeWorkflow,
    RevokeFailed,
)
from elevate_workflow.handlers.actions import cancel_elevation, end_access
from elevate_workflow.handlers.approvals import resume_workflow
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.requests import request_elevation
from elevate_workflow.handlers.results import (
    access_granted,
    access_revoked,
    grant_failed,
    revoke_failed,
)

Handler = Callable[[Any, Context], Awaitable[None]]

HANDLERS: dict[type[Message], Handler] = {
    RequestElevation: request_elevation,
    ResumeWorkflow: resume_workflow,
    CancelElevation: cancel_elevation,
    EndAccess: end_access,
    AccessGranted: access_granted,
    GrantFailed: grant_failed,
    AccessRevoked: access_revoked,
    RevokeFailed: revoke_failed,
}


async def handle(message: Message, context: Context) -> None:
    """Run the handler registered for the message's type."""
    await HANDLERS[type(message)](message, context)
