"""Handle ``GrantAccess``: apply a grant once, and never once its revoke has been asked for."""

import structlog

from elevate_provisioner.domain.errors import ProvisionError
from elevate_provisioner.domain.grants import GrantRecord, GrantState
from elevate_provisioner.domain.ports import CloudProvider
from elevate_provisioner.handlers.dependencies import Dependencies
from elevate_provisioner.handlers.results import access_granted, grant_failed
from elevate_shared.messages import GrantAccess, Message, RevokeAccess

log = structlog.get_logger(__name__)

REVOKED_BEFORE = "the grant was revoked before it was applied, so access was not given"
REVOKED_DURING = "the grant was revoked while it was being applied, so access was taken back"


async def grant_access(command: GrantAccess, deps: Dependencies) -> None:
    """Load the grant, check it may apply, grant in the provider, save, report."""
    provider = deps.provider(command.provider)
    record = await deps.ledger.start_grant(command)

    # Kafka delivers at least once. A grant already settled is reported again, not redone;
    # one whose revoke came first is never applied, as no workflow would revoke it.
    if record.state is not GrantState.GRANTING:
        log.info("grant_already_settled", grant_id=command.grant_id, state=record.state.value)
        await deps.emit(_settled(command, record))
        return

    try:
        await provider.grant(command)
    except ProvisionError as error:
        await _fail(command, deps, provider, error.reason)
        return

    if not await deps.ledger.finish_grant(command.grant_id):
        # The revoke was asked for while the provider was granting; it may have run before
        # the grant finished, so take back what the grant gave.
        reason = await _with_undo(provider, command, REVOKED_DURING)
        log.warning("grant_overtaken_by_revoke", grant_id=command.grant_id)
        await deps.emit(grant_failed(command, reason))
        return

    log.info("access_granted", grant_id=command.grant_id, provider=command.provider)
    await deps.emit(access_granted(command))


async def _fail(
    command: GrantAccess, deps: Dependencies, provider: CloudProvider, reason: str
) -> None:
    """Undo what part of the grant was applied, record the failure, report it."""
    reason = await _with_undo(provider, command, reason)
    await deps.ledger.fail_grant(command.grant_id, reason)
    log.warning("grant_failed", grant_id=command.grant_id, provider=command.provider, reason=reason)
    await deps.emit(grant_failed(command, reason))


async def _with_undo(provider: CloudProvider, command: GrantAccess, reason: str) -> str:
    """Compensate a grant that did not complete; return ``reason``, saying if undo failed."""
    try:
        await provider.revoke(_revoke_of(command))
    except ProvisionError as error:
        # What stays is taken back later: the workflow answers GrantFailed with a
        # RevokeAccess for this grant and retries it until it succeeds.
        log.error("grant_undo_failed", grant_id=command.grant_id, reason=error.reason)
        return f"{reason}; undoing the partial grant also failed: {error.reason}"
    return reason


def _revoke_of(command: GrantAccess) -> RevokeAccess:
    return RevokeAccess(
        workflow_id=command.workflow_id,
        grant_id=command.grant_id,
        provider=command.provider,
        identities=command.identities,
        correlation_id=command.correlation_id,
    )


def _settled(command: GrantAccess, record: GrantRecord) -> Message:
    if record.state is GrantState.GRANTED:
        return access_granted(command)
    if record.state is GrantState.FAILED:
        return grant_failed(command, record.reason or "the grant failed earlier")
    return grant_failed(command, REVOKED_BEFORE)
