"""``GET /elevate/llm``: the plain-words form; ``POST /elevate/llm``: ask, then request.

The POST authenticates the caller, asks the advisor for a role among those the caller
may request through it, waits for the answer (``GATEWAY_ADVICE_TIMEOUT_SECONDS``), and
starts a workflow for the suggestion. A model chose the role, so the workflow is always
one where another person approves: the role's first workflow with an approvals step that
does not allow self-approval. Roles without one are never offered to the advisor. When
the advisor is silent (503) or finds nothing that fits (422), no workflow starts. The
page works without JavaScript.
"""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, cast

import structlog
from litestar import Controller, Litestar, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.enums import MediaType
from litestar.response import Template

from elevate_gateway.adapters.advice import Advice, AdviceSettings, KafkaAdvice
from elevate_gateway.container import Services
from elevate_gateway.domain.caller import SCOPE_REQUEST, Caller
from elevate_gateway.domain.elevation import Accepted
from elevate_gateway.entrypoints.body import RawBody, read_body, require_known_media_type
from elevate_gateway.entrypoints.correlation import correlation_id_of
from elevate_gateway.entrypoints.dependencies import CallerParam, ServicesParam
from elevate_gateway.entrypoints.resume import PAGE_HEADERS
from elevate_gateway.handlers.idempotent import Answer, once
from elevate_shared.catalogue import Catalogue, Role, WorkflowDefinition
from elevate_shared.durations import format_duration
from elevate_shared.eligibility import resolve_request
from elevate_shared.errors import RequestRejected
from elevate_shared.logging import bind_correlation
from elevate_shared.messages import RequestElevation, RoleSuggested, SuggestRole
from elevate_shared.settings import KafkaSettings

log = structlog.get_logger(__name__)

#: Longest reason accepted, as in every elevation request.
MAX_REASON = 2000

Eligible = dict[str, tuple[Role, WorkflowDefinition]]


@asynccontextmanager
async def start_advice(app: Litestar) -> AsyncIterator[None]:
    """Listen for the advisor's replies while the app runs (tests may set their own)."""
    if getattr(app.state, "advice", None) is not None:
        yield
        return
    advice = KafkaAdvice(KafkaSettings(), AdviceSettings())
    await advice.start()
    app.state.advice = advice
    # /ready fails when replies are no longer read, rather than every request timing out.
    probes = cast(Services, app.state.services).probes
    probe = advice.probe()
    probes.append(probe)
    try:
        yield
    finally:
        probes.remove(probe)
        await advice.stop()


def provide_advice(state: State) -> Advice:
    """Return the advice client started with the app."""
    return cast(Advice, state.advice)


