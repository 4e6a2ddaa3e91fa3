"""The shapes of an approver's answer: the contract's JSON body, the HTML form, the link.

All three become one :class:`Answer`. Like every request model here they refuse unknown
fields and accept only plain strings where a string belongs.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from elevate_gateway.domain.parsing import single_values
from elevate_gateway.domain.requests import Reason, SessionObject
from elevate_gateway.domain.validation import validated
from elevate_shared.errors import RequestRejected
from elevate_shared.messages.commands import WorkflowId
from elevate_shared.task_tokens import MAX_TOKEN_LENGTH

TaskToken = Annotated[str, Field(min_length=1, max_length=MAX_TOKEN_LENGTH)]
Decision = Literal["approve", "deny"]


@dataclass(frozen=True)
class Answer:
    """An approver's answer to one task token."""

    workflow_id: str
    task_token: str
    approved: bool
    comment: str | None


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class UserInput(_Input):
    """The contract's ``user_input``: the decision and, optionally, why."""

    approved: StrictBool
    additional_context: Reason | None = None


class ResumeBody(_Input):
    """``POST /elevate/resume`` as JSON, as the contract shows it."""

    workflow_id: WorkflowId
    task_token: TaskToken
    user_input: UserInput
    session: SessionObject | None = None


class ResumeForm(_Input):
    """``POST /elevate/resume`` from the approval page's form."""

    workflow_id: WorkflowId
    task_token: TaskToken
    decision: Decision
    comment: Reason = ""
    session: str | None = Field(default=None, max_length=4096)


class ResumeLink(_Input):
    """``GET /elevate/resume``'s query: the link an approver was sent."""

    workflow_id: WorkflowId
    task_token: TaskToken
    decision: Decision | None = None
    session: str | None = Field(default=None, max_length=4096)


def parse_resume_json(body: bytes) -> Answer:
    """Parse the contract's JSON body."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise RequestRejected("the body is not valid JSON", field="body") from None
    parsed = validated(ResumeBody, data)
    answer = parsed.user_input
    comment = answer.additional_context or None
    return Answer(parsed.workflow_id, parsed.task_token, answer.approved, comment)


def parse_resume_form(pairs: Iterable[tuple[str, Any]]) -> Answer:
    """Parse the approval page's form fields."""
    form = validated(ResumeForm, single_values(pairs))
    approved = form.decision == "approve"
    return Answer(form.workflow_id, form.task_token, approved, form.comment or None)


def parse_resume_link(pairs: Iterable[tuple[str, Any]]) -> ResumeLink:
    """Parse the query of an approval link."""
    return validated(ResumeLink, single_values(pairs))
