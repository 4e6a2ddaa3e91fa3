"""The IAM policies one grant carries: managed policy ARNs and one inline policy document.

Both are checked here, before any call, so that IAM is never asked for something it would
refuse halfway through a grant. IAM sums a group's inline policies against a quota of
5,120 characters, whitespace not counted (2,048 for a user, 10,240 for a role); a grant
has one inline policy, so its document alone must fit.
"""

import json
import re
from collections.abc import Iterable

from elevate_provisioner.domain.errors import InvalidGrant
from elevate_shared.catalogue import AwsStatement

#: Characters a group's inline policies may hold in total, whitespace not counted.
GROUP_INLINE_POLICY_QUOTA = 5_120
#: The current version of IAM's policy language.
POLICY_LANGUAGE_VERSION = "2012-10-17"

_MANAGED_POLICY_ARN = re.compile(
    r"arn:aws(-[a-z]+)*:iam::(aws|[0-9]{12}):policy/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]+"
)
_ACTION = re.compile(r"\*|[a-z0-9-]+:[A-Za-z0-9*?]+")
_RESOURCE = re.compile(r"\*|arn:\S+")
_MAX_ARN = 2048


def managed_policy_arns(arns: Iterable[str]) -> tuple[str, ...]:
    """Return the managed policy ARNs once each, or refuse the first malformed one."""
    unique = tuple(dict.fromkeys(arns))
    for arn in unique:
        if len(arn) > _MAX_ARN or not _MANAGED_POLICY_ARN.fullmatch(arn):
            raise InvalidGrant(f"{arn[:200]!r} is not an IAM managed policy ARN")
    return unique


def inline_policy_document(statements: Iterable[AwsStatement]) -> str | None:
    """Return the inline policy document of ``statements`` as JSON, or None if there are none."""
    checked = [_statement(statement) for statement in statements]
    if not checked:
        return None

    document = json.dumps({"Version": POLICY_LANGUAGE_VERSION, "Statement": checked})
    size = policy_size(document)
    if size > GROUP_INLINE_POLICY_QUOTA:
        raise InvalidGrant(
            f"the inline policy has {size} characters; IAM allows a group "
            f"{GROUP_INLINE_POLICY_QUOTA} (whitespace not counted)"
        )
    return document


def policy_size(document: str) -> int:
    """Return the size of a policy document as IAM counts it: without whitespace."""
    return sum(1 for character in document if not character.isspace())


def _statement(statement: AwsStatement) -> dict[str, object]:
    for action in statement.actions:
        if not _ACTION.fullmatch(action):
            raise InvalidGrant(f"{action[:200]!r} is not an IAM action (service:Action)")
    for resource in statement.resources:
        if len(resource) > _MAX_ARN or not _RESOURCE.fullmatch(resource):
            raise InvalidGrant(f"{resource[:200]!r} is not an IAM resource ('*' or an ARN)")
    return {
        "Effect": statement.effect,
        "Action": list(statement.actions),
        "Resource": list(statement.resources),
    }
