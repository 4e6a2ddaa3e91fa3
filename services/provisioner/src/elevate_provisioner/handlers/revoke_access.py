"""Handle ``RevokeAccess``: mark the grant revoked first, then take its access away."""

import structlog

from elevate_provisioner.domain.errors import ProvisionError
from elevate_provisioner.handlers.dependencies import Dependencies
from elevate_provisioner.handlers.results import access_revoked, revoke_failed
from elevate_shared.messages import RevokeAccess

log = structlog.get_logger(__name__)


async def revoke_access(command: RevokeAccess, deps: Dependencies) -> None:
    """Mark the grant revoking, revoke in the provider, save, report."""
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
