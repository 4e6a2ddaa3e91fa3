"""Apply the provisioner's results: access granted, grant failed, access revoked or not."""

import structlog

from elevate_shared.messages import AccessGranted, AccessRevoked, GrantFailed, RevokeFailed
from elevate_workflow.domain.results import (
    on_access_granted,
    on_access_revoked,
    on_grant_failed,
    on_revoke_failed,
)
from elevate_workflow.handlers.applying import apply_message
from elevate_workflow.handlers.context import Context

log = structlog.get_logger(__name__)


async def access_granted(event: AccessGranted, context: Context) -> None:
    """Mark the grant; activate when all are in, take it back if it came too late."""
    await apply_message(event, context, on_access_granted)


async def grant_failed(event: GrantFailed, context: Context) -> None:
    """Fail the workflow and revoke what the other grants gave."""
    await apply_message(event, context, on_grant_failed)


async def access_revoked(event: AccessRevoked, context: Context) -> None:
    """Mark the grant revoked; end the workflow when nothing is left."""
    await apply_message(event, context, on_access_revoked)


async def revoke_failed(event: RevokeFailed, context: Context) -> None:
    """Schedule the revoke again: access that should be gone is still there."""
    log.warning(
        "revoke_failed",
        workflow_id=event.workflow_id,
        grant_id=event.grant_id,
        provider=event.provider,
        error=event.reason[:300],
    )
    await apply_message(event, context, on_revoke_failed)
