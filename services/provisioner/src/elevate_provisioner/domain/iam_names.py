"""IAM's naming rules, and the name of the IAM group that holds one grant.

IAM user, group and policy names are made of ASCII letters, digits and ``+=,.@_-``; user
names are at most 64 characters long, group and policy names at most 128. IAM treats
names that differ only in case as the same name.
"""

import hashlib
import re
from collections.abc import Iterable

from elevate_provisioner.domain.errors import InvalidGrant

MAX_USER_NAME = 64
MAX_GROUP_NAME = 128
#: Every IAM group Elevate creates starts with this, so operators can tell them apart.
GROUP_PREFIX = "elevate-"

_NAME = re.compile(r"[A-Za-z0-9+=,.@_-]+")
_READABLE = re.compile(r"[a-z0-9+=,.@_-]+")
_NOT_READABLE = re.compile(r"[^a-z0-9+=,.@_-]")
_DIGEST_CHARS = 16
_DIGEST_SUFFIX = re.compile(rf"-[0-9a-f]{{{_DIGEST_CHARS}}}$")


def group_name(grant_id: str) -> str:
    """Return the IAM group name of one grant: readable where the id allows, always unique.

    A grant id made only of lower-case IAM characters that fits is used as it is. Any
    other id is lower-cased, its other characters replaced by ``-``, cut to fit, and
    followed by a hash of the exact id. Without the hash, ``Ab`` and ``ab`` (IAM ignores
    case) or ``a:b`` and ``a/b`` would share one group, and revoking one grant would
    take away the other. An id that already ends like a hash is hashed too, so a readable
    name can never equal a hashed one.
    """
    if _is_readable(grant_id):
        return GROUP_PREFIX + grant_id

    digest = hashlib.sha256(grant_id.encode()).hexdigest()[:_DIGEST_CHARS]
    room = MAX_GROUP_NAME - len(GROUP_PREFIX) - len(digest) - 1
    readable = _NOT_READABLE.sub("-", grant_id.lower())[:room]
    return f"{GROUP_PREFIX}{readable}-{digest}"


def _is_readable(grant_id: str) -> bool:
    return (
        _READABLE.fullmatch(grant_id) is not None
        and _DIGEST_SUFFIX.search(grant_id) is None
        and len(GROUP_PREFIX + grant_id) <= MAX_GROUP_NAME
    )


def user_names(identities: Iterable[str]) -> tuple[str, ...]:
    """Return the identities as IAM user names, once each, or refuse the first invalid one."""
    names = tuple(dict.fromkeys(identities))
    for name in names:
        if len(name) > MAX_USER_NAME or not _NAME.fullmatch(name):
            raise InvalidGrant(
                f"identity {name[:80]!r} is not a valid IAM user name "
                f"(1 to {MAX_USER_NAME} of letters, digits and +=,.@_-)"
            )
    return names
