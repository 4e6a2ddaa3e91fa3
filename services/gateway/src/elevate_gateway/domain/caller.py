"""The authenticated caller of a request, and the scopes that say what it may do."""

from dataclasses import dataclass
from typing import Final

from elevate_shared.messages import Principal

#: Start elevations for oneself.
SCOPE_REQUEST: Final = "elevate:request"
#: Read roles and the workflows one is part of.
SCOPE_READ: Final = "elevate:read"
#: Answer approvals and act on workflows.
SCOPE_RESUME: Final = "elevate:resume"
#: Name identities other than oneself in a request.
SCOPE_ON_BEHALF: Final = "elevate:on-behalf"
#: Read every workflow.
SCOPE_ADMIN: Final = "elevate:admin"

#: What every authenticated person may do; admins get the rest through their group.
USER_SCOPES: Final = frozenset({SCOPE_REQUEST, SCOPE_READ, SCOPE_RESUME})
ADMIN_SCOPES: Final = frozenset({SCOPE_ON_BEHALF, SCOPE_ADMIN})
ALL_SCOPES: Final = USER_SCOPES | ADMIN_SCOPES


@dataclass(frozen=True)
class Caller:
    """Who is calling, as proved by one authenticator, and what they may do."""

    principal: Principal
    scopes: frozenset[str]
    #: The authenticator that checked this request's credential, when it is not the one
    #: named in the principal: a session carries the sign-in's authenticator but is
    #: checked by the session authenticator.
    via: str | None = None

    @property
    def checked_by(self) -> str:
        """Return the authenticator that checked this request's credential."""
        return self.via or self.principal.authenticator

    @property
    def subject(self) -> str:
        """Return the caller's name: a person's subject or an API key's name."""
        return self.principal.subject

    @property
    def rate_key(self) -> str:
        """Return the key rate limits and idempotency keys are counted under."""
        return f"{self.principal.kind}:{self.principal.authenticator}:{self.subject}"

    def may(self, scope: str) -> bool:
        """Tell whether the caller holds ``scope``."""
        return scope in self.scopes

    def in_group(self, group: str) -> bool:
        """Tell whether the caller is a member of ``group``."""
        return group in self.principal.groups


def person(
    subject: str,
    authenticator: str,
    groups: tuple[str, ...],
    *,
    admin_group: str,
    via: str | None = None,
) -> Caller:
    """Build a person's caller: user scopes, plus admin scopes for the admin group."""
    admin = admin_group in groups
    principal = Principal(subject=subject, authenticator=authenticator, groups=groups, admin=admin)
    scopes = USER_SCOPES | (ADMIN_SCOPES if admin else set())
    return Caller(principal=principal, scopes=scopes, via=via)
