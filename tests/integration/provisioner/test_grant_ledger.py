"""The grant ledger on the MongoDB-compatible server of the local stack."""

from collections.abc import Callable
from datetime import datetime

import pytest

from elevate_provisioner.adapters.mongo_ledger import MongoGrantLedger
from elevate_provisioner.domain.grants import GrantState
from elevate_shared.messages import GrantAccess, RevokeAccess

pytestmark = pytest.mark.stack

MakeGrant = Callable[..., GrantAccess]
RevokeFor = Callable[[GrantAccess], RevokeAccess]


async def test_a_new_grant_starts_granting_and_stays_so_until_finished(
    ledger: MongoGrantLedger, make_grant: MakeGrant
) -> None:
    grant = make_grant(("alice",))

    first = await ledger.start_grant(grant)
    again = await ledger.start_grant(grant)
    assert await ledger.finish_grant(grant.grant_id)
    settled = await ledger.start_grant(grant)

    assert (first.state, again.state, settled.state) == (
        GrantState.GRANTING,
        GrantState.GRANTING,
        GrantState.GRANTED,
    )


async def test_a_grant_is_found_once_a_command_for_it_was_seen(
    ledger: MongoGrantLedger, make_grant: MakeGrant
) -> None:
    grant = make_grant(("alice",))

    assert await ledger.find(grant.grant_id) is None
    await ledger.start_grant(grant)
    found = await ledger.find(grant.grant_id)

    assert found is not None
    assert found.state is GrantState.GRANTING


async def test_a_revoke_of_an_unseen_grant_blocks_it_from_then_on(
    ledger: MongoGrantLedger, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    grant = make_grant(("alice",))

    assert await ledger.start_revoke(revoke_for(grant))
    record = await ledger.start_grant(grant)

    assert record.state is GrantState.REVOKING
    assert record.state.revoke_requested


async def test_a_grant_cannot_finish_once_its_revoke_started(
    ledger: MongoGrantLedger, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    grant = make_grant(("alice",))
    await ledger.start_grant(grant)

    await ledger.start_revoke(revoke_for(grant))

    assert not await ledger.finish_grant(grant.grant_id)


async def test_a_finished_revoke_is_not_started_again(
    ledger: MongoGrantLedger, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    revoke = revoke_for(make_grant(("alice",)))
    assert await ledger.start_revoke(revoke)
    await ledger.finish_revoke(revoke.grant_id)

    assert not await ledger.start_revoke(revoke)
    assert (await ledger.start_grant(make_grant(("alice",), grant_id=revoke.grant_id))).state is (
        GrantState.REVOKED
    )


async def test_an_unfinished_revoke_can_be_started_again(
    ledger: MongoGrantLedger, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    revoke = revoke_for(make_grant(("alice",)))

    assert await ledger.start_revoke(revoke)
    assert await ledger.start_revoke(revoke)


async def test_a_failed_grant_keeps_its_reason(
    ledger: MongoGrantLedger, make_grant: MakeGrant
) -> None:
    grant = make_grant(("alice",))
    await ledger.start_grant(grant)

    await ledger.fail_grant(grant.grant_id, "IAM CreateGroup failed: LimitExceeded")
    record = await ledger.start_grant(grant)

    assert record.state is GrantState.FAILED
    assert record.reason == "IAM CreateGroup failed: LimitExceeded"


async def test_a_failure_does_not_overwrite_a_revoke(
    ledger: MongoGrantLedger, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    grant = make_grant(("alice",))
    await ledger.start_grant(grant)
    await ledger.start_revoke(revoke_for(grant))

    await ledger.fail_grant(grant.grant_id, "too late")

    assert (await ledger.start_grant(grant)).state is GrantState.REVOKING


async def test_the_record_keeps_who_and_when_with_time_zones(
    ledger: MongoGrantLedger, make_grant: MakeGrant, revoke_for: RevokeFor
) -> None:
    grant = make_grant(("alice", "bob"))
    await ledger.start_grant(grant)
    await ledger.finish_grant(grant.grant_id)
    await ledger.start_revoke(revoke_for(grant))
    await ledger.finish_revoke(grant.grant_id)

    document = await ledger.get(grant.grant_id)

    assert document is not None
    assert document["workflow_id"] == grant.workflow_id
    assert document["identities"] == ["alice", "bob"]
    assert document["state"] == "revoked"
    stamps = [document[key] for key in ("requested_at", "granted_at", "revoked_at")]
    assert all(isinstance(stamp, datetime) and stamp.tzinfo is not None for stamp in stamps)
    assert stamps == sorted(stamps)
