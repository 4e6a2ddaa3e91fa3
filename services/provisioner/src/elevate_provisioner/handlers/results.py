"""The result events, each answering its command in the same workflow and correlation."""

from typing import Any, TypeVar

from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    GrantAccess,
    GrantFailed,
    RevokeAccess,
    RevokeFailed,
)

R = TypeVar("R", AccessGranted, GrantFailed, AccessRevoked, RevokeFailed)


def answer(result: type[R], command: GrantAccess | RevokeAccess, **fields: Any) -> R:
    """Build the result for the command's grant, in its workflow and correlation."""
    return result(
        workflow_id=command.workflow_id,
        grant_id=command.grant_id,
        provider=command.provider,
        correlation_id=command.correlation_id,
        **fields,
    )


def access_granted(command: GrantAccess) -> AccessGranted:
    """Say that the command's grant is in place."""
    return answer(AccessGranted, command)


def grant_failed(command: GrantAccess, reason: str) -> GrantFailed:
    """Say that the command's grant is not in place, and why."""
    return answer(GrantFailed, command, reason=reason)


def access_revoked(command: RevokeAccess) -> AccessRevoked:
    """Say that the command's grant is gone."""
    return answer(AccessRevoked, command)


def revoke_failed(command: RevokeAccess, reason: str) -> RevokeFailed:
    """Say that the command's grant may still be in place, and why."""
    return answer(RevokeFailed, command, reason=reason)


def refused(command: GrantAccess | RevokeAccess, reason: str) -> GrantFailed | RevokeFailed:
    """Say that the command could not be applied at all, and why."""
    if isinstance(command, GrantAccess):
        return grant_failed(command, reason)
    return revoke_failed(command, reason)
