"""Refuse a role object that disagrees with the catalogue: callers never define rights.

The contract lets a body carry the whole role object. Only its name is used to look the
role up; every other field given must match the catalogue's, so a caller who believes a
role grants something else learns so before anything starts.
"""

from typing import Any

from elevate_gateway.domain.requests import RoleObject
from elevate_shared.catalogue import Role
from elevate_shared.errors import RequestRejected

#: Fields compared as sets: their order carries no meaning.
_UNORDERED = frozenset({"providers", "workflows", "keywords", "authenticators"})
#: Fields that describe rather than grant; a stale description is harmless.
_DESCRIPTIVE = frozenset({"name", "description", "keywords"})


def check_role_object(given: RoleObject, role: Role) -> None:
    """Raise :class:`RequestRejected` naming the first field that disagrees with ``role``."""
    for field in sorted(given.model_fields_set - _DESCRIPTIVE):
        if not _same(field, getattr(given, field), getattr(role, field)):
            raise RequestRejected(
                f"role.{field} does not match the catalogue's role {role.name!r}; "
                "send the role's name, or the role as GET /roles shows it",
                field="role",
            )


def _same(field: str, given: Any, known: Any) -> bool:
    if field in _UNORDERED:
        return set(given) == set(known)
    return bool(given == known)
