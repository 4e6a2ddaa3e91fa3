"""The result events, each answering its command in the same workflow and correlation."""

from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    GrantAccess,
    GrantFailed,
    RevokeAccess,
    RevokeFailed,
)


def access_granted(command: GrantAccess) -> AccessGranted:
    """Say that the command's grant is in place."""
    return AccessGranted(
        workflow_id=command.workflow_id,
        grant_id=command.grant_id,
        provider=command.provider,
        correlation_id=command.correlation_id,
    )


def grant_failed(command: GrantAccess, reason: str) -> GrantFailed:
    """Say that the command's grant is not in place, and why."""
    return GrantFailed(
        workflow_id=command.workflow_id,
        grant_id=command.grant_id,
        provider=command.provider,
        reason=reason,
        correlation_id=command.correlation_id,
    )


def refused(command: GrantAccess | RevokeAccess, reason: str) -> GrantFailed | RevokeFailed:
    """Say that the command could not be applied at all, and why."""
    if isinstance(command, GrantAccess):
        return grant_failed(command, reason)
    return revoke_failed(command, reason)


def access_revoked(command: RevokeAccess) -> AccessRevoked:
    """Say that the command's grant is gone."""
    return AccessRevoked(
        workflow_id=command.workflow_id,
        grant_id=command.grant_id,
        provider=command.provider,
        correlation_id=command.correlation_id,
    )


def revoke_failed(command: RevokeAccess, reason: str) -> RevokeFailed:
    """Say that the command's grant may still be in place, and why."""
    return RevokeFailed(
        workflow_id=command.workflow_id,
        grant_id=command.grant_id,
        provider=command.provider,
        reason=reason,
        correlation_id=command.correlation_id,
    )
