from pathlib import Path

import pytest
from gateway_fakes import FakePublisher, alice  # type: ignore[import-not-found]

from elevate_gateway.domain.elevation import Accepted
from elevate_gateway.domain.parsing import parse_form, parse_json_body
from elevate_gateway.handlers.request_elevation import request_elevation
from elevate_shared.catalogue import Catalogue, load_catalogue
from elevate_shared.errors import ElevateError, RequestRejected
from elevate_shared.messages import RequestElevation

NEW = Accepted.new()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(Path(__file__).parents[2] / "catalogue")


async def test_a_static_request_is_published_with_the_given_ids(catalogue: Catalogue) -> None:
    publisher = FakePublisher()
    request = parse_json_body(b'{"role": "s3-reader", "providers": ["aws"], "reason": "logs"}')

    accepted = await request_elevation(
        request,
        alice(),
        catalogue=catalogue,
        publisher=publisher,
        accepted=NEW,
        correlation_id="corr-1",
    )

    [command] = publisher.published
    assert isinstance(command, RequestElevation)
    assert accepted == NEW
    assert command.workflow_id == NEW.workflow_id
    assert command.execution_id == NEW.execution_id
    assert command.correlation_id == "corr-1"
    assert command.identities == ("alice@example.com",)
    assert command.workflow == "auto"
    assert command.source == "http"


async def test_a_dynamic_request_goes_through_the_policy_workflow(catalogue: Catalogue) -> None:
    publisher = FakePublisher()
    request = parse_form(
        [
            ("providers", "aws"),
            ("permissions", "s3:GetObject"),
            ("resources", "arn:aws:s3:::logs/*"),
            ("reason", "logs"),
        ]
    )

    await request_elevation(
        request, alice(), catalogue=catalogue, publisher=publisher, accepted=NEW, correlation_id="c"
    )

    [command] = publisher.published
    assert isinstance(command, RequestElevation)
    assert command.role is None
    assert command.dynamic is not None
    assert command.dynamic.resources == ("arn:aws:s3:::logs/*",)
    assert command.workflow == "default"


async def test_a_dynamic_request_naming_groups_is_refused_as_not_supported_yet(
    catalogue: Catalogue,
) -> None:
    publisher = FakePublisher()
    request = parse_json_body(
        b'{"providers": ["aws"], "permissions": ["ec2:DescribeInstances"], '
        b'"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/*"], '
        b'"groups": ["readers"], "reason": "inventory"}'
    )

    with pytest.raises(RequestRejected, match="not supported yet") as refused:
        await request_elevation(
            request,
            alice(),
            catalogue=catalogue,
            publisher=publisher,
            accepted=NEW,
            correlation_id="c",
        )

    assert refused.value.field == "groups"
    assert publisher.published == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"role": "s3-reader", "providers": ["aws"], "reason": ""}',
        b'{"role": "s3-reader", "providers": ["aws"], "reason": "r", "identities": ["b@x.io"]}',
        b'{"role": {"name": "s3-reader", "enabled": false}, "providers": ["aws"], "reason": "r"}',
        b'{"permissions": ["iam:*"], "providers": ["aws"], "reason": "r"}',
    ],
)
async def test_nothing_is_published_for_a_refused_request(
    catalogue: Catalogue, body: bytes
) -> None:
    publisher = FakePublisher()

    with pytest.raises(ElevateError):
        await request_elevation(
            parse_json_body(body),
            alice(),
            catalogue=catalogue,
            publisher=publisher,
            accepted=NEW,
            correlation_id="c",
        )

    assert publisher.published == []
