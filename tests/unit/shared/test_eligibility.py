from datetime import timedelta
from pathlib import Path

import pytest

from elevate_shared.catalogue import Catalogue, load_catalogue
from elevate_shared.eligibility import resolve_request
from elevate_shared.errors import NotAllowed, RequestRejected

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_DIR)


def resolve(catalogue: Catalogue, **overrides: object):  # type: ignore[no-untyped-def]
    request: dict[str, object] = {
        "role": "s3-reader",
        "providers": ("aws",),
        "workflow": None,
        "duration": None,
        "identities": ("alice@example.com",),
        "reason": "read the incident logs",
        "authenticator": "oidc",
    }
    request.update(overrides)
    return resolve_request(catalogue, **request)  # type: ignore[arg-type]


def test_a_valid_request_uses_the_role_defaults(catalogue: Catalogue) -> None:
    resolved = resolve(catalogue)

    assert resolved.role.name == "s3-reader"
    assert resolved.workflow.name == "auto"
    assert resolved.duration == timedelta(seconds=5)


def test_a_named_workflow_and_duration_are_kept(catalogue: Catalogue) -> None:
    resolved = resolve(catalogue, workflow="default", duration="PT30M")

    assert resolved.workflow.name == "default"
    assert resolved.duration == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"role": "nope"}, "role"),
        ({"role": "retired"}, "role"),
        ({"providers": ("gcp",)}, "providers"),
        ({"providers": ()}, "providers"),
        ({"workflow": "other"}, "workflow"),
        ({"role": "admin", "workflow": "auto"}, "workflow"),
        ({"duration": "PT2H"}, "duration"),
        ({"duration": "PT0S"}, "duration"),
        ({"duration": "-PT1H"}, "duration"),
        ({"duration": "two hours"}, "duration"),
        ({"identities": ("bob smith",)}, "identities"),
        ({"identities": ("x" * 65,)}, "identities"),
    ],
)
def test_a_bad_request_is_rejected_naming_the_field(
    catalogue: Catalogue, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(RequestRejected) as rejected:
        resolve(catalogue, **overrides)

    assert rejected.value.field == field


def test_a_role_refuses_requesters_from_other_authenticators(catalogue: Catalogue) -> None:
    role = catalogue.roles["s3-reader"].model_copy(update={"authenticators": ("api_key",)})
    limited = catalogue.model_copy(update={"roles": {**catalogue.roles, "s3-reader": role}})

    with pytest.raises(NotAllowed) as caught:
        resolve(limited, authenticator="oidc")

    assert caught.value.field == "authenticator"
    assert "api_key" in caught.value.detail
    assert resolve(limited, authenticator="api_key").role.name == "s3-reader"


def test_a_role_naming_no_authenticator_accepts_any(catalogue: Catalogue) -> None:
    assert resolve(catalogue, authenticator="anything").role.name == "s3-reader"
