"""Which roles the gateway offers the advisor, and through which workflow."""

from pathlib import Path

import pytest

from elevate_gateway.domain.caller import Caller, person
from elevate_gateway.entrypoints.llm import approval_workflow, eligible_roles
from elevate_shared.catalogue import ApprovalsStep, Catalogue, WorkflowDefinition, load_catalogue

CATALOGUE_DIR = Path(__file__).parents[2] / "catalogue"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_DIR)


@pytest.fixture
def alice() -> Caller:
    return person("alice@example.com", "oidc", (), admin_group="elevate-admins")


def test_a_role_goes_through_its_first_workflow_with_an_approval(catalogue: Catalogue) -> None:
    reader = catalogue.roles["s3-reader"]

    workflow = approval_workflow(catalogue, reader)

    assert reader.workflow_by_default == "auto"
    assert workflow is not None
    assert workflow.name == "default"


def test_roles_without_an_approval_workflow_or_disabled_are_not_offered(
    catalogue: Catalogue, alice: Caller
) -> None:
    offered = eligible_roles(catalogue, alice)

    assert sorted(offered) == ["admin", "s3-reader"]
    assert all(workflow.approvals is not None for _, workflow in offered.values())


def test_a_role_limited_to_another_authenticator_is_not_offered(
    catalogue: Catalogue, alice: Caller
) -> None:
    limited = catalogue.roles["admin"].model_copy(update={"authenticators": ("aws",)})
    roles = {**catalogue.roles, "admin": limited}
    restricted = catalogue.model_copy(update={"roles": roles})

    assert sorted(eligible_roles(restricted, alice)) == ["s3-reader"]


def self_approved(catalogue: Catalogue, name: str) -> WorkflowDefinition:
    """Return a copy of the named workflow whose approvals step allows self-approval."""
    workflow = catalogue.workflows[name]
    steps = tuple(
        step.model_copy(update={"allow_self_approval": True})
        if isinstance(step, ApprovalsStep)
        else step
        for step in workflow.steps
    )
    return workflow.model_copy(update={"name": f"{name}-self", "steps": steps})


def test_a_workflow_that_allows_self_approval_is_never_the_advisors(
    catalogue: Catalogue, alice: Caller
) -> None:
    lenient = self_approved(catalogue, "default")
    workflows = {**catalogue.workflows, lenient.name: lenient}
    reader = catalogue.roles["s3-reader"]
    first_lenient = reader.model_copy(update={"workflows": (lenient.name, *reader.workflows)})
    only_lenient = catalogue.roles["admin"].model_copy(update={"workflows": (lenient.name,)})
    roles = {**catalogue.roles, "s3-reader": first_lenient, "admin": only_lenient}
    changed = catalogue.model_copy(update={"workflows": workflows, "roles": roles})

    offered = eligible_roles(changed, alice)

    assert sorted(offered) == ["s3-reader"]
    assert offered["s3-reader"][1].name == "default"