class LlmController(Controller):
    """Turn a reason in plain words into an elevation waiting for approval."""

    path = "/elevate/llm"
    dependencies = {"advice": Provide(provide_advice, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="llm_page", opt={"scope": SCOPE_REQUEST, "rate": "reads"})
    async def page(self, request: Request[Any, Any, Any], caller: CallerParam) -> Template:
        """Show the form: one text field for the reason."""
        session = request.query_params.get("session")
        return _page({"you": caller.subject, "session": session}, status=200)

    @post("/", name="llm_request", opt={"scope": SCOPE_REQUEST, "rate": "requests"})
    async def suggest(
        self,
        request: Request[Any, Any, Any],
        caller: CallerParam,
        services: ServicesParam,
        advice: NamedDependency[Advice],
    ) -> Response[Any]:
        """Ask the advisor, start a workflow for its suggestion; 202 with both."""
        body = await read_body(request)
        require_known_media_type(body)
        reason = _reason(body)
        correlation_id = correlation_id_of(request.scope)

        async def run(accepted: Accepted) -> Answer:
            # TODO(gateway): a retry whose first answer was published but not stored asks
            # the advisor again; should it suggest another role, the answer names that one
            # while the workflow service keeps the first request under the same ids.
            asking = _Asking(reason, caller, correlation_id, accepted)
            return Answer(202, await _suggest_and_request(asking, services, advice))

        key = request.headers.get("idempotency-key")
        content = b"POST /elevate/llm\n" + body.content
        answer = await once(services.idempotency, caller, key, content, run)
        if body.form is None:
            return Response(answer.body, status_code=answer.status)
        # TODO(gateway): a refused form post is answered by the one problem-details mapper
        # (JSON); the page shows successes only, not errors in HTML.
        session = dict(body.form).get("session")
        context = {"you": caller.subject, "session": session, "reason": reason, **answer.body}
        return _page(context, status=answer.status)


@dataclass(frozen=True)
class _Asking:
    """One plain-words request: who asks, why, and the ids its workflow will have."""

    reason: str
    caller: Caller
    correlation_id: str
    accepted: Accepted


async def _suggest_and_request(
    asking: _Asking, services: Services, advice: Advice
) -> dict[str, Any]:
    bind_correlation(asking.correlation_id, asking.accepted.workflow_id)
    eligible = eligible_roles(services.catalogue, asking.caller)
    if not eligible:
        raise RequestRejected("no role can be requested through the advisor for you")

    answer = await advice.ask(_question(asking, eligible, advice.reply_to()))
    role, workflow = _suggested(answer, eligible)
    command = _command(asking, services.catalogue, role, workflow, answer)

    await services.publisher.publish(command)
    log.info(
        "elevation_suggested",
        role=role.name,
        engine=answer.engine,
        requester=asking.caller.subject,
    )
    return _contract(command, answer)


def eligible_roles(catalogue: Catalogue, caller: Caller) -> Eligible:
    """Return the roles the caller may get through the advisor, with their approval workflow."""
    eligible: Eligible = {}
    for role in catalogue.enabled_roles():
        if role.authenticators and caller.principal.authenticator not in role.authenticators:
            continue
        workflow = approval_workflow(catalogue, role)
        if workflow is not None:
            eligible[role.name] = (role, workflow)
    return eligible


def approval_workflow(catalogue: Catalogue, role: Role) -> WorkflowDefinition | None:
    """Return the role's first workflow where someone else approves, or None if it has none."""
    definitions = (catalogue.workflows[name] for name in role.workflows)
    return next((d for d in definitions if _another_person_approves(d)), None)


def _another_person_approves(workflow: WorkflowDefinition) -> bool:
    # A requester who may approve their own request would approve whatever the model chose.
    approvals = workflow.approvals
    return approvals is not None and not approvals.allow_self_approval


def _reason(body: RawBody) -> str:
    if body.form is not None:
        value: Any = dict(body.form).get("reason")
    else:
        value = _json_field(body.content, "reason")
    if not isinstance(value, str) or not value.strip():
        raise RequestRejected("describe in plain words what you need to do", field="reason")
    if len(value) > MAX_REASON:
        raise RequestRejected(f"keep the reason under {MAX_REASON} characters", field="reason")
    return value.strip()


def _json_field(content: bytes, field: str) -> Any:
    try:
        data = json.loads(content or b"{}")
    except (ValueError, RecursionError) as error:
        raise RequestRejected('send a JSON object such as {"reason": "..."}') from error
    return data.get(field) if isinstance(data, dict) else None


def _question(asking: _Asking, eligible: Eligible, reply_to: str) -> SuggestRole:
    return SuggestRole(
        correlation_id=asking.correlation_id,
        requester=asking.caller.principal,
        reason=asking.reason,
        reply_to=reply_to,
        eligible_roles=tuple(eligible),
    )


def _suggested(answer: RoleSuggested, eligible: Eligible) -> tuple[Role, WorkflowDefinition]:
    if answer.role is None:
        raise RequestRejected(
            "the advisor found no role that fits this reason, so no workflow was started; "
            "say what you need to do, or request a role at /elevate",
            field="reason",
        )
    if answer.role not in eligible:
        # The advisor's output is untrusted like the reason it read.
        log.warning("advice_outside_eligibility", role=answer.role)
        raise RequestRejected("the advisor suggested a role you cannot request this way")
    return eligible[answer.role]


def _command(
    asking: _Asking,
    catalogue: Catalogue,
    role: Role,
    workflow: WorkflowDefinition,
    answer: RoleSuggested,
) -> RequestElevation:
    """Check the suggestion like any request (the same shared rules), then build it."""
    caller = asking.caller
    resolved = resolve_request(
        catalogue,
        role=role.name,
        providers=answer.providers or role.providers[:1],
        workflow=workflow.name,
        duration=format_duration(answer.duration) if answer.duration else None,
        identities=(caller.subject,),
        reason=asking.reason,
        authenticator=caller.principal.authenticator,
    )
    return RequestElevation(
        workflow_id=asking.accepted.workflow_id,
        execution_id=asking.accepted.execution_id,
        correlation_id=asking.correlation_id,
        requester=caller.principal,
        role=resolved.role.name,
        providers=resolved.providers,
        workflow=resolved.workflow.name,
        reason=asking.reason,
        duration=format_duration(resolved.duration),
        identities=resolved.identities,
        authenticator=caller.principal.authenticator,
        source="advisor",
    )


def _contract(command: RequestElevation, answer: RoleSuggested) -> dict[str, Any]:
    output = {
        "suggested_role": command.role,
        "suggested_duration": command.duration,
        "suggested_providers": list(command.providers),
        "workflow_id": command.workflow_id,
        "execution_id": command.execution_id,
        "workflow": command.workflow,
        "rationale": answer.rationale,
    }
    return {"status": "pending", "output": output}


def _page(context: dict[str, Any], *, status: int) -> Template:
    return Template(
        "llm.html",
        context=context,
        headers=PAGE_HEADERS,
        media_type=MediaType.HTML,
        status_code=status,
    )


routes = [LlmController]
lifespan = [start_advice]
