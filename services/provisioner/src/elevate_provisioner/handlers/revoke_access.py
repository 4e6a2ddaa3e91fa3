"""Handle ``RevokeAccess``: mark the grant revoked first, then take its access away."""

import structlog

from elevate_provisioner.domain.errors import ProvisionError
from elevate_provisioner.handlers.dependencies import Dependencies
from elevate_provisioner.handlers.results import access_revoked, revoke_failed
from elevate_shared.messages import RevokeAccess

log = structlog.get_logger(__name__)


async def revoke_access(command: RevokeAccess, deps: Dependencies) -> None:
    """Mark the grant revoking, revoke in the provider, save, report."""
    if command.provider not in deps.providers and await deps.ledger.find(command.grant_id) is None:
        await _revoke_never_started(command, deps)
        return
    provider = deps.provider(command.provider)

    # Marked before anything else, so that a GrantAccess delivered from now on is refused.
    # Kafka delivers at least once: a revoke already done is reported again, not redone.
    if not await deps.ledger.start_revoke(command):
        log.info("revoke_already_done", grant_id=command.grant_id)
        await deps.emit(access_revoked(command))
        return

    try:
        await provider.revoke(command)
    except ProvisionError as error:
        # The grant stays marked revoking, so no grant applies; the workflow retries.
        log.warning("revoke_failed", grant_id=command.grant_id, reason=error.reason)
        await deps.emit(revoke_failed(command, error.reason))
        return

    await deps.ledger.finish_revoke(command.grant_id)
    log.info("access_revoked", grant_id=command.grant_id, provider=command.provider)
    await deps.emit(access_revoked(command))


async def _revoke_never_started(command: RevokeAccess, deps: Dependencies) -> None:
    """Answer the revoke of a grant no provisioner started: nothing was given to take away.

    A grant naming a provider the catalogue lacks is refused before the ledger hears of
    it, yet the workflow revokes it like any failed grant. Marked revoked all the same,
    so that its GrantAccess, should it come again once the provider exists, is refused.
    """
    await deps.ledger.start_revoke(command)
    await deps.ledger.finish_revoke(command.grant_id)
    log.info("revoke_of_grant_never_started", grant_id=command.grant_id, provider=command.provider)
    await deps.emit(access_revoked(command))
