"""The handlers' steps, with fakes of the ledger and the provider."""

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

import pytest

from elevate_provisioner.domain.errors import ProviderFailed, UnknownProvider
from elevate_provisioner.domain.grants import GrantRecord, GrantState
from elevate_provisioner.domain.ports import CloudProvider, GrantLedger
from elevate_provisioner.handlers import Dependencies, handle
from elevate_shared.catalogue import AwsPermissions
from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    GrantAccess,
    GrantFailed,
    Message,
    RevokeAccess,
    RevokeFailed,
)


class FakeLedger(GrantLedger):
    """Grant states in a dict, with the same rules as the real ledger."""

    def __init__(self) -> None:
        self.records: dict[str, GrantRecord] = {}

    def state(self, grant_id: str) -> GrantState:
        return self.records[grant_id].state

    async def find(self, grant_id: str) -> GrantRecord | None:
        return self.records.get(grant_id)

    async def start_grant(self, command: GrantAccess) -> GrantRecord:
        new = GrantRecord(command.grant_id, GrantState.GRANTING)
        return self.records.setdefault(command.grant_id, new)

    async def finish_grant(self, grant_id: str) -> bool:
        if self.state(grant_id) not in (GrantState.GRANTING, GrantState.GRANTED):
            return False
        self.records[grant_id] = GrantRecord(grant_id, GrantState.GRANTED)
        return True

    async def fail_grant(self, grant_id: str, reason: str) -> None:
        if self.state(grant_id) is GrantState.GRANTING:
            self.records[grant_id] = GrantRecord(grant_id, GrantState.FAILED, reason)

    async def start_revoke(self, command: RevokeAccess) -> bool:
        record = self.records.get(command.grant_id)
        if record is not None and record.state is GrantState.REVOKED:
            return False
        self.records[command.grant_id] = GrantRecord(command.grant_id, GrantState.REVOKING)
        return True

    async def finish_revoke(self, grant_id: str) -> None:
        self.records[grant_id] = GrantRecord(grant_id, GrantState.REVOKED)


class FakeProvider(CloudProvider):
    """Remembers what it was asked to do; fails when told to."""

    def __init__(self) -> None:
        self.granted: list[str] = []
        self.revoked: list[str] = []
        self.grant_error: str | None = None
        self.revoke_error: str | None = None
        self.while_granting: Callable[[], Awaitable[None]] | None = None

    async def grant(self, command: GrantAccess) -> None:
        if self.while_granting is not None:
            await self.while_granting()
        if self.grant_error is not None:
            raise ProviderFailed(self.grant_error)
        self.granted.append(command.grant_id)

    async def revoke(self, command: RevokeAccess) -> None:
        if self.revoke_error is not None:
            raise ProviderFailed(self.revoke_error)
        self.revoked.append(command.grant_id)

    async def check(self, grant_id: str, identities: Sequence[str]) -> bool:
        return grant_id in self.granted and grant_id not in self.revoked


class Emitted(list[Message]):
    async def __call__(self, message: Message) -> None:
        self.append(message)


@pytest.fixture
def ledger() -> FakeLedger:
    return FakeLedger()


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def emitted() -> Emitted:
    return Emitted()


@pytest.fixture
def deps(ledger: FakeLedger, provider: FakeProvider, emitted: Emitted) -> Dependencies:
    return Dependencies(ledger=ledger, providers={"aws": provider}, emit=emitted)


GRANT = GrantAccess(
    workflow_id="wf-1",
    grant_id="wf-1.aws",
    provider="aws",
    identities=("alice",),
    aws=AwsPermissions(managed_policy_arns=("arn:aws:iam::aws:policy/ReadOnlyAccess",)),
    duration=timedelta(minutes=5),
    correlation_id="corr-1",
)
REVOKE = RevokeAccess(
    workflow_id="wf-1",
    grant_id="wf-1.aws",
    provider="aws",
    identities=("alice",),
    correlation_id="corr-2",
)


