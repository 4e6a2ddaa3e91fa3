"""The shapes of elevation requests as callers send them, before any rule is applied.

Every model refuses unknown fields and accepts only plain strings where a string
belongs, so an object such as ``{"$gt": ""}`` is refused here, long before a query. The
catalogue's rules (role enabled, provider allowed, duration, policy) are checked later
by the shared eligibility and dynamic-policy code, so the gateway and the workflow
service apply the same rules.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictBool, Tag

from elevate_shared.catalogue.models import RolePermissions
from elevate_shared.durations import IsoDuration

#: Printable text without control characters other than tab and line breaks.
_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

ShortText = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]*$")]
Reason = Annotated[str, Field(max_length=2000, pattern=_TEXT)]
Identity = Annotated[str, Field(min_length=1, max_length=256, pattern=r"^[^\x00-\x1f\x7f]*$")]
Duration = Annotated[str, Field(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")]
Action = Annotated[str, Field(min_length=1, max_length=256)]
Resource = Annotated[str, Field(min_length=1, max_length=2048)]


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class SessionObject(_Input):
    """The contract's ``session`` object; only the encrypted token inside it is trusted."""

    version: Literal[1] = 1
    expiry: datetime | None = None
    session: str = Field(min_length=1, max_length=4096)


class RoleObject(_Input):
    """A role as the caller believes it to be; checked field by field against the catalogue."""

    name: ShortText
    description: str | None = Field(default=None, max_length=1000)
    enabled: StrictBool | None = None
    providers: tuple[ShortText, ...] | None = Field(default=None, max_length=20)
    workflows: tuple[ShortText, ...] | None = Field(default=None, max_length=20)
    default_workflow: ShortText | None = None
    permissions: RolePermissions | None = None
    default_duration: IsoDuration | None = None
    max_duration: IsoDuration | None = None
    keywords: tuple[ShortText, ...] | None = Field(default=None, max_length=50)
    privilege: int | None = Field(default=None, ge=1, le=5)
    authenticators: tuple[ShortText, ...] | None = Field(default=None, max_length=20)


class _Common(_Input):
    providers: tuple[ShortText, ...] = Field(max_length=10)
    reason: Reason = ""
    duration: Duration | None = None
    workflow: ShortText | None = None
    identities: tuple[Identity, ...] = Field(default=(), max_length=50)
    authenticator: ShortText | None = None
    session: SessionObject | None = None


def _role_kind(value: Any) -> str:
    return "RoleObject" if isinstance(value, dict | RoleObject) else "RoleName"


#: A role's name, or the role object; told apart by shape so errors speak of one of them.
RoleField = Annotated[
    Annotated[ShortText, Tag("RoleName")] | Annotated[RoleObject, Tag("RoleObject")],
    Discriminator(_role_kind),
]


class StaticRequest(_Common):
    """Ask for a catalogue role, named or described as the contract's role object."""

    role: RoleField

    @property
    def role_name(self) -> str:
        """Return the name of the role asked for."""
        return self.role if isinstance(self.role, str) else self.role.name


class DynamicRequest(_Common):
    """Ask for explicit permissions on resources, within the provider's dynamic policy."""

    permissions: tuple[Action, ...] = Field(min_length=1, max_length=100)
    resources: tuple[Resource, ...] = Field(default=("*",), min_length=1, max_length=100)
    groups: tuple[ShortText, ...] = Field(default=(), max_length=50)
    users: tuple[Identity, ...] = Field(default=(), max_length=50)


class QueryRequest(_Input):
    """``GET /elevate``'s query parameters, lists given comma-separated."""

    role: ShortText
    provider: tuple[ShortText, ...] = Field(min_length=1, max_length=10)
    workflow: ShortText | None = None
    reason: Reason = ""
    duration: Duration | None = None
    identities: tuple[Identity, ...] = Field(default=(), max_length=50)
    session: str | None = Field(default=None, max_length=4096)

    def as_static(self) -> StaticRequest:
        """Return the same request in the JSON body's shape."""
        return StaticRequest(
            role=self.role,
            providers=self.provider,
            workflow=self.workflow,
            reason=self.reason,
            duration=self.duration,
            identities=self.identities,
        )


ElevationRequest = StaticRequest | DynamicRequest
