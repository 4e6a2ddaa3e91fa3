"""Fixtures for the provisioner on the local stack: moto as AWS, FerretDB as the ledger."""

import json
import os
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from pymongo import AsyncMongoClient

from elevate_provisioner.adapters.aws import AwsProvider, iam_client
from elevate_provisioner.adapters.mongo_ledger import MongoGrantLedger
from elevate_shared.catalogue import AwsPermissions, AwsStatement, Provider
from elevate_shared.messages import GrantAccess, RevokeAccess
from elevate_shared.settings import AwsSettings, MongoSettings

if TYPE_CHECKING:
    from types_boto3_iam.client import IAMClient

#: moto accepts any credentials; fixed fake ones keep real ones away from it.
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}

ProviderFactory = Callable[..., AwsProvider]


def unique(prefix: str) -> str:
    """Return an id no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def new_id() -> Callable[[str], str]:
    """Make ids no other test uses."""
    return unique


@pytest.fixture(scope="session")
def aws_env(stack: dict[str, str]) -> str:
    """Point boto3 at the local AWS endpoint with fake credentials; return the endpoint."""
    for name, value in FAKE_AWS.items():
        os.environ.setdefault(name, value)
    return stack["AWS_ENDPOINT_URL"]


@pytest.fixture(scope="session")
def iam(aws_env: str) -> "IAMClient":
    """An IAM client of the test itself, to look at what the provider did."""
    return boto3.client("iam", endpoint_url=aws_env, region_name="us-east-1")


@pytest.fixture
def make_provider(aws_env: str) -> ProviderFactory:
    """Build the AWS provider as the service does, from a catalogue entry."""

    def make(*, create_missing_users: bool = False) -> AwsProvider:
        entry = Provider(name="aws", type="aws", create_missing_users=create_missing_users)
        return AwsProvider(entry, iam_client(entry, AwsSettings()))

    return make


@pytest.fixture
def user(iam: "IAMClient") -> str:
    """An IAM user that exists before the grant."""
    name = unique("user")
    iam.create_user(UserName=name)
    return name


@pytest.fixture
def managed_policy(iam: "IAMClient") -> str:
    """A customer-managed policy to grant (the local endpoint has no AWS-managed ones)."""
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}],
    }
    created = iam.create_policy(PolicyName=unique("reader"), PolicyDocument=json.dumps(document))
    return created["Policy"]["Arn"]


GrantFactory = Callable[..., GrantAccess]
RevokeFactory = Callable[[GrantAccess], RevokeAccess]


@pytest.fixture
def make_grant(managed_policy: str) -> GrantFactory:
    """Build a GrantAccess of the test's managed policy and one inline statement."""

    def make(identities: tuple[str, ...], *, grant_id: str | None = None) -> GrantAccess:
        permissions = AwsPermissions(
            managed_policy_arns=(managed_policy,),
            statements=(
                AwsStatement(actions=("s3:GetObject",), resources=("arn:aws:s3:::logs/*",)),
            ),
        )
        workflow_id = unique("wf")
        return GrantAccess(
            workflow_id=workflow_id,
            grant_id=grant_id or f"{workflow_id}.aws",
            provider="aws",
            identities=identities,
            aws=permissions,
            duration=timedelta(minutes=5),
        )

    return make


@pytest.fixture
def revoke_for() -> RevokeFactory:
    """Build the RevokeAccess a workflow sends for a grant."""

    def make(grant: GrantAccess) -> RevokeAccess:
        return RevokeAccess(
            workflow_id=grant.workflow_id,
            grant_id=grant.grant_id,
            provider=grant.provider,
            identities=grant.identities,
        )

    return make


@pytest.fixture(scope="session")
async def mongo(stack: dict[str, str]) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    client = AsyncMongoClient[dict[str, Any]](stack["MONGODB_URI"], tz_aware=True)
    yield client
    await client.close()


@pytest.fixture
def ledger(mongo: AsyncMongoClient[dict[str, Any]]) -> MongoGrantLedger:
    """The ledger in the service's database; grant ids are unique per test."""
    return MongoGrantLedger(mongo[MongoSettings().database])
