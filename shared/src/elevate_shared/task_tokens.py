"""Task tokens: signed, expiring permissions to answer one paused step of one workflow.

A token is a JWT signed with HMAC-SHA256 under ``ELEVATE_TASK_TOKEN_SECRET``, which the
workflow service (issuer) and the gateway (first checker) share. Its claims bind it to a
workflow (``wf``), a step (``step``) and an approver (``sub``: a user subject or
``group:<name>``); ``jti`` makes every token unique, ``exp`` ends it. Only
:func:`token_hash` of a token is stored (:class:`TaskTokenRecord`), so a leaked database
gives no usable token. Single use is the workflow's to enforce: it marks the record used
in the same write that records the answer (a group's token once per member).

A token is a capability, not an identity: whoever answers must also be authenticated,
and :func:`may_approve` decides whether that person may answer for the token's approver.

    TaskTokenError                      any task token that cannot be used
    ├── MalformedTaskToken (422)        not a task token at all
    ├── ForgedTaskToken (403)           not signed with our key
    ├── ExpiredTaskToken (403)          past its expiry
    └── WrongWorkflowTaskToken (403)    issued for another workflow

Each also subclasses the :mod:`elevate_shared.errors` class that gives its status; every
``detail`` is safe to show and never contains the token.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import uuid4

import jwt
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr, ValidationError

from elevate_shared.errors import ElevateError, NotAllowed, RequestRejected
from elevate_shared.messages.base import Principal, utcnow
from elevate_shared.permissions import matches_approver, same_subject
from elevate_shared.records import TaskTokenRecord

#: Audience claim of every task token, so no other JWT signed with the same key passes.
AUDIENCE = "elevate:task-token"
#: Longest token accepted; the resume command carries at most this many characters.
MAX_TOKEN_LENGTH = 4096
#: Shortest signing key accepted: HMAC-SHA256 wants at least 256 bits of key.
MIN_SECRET_LENGTH = 32

_ALGORITHM = "HS256"
_REQUIRED_CLAIMS = ["jti", "wf", "step", "sub", "iat", "exp", "aud"]


class TaskTokenError(ElevateError):
    """A task token that cannot be used; subclasses say why."""


class MalformedTaskToken(TaskTokenError, RequestRejected):
    """The text is not a task token."""

    title = "Malformed task token"


class ForgedTaskToken(TaskTokenError, NotAllowed):
    """The token's signature does not match the signing key."""

    title = "Invalid task token"


class ExpiredTaskToken(TaskTokenError, NotAllowed):
    """The token's time to answer has run out."""

    title = "Expired task token"


class WrongWorkflowTaskToken(TaskTokenError, NotAllowed):
    """The token was issued for another workflow."""

    title = "Task token of another workflow"


class TaskTokenClaims(BaseModel):
    """What a verified task token says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token_id: str = Field(min_length=1, max_length=64)
    workflow_id: str = Field(min_length=1, max_length=64)
    step: str = Field(min_length=1, max_length=128)
    approver: str = Field(min_length=1, max_length=256)
    issued_at: AwareDatetime
    expires_at: AwareDatetime


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    secret: str | SecretStr,
    workflow_id: str,
    step: str,
    approver: str,
    ttl: timedelta,
    *,
    now: datetime | None = None,
) -> tuple[str, TaskTokenRecord]:
    """Sign a new token for ``approver`` to answer ``step`` of ``workflow_id``.

    Returns the token, to hand to the approver only, and the record to store, which
    holds its hash. ``ttl`` must be positive; ``now`` defaults to the current time.
    """
    if ttl <= timedelta(0):
        raise ValueError("a task token's ttl must be positive")
    # JWT times are whole seconds; the stored expiry must be the one the token carries.
    issued_at = (now or utcnow()).replace(microsecond=0)
    expires_at = issued_at + ttl
    claims = {
        "jti": uuid4().hex,
        "wf": workflow_id,
        "step": step,
        "sub": approver,
        "iat": issued_at,
        "exp": expires_at,
        "aud": AUDIENCE,
    }
    token = jwt.encode(claims, _key(secret), algorithm=_ALGORITHM)

    record = TaskTokenRecord(
        token_hash=token_hash(token), step=step, approver=approver, expires_at=expires_at
    )
    return token, record


def verify(secret: str | SecretStr, token: str, workflow_id: str) -> TaskTokenClaims:
    """Return the claims of ``token`` if it is ours, unexpired and for ``workflow_id``.

    Raises a :class:`TaskTokenError` subclass otherwise. Whether the token was already
    used is not known here: check its hash against the workflow's stored records.
    """
    claims = _decode(_key(secret), token)
    if claims.workflow_id != workflow_id:
        raise WrongWorkflowTaskToken("the task token was issued for another workflow")
    return claims


def may_approve(
    approver: str | TaskTokenClaims,
    actor: Principal,
    *,
    requester: Principal,
    identities: Iterable[str] = (),
    allow_self_approval: bool = False,
) -> bool:
    """Tell whether ``actor`` may answer for ``approver`` on someone's request.

    The actor must be the approver (:func:`~elevate_shared.permissions.matches_approver`)
    or a member of the approver's group, and, unless the
    workflow allows self-approval, must be neither the requester nor one of the
    identities that would receive the access.
    """
    name = approver.approver if isinstance(approver, TaskTokenClaims) else approver
    if not matches_approver(name, actor):
        return False
    return allow_self_approval or not benefits(actor, requester=requester, identities=identities)


def benefits(actor: Principal, *, requester: Principal, identities: Iterable[str]) -> bool:
    """Tell whether ``actor`` asked for, or would receive, the access.

    Compared without case, like every subject (:mod:`elevate_shared.permissions`): an
    address spelled differently is still the same mailbox.
    """
    return any(same_subject(actor.subject, other) for other in (requester.subject, *identities))


def _key(secret: str | SecretStr) -> bytes:
    value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
    if len(value) < MIN_SECRET_LENGTH:
        raise ValueError(f"the task token secret needs at least {MIN_SECRET_LENGTH} characters")
    return value.encode()


def _decode(key: bytes, token: str) -> TaskTokenClaims:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise MalformedTaskToken("the task token is empty or too long", field="task_token")
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            audience=AUDIENCE,
            options={"require": _REQUIRED_CLAIMS},
        )
    # Order matters: a bad signature and an unknown algorithm are decode errors too.
    except (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError) as error:
        raise ForgedTaskToken("the task token's signature is not valid") from error
    except jwt.ExpiredSignatureError as error:
        raise ExpiredTaskToken("the task token has expired") from error
    except jwt.InvalidTokenError as error:
        raise MalformedTaskToken("the task token is malformed", field="task_token") from error
    return _claims(payload)


def _claims(payload: dict[str, object]) -> TaskTokenClaims:
    try:
        return TaskTokenClaims.model_validate(
            {
                "token_id": payload["jti"],
                "workflow_id": payload["wf"],
                "step": payload["step"],
                "approver": payload["sub"],
                "issued_at": payload["iat"],
                "expires_at": payload["exp"],
            }
        )
    except ValidationError as error:
        raise MalformedTaskToken("the task token is malformed", field="task_token") from error