async def test_a_grant_is_applied_saved_and_reported_in_its_workflow(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    await handle(GRANT, deps)

    assert provider.granted == ["wf-1.aws"]
    assert ledger.state("wf-1.aws") is GrantState.GRANTED
    [result] = emitted
    assert isinstance(result, AccessGranted)
    assert (result.workflow_id, result.grant_id, result.provider) == ("wf-1", "wf-1.aws", "aws")
    assert result.correlation_id == "corr-1"
    assert result.event_id != GRANT.event_id


async def test_a_redelivered_grant_is_reported_again_not_redone(
    deps: Dependencies, provider: FakeProvider, emitted: Emitted
) -> None:
    await handle(GRANT, deps)
    await handle(GRANT, deps)

    assert provider.granted == ["wf-1.aws"]
    assert [type(m) for m in emitted] == [AccessGranted, AccessGranted]


async def test_a_grant_delivered_after_its_revoke_is_refused(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    await handle(REVOKE, deps)
    await handle(GRANT, deps)

    assert provider.granted == []
    assert ledger.state("wf-1.aws") is GrantState.REVOKED
    failed = emitted[-1]
    assert isinstance(failed, GrantFailed)
    assert "revoked before it was applied" in failed.reason


async def test_a_failed_grant_is_undone_recorded_and_reported_with_the_reason(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    provider.grant_error = "IAM AttachGroupPolicy failed: NoSuchEntity"

    await handle(GRANT, deps)

    assert provider.revoked == ["wf-1.aws"]
    assert ledger.state("wf-1.aws") is GrantState.FAILED
    [failed] = emitted
    assert isinstance(failed, GrantFailed)
    assert failed.reason == "IAM AttachGroupPolicy failed: NoSuchEntity"


async def test_a_failed_undo_is_named_in_the_reason(
    deps: Dependencies, provider: FakeProvider, emitted: Emitted
) -> None:
    provider.grant_error = "IAM AddUserToGroup failed: LimitExceeded"
    provider.revoke_error = "IAM DeleteGroup failed: ServiceFailure"

    await handle(GRANT, deps)

    [failed] = emitted
    assert isinstance(failed, GrantFailed)
    assert "LimitExceeded" in failed.reason
    assert "undoing the partial grant also failed: IAM DeleteGroup" in failed.reason


async def test_a_failed_grant_redelivered_is_not_tried_again(
    deps: Dependencies, provider: FakeProvider, emitted: Emitted
) -> None:
    provider.grant_error = "IAM CreateGroup failed: LimitExceeded"
    await handle(GRANT, deps)
    provider.grant_error = None

    await handle(GRANT, deps)

    assert provider.granted == []
    assert [type(m) for m in emitted] == [GrantFailed, GrantFailed]
    assert isinstance(emitted[1], GrantFailed)
    assert "LimitExceeded" in emitted[1].reason


async def test_a_revoke_that_arrives_while_granting_wins(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    async def revoke_meanwhile() -> None:
        provider.while_granting = None
        await handle(REVOKE, deps)

    provider.while_granting = revoke_meanwhile

    await handle(GRANT, deps)

    assert provider.revoked == ["wf-1.aws", "wf-1.aws"]  # the revoke, then the undo
    assert ledger.state("wf-1.aws") is GrantState.REVOKED
    assert [type(m) for m in emitted] == [AccessRevoked, GrantFailed]
    assert isinstance(emitted[1], GrantFailed)
    assert "revoked while it was being applied" in emitted[1].reason


async def test_a_revoke_is_marked_applied_saved_and_reported(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    await handle(GRANT, deps)
    await handle(REVOKE, deps)

    assert provider.revoked == ["wf-1.aws"]
    assert ledger.state("wf-1.aws") is GrantState.REVOKED
    revoked = emitted[-1]
    assert isinstance(revoked, AccessRevoked)
    assert (revoked.workflow_id, revoked.correlation_id) == ("wf-1", "corr-2")


async def test_a_redelivered_revoke_is_reported_again_not_redone(
    deps: Dependencies, provider: FakeProvider, emitted: Emitted
) -> None:
    await handle(REVOKE, deps)
    await handle(REVOKE, deps)

    assert provider.revoked == ["wf-1.aws"]
    assert [type(m) for m in emitted] == [AccessRevoked, AccessRevoked]


async def test_a_failed_revoke_is_reported_and_still_blocks_the_grant(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    provider.revoke_error = "IAM DeleteGroup failed: ServiceFailure"

    await handle(REVOKE, deps)
    await handle(GRANT, deps)

    assert ledger.state("wf-1.aws") is GrantState.REVOKING
    assert provider.granted == []
    assert [type(m) for m in emitted] == [RevokeFailed, GrantFailed]


async def test_a_failed_revoke_is_done_when_retried(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    provider.revoke_error = "IAM DeleteGroup failed: ServiceFailure"
    await handle(REVOKE, deps)
    provider.revoke_error = None

    await handle(REVOKE, deps)

    assert ledger.state("wf-1.aws") is GrantState.REVOKED
    assert [type(m) for m in emitted] == [RevokeFailed, AccessRevoked]


async def test_an_unknown_provider_is_refused_and_answered_before_anything_is_recorded(
    deps: Dependencies, ledger: FakeLedger, emitted: Emitted
) -> None:
    command = GRANT.model_copy(update={"provider": "gcp"})

    with pytest.raises(UnknownProvider, match="unknown provider 'gcp'"):
        await handle(command, deps)

    assert ledger.records == {}
    [failed] = emitted  # the workflow hears of it now, not at its grant deadline
    assert isinstance(failed, GrantFailed)
    assert "unknown provider 'gcp'" in failed.reason
    assert (failed.grant_id, failed.correlation_id) == (GRANT.grant_id, GRANT.correlation_id)


async def test_revoking_a_grant_never_started_in_an_unknown_provider_is_done_at_once(
    deps: Dependencies, ledger: FakeLedger, provider: FakeProvider, emitted: Emitted
) -> None:
    await handle(REVOKE.model_copy(update={"provider": "gcp"}), deps)

    assert [type(m) for m in emitted] == [AccessRevoked]
    assert ledger.state(REVOKE.grant_id) is GrantState.REVOKED

    # Should the provider be added later, the grant, delivered again, is still refused.
    later = Dependencies(ledger=ledger, providers={"gcp": provider}, emit=emitted)
    await handle(GRANT.model_copy(update={"provider": "gcp"}), later)
    assert isinstance(emitted[-1], GrantFailed)
    assert provider.granted == []


async def test_revoking_a_started_grant_in_a_provider_now_unknown_fails_loudly(
    deps: Dependencies, ledger: FakeLedger, emitted: Emitted
) -> None:
    await handle(GRANT, deps)  # granted while the provider existed
    command = REVOKE.model_copy(update={"provider": "gcp"})

    with pytest.raises(UnknownProvider):
        await handle(command, deps)

    assert isinstance(emitted[-1], RevokeFailed)
    assert ledger.state(REVOKE.grant_id) is GrantState.GRANTED
