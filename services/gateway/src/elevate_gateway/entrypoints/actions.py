"""``POST /workflows/{id}/cancel`` and ``POST /workflows/{id}/end``: act on an elevation.

Cancelling withdraws a request that has not been granted yet; ending revokes active
access at once. Both take an optional comment (JSON ``{"comment": ...}`` or a form
field) and answer ``202``: the workflow service applies the command.
"""

import json
from typing import Any

from litestar import Controller, Request, post
from litestar.params import FromPath
from pydantic import BaseModel, ConfigDict

from elevate_gateway.container import Services
from elevate_gateway.domain.caller import SCOPE_READ, SCOPE_REQUEST, Caller
from elevate_gateway.domain.parsing import single_values
from elevate_gateway.domain.requests import Reason, SessionObject
from elevate_gateway.domain.validation import validated
from elevate_gateway.entrypoints.body import RawBody, read_body, require_known_media_type
from elevate_gateway.entrypoints.correlation import correlation_id_of
from elevate_gateway.entrypoints.dependencies import CallerParam, ServicesParam
from elevate_gateway.handlers.workflow_actions import CANCEL, END, WorkflowAction, request_action
from elevate_shared.errors import RequestRejected


class ActionBody(BaseModel):
    """The optional body of an action: why, and the caller's session."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    comment: Reason = ""
    session: SessionObject | str | None = None


class WorkflowActionsController(Controller):
    """Cancel a request or end access early."""

    path = "/workflows/{workflow_id:str}"

    @post(
        "/cancel",
        name="cancel_elevation",
        opt={"scope": SCOPE_REQUEST, "rate": "requests"},
        status_code=202,
    )
    async def cancel(
        self,
        workflow_id: FromPath[str],
        request: Request[Any, Any, Any],
        caller: CallerParam,
        services: ServicesParam,
    ) -> dict[str, Any]:
        """Withdraw the caller's own request; only before anything is granted."""
        return await _act(CANCEL, workflow_id, request, caller, services)

    # Open to every caller who may read: which scope counts depends on who the caller is
    # to this workflow (requester, approver, admin), which only the workflow tells.
    @post("/end", name="end_access", opt={"scope": SCOPE_READ, "rate": "requests"}, status_code=202)
    async def end(
        self,
        workflow_id: FromPath[str],
        request: Request[Any, Any, Any],
        caller: CallerParam,
        services: ServicesParam,
    ) -> dict[str, Any]:
        """Revoke active access now, as its requester, an approver or an admin."""
        return await _act(END, workflow_id, request, caller, services)


async def _act(
    action: WorkflowAction,
    workflow_id: str,
    request: Request[Any, Any, Any],
    caller: Caller,
    services: Services,
) -> dict[str, Any]:
    await request_action(
        action,
        workflow_id,
        caller,
        await _comment(request),
        workflows=services.workflows,
        publisher=services.publisher,
        correlation_id=correlation_id_of(request.scope),
    )
    return _accepted(workflow_id, action.name)


async def _comment(request: Request[Any, Any, Any]) -> str | None:
    body = await read_body(request)
    if body.is_empty:
        return None
    require_known_media_type(body)
    return validated(ActionBody, _fields(body)).comment or None


def _fields(body: RawBody) -> Any:
    if body.form is not None:
        return single_values(body.form)
    try:
        return json.loads(body.content)
    except (ValueError, RecursionError):
        raise RequestRejected("the body is not valid JSON", field="body") from None


def _accepted(workflow_id: str, action: str) -> dict[str, Any]:
    return {"status": "accepted", "output": {"workflow_id": workflow_id, "action": action}}


routes = [WorkflowActionsController]
