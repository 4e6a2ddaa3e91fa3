"""Start an elevation: check the request completely, then publish one command.

Nothing is published unless every check passed, so a refused request leaves no trace
on Kafka. The catalogue rules are the shared ones the workflow service applies again.
"""

from dataclasses import dataclass

from elevate_gateway.adapters.publisher import CommandPublisher
from elevate_gateway.domain.access import (
    check_named_authenticator,
    check_on_behalf,
    identities_or_self,
)
from elevate_gateway.domain.caller import Caller
from elevate_gateway.domain.elevation import Accepted
from elevate_gateway.domain.requests import DynamicRequest, ElevationRequest, StaticRequest
from elevate_gateway.domain.role_object import check_role_object
from elevate_shared.catalogue import Catalogue
from elevate_shared.durations import format_duration
from elevate_shared.dynamic_policy import resolve_dynamic
from elevate_shared.eligibility import resolve_request
from elevate_shared.errors import RequestRejected
from elevate_shared.logging import bind_correlation
from elevate_shared.messages import DynamicPermissions, RequestElevation


@dataclass(frozen=True)
class _Context:
    caller: Caller
    catalogue: Catalogue
    accepted: Accepted
    correlation_id: str


async def request_elevation(
    request: ElevationRequest,
    caller: Caller,
    *,
    catalogue: Catalogue,
    publisher: CommandPublisher,
    accepted: Accepted,
    correlation_id: str,
) -> Accepted:
    """Check ``request`` for ``caller`` and publish it under the ``accepted`` ids."""
    context = _Context(caller, catalogue, accepted, correlation_id)
    bind_correlation(correlation_id, context.accepted.workflow_id)

    if isinstance(request, StaticRequest):
        command = _static(request, context)
    else:
        command = _dynamic(request, context)

    await publisher.publish(command)
    return context.accepted


def _static(request: StaticRequest, context: _Context) -> RequestElevation:
    resolved = resolve_request(
        context.catalogue,
        role=request.role_name,
        providers=request.providers,
        workflow=request.workflow,
        duration=request.duration,
        identities=identities_or_self(context.caller, request.identities),
        reason=request.reason,
        authenticator=context.caller.principal.authenticator,
    )
    if not isinstance(request.role, str):
        check_role_object(request.role, resolved.role)
    check_named_authenticator(context.caller, request.authenticator)
    check_on_behalf(context.caller, resolved.identities)

    return _command(
        request,
        context,
        role=resolved.role.name,
        providers=resolved.providers,
        workflow=resolved.workflow.name,
        duration=format_duration(resolved.duration),
        identities=resolved.identities,
    )


def _dynamic(request: DynamicRequest, context: _Context) -> RequestElevation:
    _refuse_groups(request)
    asked = DynamicPermissions(
        permissions=request.permissions,
        resources=request.resources,
        groups=request.groups,
        users=request.users,
    )
    # ``users`` name identities too; only when neither is given is it the caller alone.
    identities = request.identities or (() if request.users else (context.caller.subject,))
    resolved = resolve_dynamic(
        context.catalogue,
        providers=request.providers,
        permissions=asked,
        workflow=request.workflow,
        duration=request.duration,
        identities=identities,
        reason=request.reason,
        authenticator=context.caller.principal.authenticator,
    )
    check_named_authenticator(context.caller, request.authenticator)
    check_on_behalf(context.caller, resolved.identities)

    return _command(
        request,
        context,
        dynamic=asked,
        providers=resolved.providers,
        workflow=resolved.workflow.name,
        duration=format_duration(resolved.duration),
        identities=resolved.identities,
    )


def _refuse_groups(request: DynamicRequest) -> None:
    # TODO(provisioner): grant dynamic ``groups`` (add the identities to those IAM groups).
    # Until the provisioner does, a request naming them would be approved and never
    # granted, so it is refused here, before anyone is asked to approve it.
    if request.groups:
        raise RequestRejected(
            "granting membership of groups is not supported yet; "
            "ask for permissions and resources instead",
            field="groups",
        )


def _command(request: ElevationRequest, context: _Context, **resolved: object) -> RequestElevation:
    return RequestElevation.model_validate(
        {
            "workflow_id": context.accepted.workflow_id,
            "execution_id": context.accepted.execution_id,
            "correlation_id": context.correlation_id,
            "requester": context.caller.principal,
            "reason": request.reason,
            "authenticator": context.caller.principal.authenticator,
            "source": "http",
            **resolved,
        }
    )
