"""``GET /elevate/resume``: the approval page; ``POST /elevate/resume``: the answer.

The page works without JavaScript: a plain form posts back the workflow id, the task
token, the decision and a comment (and the session token when the page was opened with
one). A forged cross-site post is no threat: it would need the task token, which only
the approver's link carries, and the caller's credentials, which browsers never attach
on their own (no cookies are used). The page's URL holds the task token, so it is
neither cached nor sent on as a referrer, and it cannot be framed (no clickjacking).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from litestar import Controller, Litestar, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.enums import MediaType
from litestar.response import Template
from pydantic import SecretStr

from elevate_gateway.domain.caller import SCOPE_RESUME, Caller
from elevate_gateway.domain.resume import (
    ResumeLink,
    parse_resume_form,
    parse_resume_json,
    parse_resume_link,
)
from elevate_gateway.entrypoints.body import read_body, require_known_media_type
from elevate_gateway.entrypoints.correlation import correlation_id_of
from elevate_gateway.entrypoints.dependencies import CallerParam, ServicesParam
from elevate_gateway.handlers.resume_workflow import Answerable, answerable, resume_workflow
from elevate_shared.durations import format_duration
from elevate_shared.settings import TaskTokenSettings

#: Headers of both pages: never cached, never a referrer, never framed, no scripts.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


@asynccontextmanager
async def load_task_token_secret(app: Litestar) -> AsyncIterator[None]:
    """Read the task token key at start, so a missing one stops the gateway at once."""
    app.state.task_token_secret = TaskTokenSettings().secret
    yield


def provide_secret(state: State) -> SecretStr:
    """Return the task token key read at start."""
    return cast(SecretStr, state.task_token_secret)


class ResumeController(Controller):
    """Show an approver what they are asked, and take their answer."""

    path = "/elevate/resume"
    dependencies = {"secret": Provide(provide_secret, sync_to_thread=False)}  # noqa: RUF012

    # TODO(gateway): a browser that follows an approval link without credentials gets a
    # 401 problem document (and refusals are JSON too); an OIDC sign-in redirect that
    # comes back with a session, and HTML error pages, would serve people better.
    @get("/", name="resume_page", opt={"scope": SCOPE_RESUME, "rate": "reads"})
    async def page(
        self,
        request: Request[Any, Any, Any],
        caller: CallerParam,
        services: ServicesParam,
        secret: NamedDependency[SecretStr],
    ) -> Template:
        """Show who asks for what, why and for how long, with approve and deny buttons."""
        link = parse_resume_link(request.query_params.multi_items())
        found = await answerable(
            link.workflow_id, link.task_token, caller, secret=secret, workflows=services.workflows
        )
        context = _page_context(found, link, caller)
        return Template(
            "resume.html", context=context, headers=PAGE_HEADERS, media_type=MediaType.HTML
        )

    @post("/", name="resume", opt={"scope": SCOPE_RESUME, "rate": "requests"}, status_code=202)
    async def answer(
        self,
        request: Request[Any, Any, Any],
        caller: CallerParam,
        services: ServicesParam,
        secret: NamedDependency[SecretStr],
    ) -> Response[Any]:
        """Take an answer as the contract's JSON or as the page's form; 202 once queued."""
        body = await read_body(request)
        require_known_media_type(body)
        form = body.form
        answer = parse_resume_form(form) if form is not None else parse_resume_json(body.content)

        await resume_workflow(
            answer,
            caller,
            secret=secret,
            workflows=services.workflows,
            publisher=services.publisher,
            correlation_id=correlation_id_of(request.scope),
        )

        output = {"workflow_id": answer.workflow_id, "approved": answer.approved}
        if form is None:
            return Response({"status": "accepted", "output": output}, status_code=202)
        return Template(
            "resume_sent.html",
            context=output,
            headers=PAGE_HEADERS,
            media_type=MediaType.HTML,
            status_code=202,
        )


def _page_context(found: Answerable, link: ResumeLink, caller: Caller) -> dict[str, Any]:
    record, claims = found.record, found.claims
    step = record.definition.approvals if record.definition else None
    return {
        "workflow_id": record.workflow_id,
        "task_token": link.task_token,
        "session": link.session,
        "decision": link.decision,
        "approver": claims.approver,
        "you": caller.subject,
        "requester": record.requester.subject,
        "role": record.role,
        "dynamic": record.dynamic,
        "providers": record.providers,
        "identities": record.identities,
        "reason": record.reason,
        "duration": format_duration(record.duration) if record.duration else None,
        "required": step.required if step else 1,
        "approved_by": [a.approver.subject for a in record.approvals if a.approved],
        "answer_by": claims.expires_at.isoformat(timespec="minutes"),
    }


routes = [ResumeController]
lifespan = [load_task_token_secret]
