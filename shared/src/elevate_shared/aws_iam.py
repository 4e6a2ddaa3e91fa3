"""The syntax and size rules of AWS IAM that a dynamic request must keep.

A dynamic request becomes one inline policy on the IAM group its grant creates, which
the identities join. AWS refuses action names and ARNs it cannot parse and a group's
inline policies above 5,120 characters; checking here turns a grant that would fail in
the provisioner into a clear answer before any workflow starts.
"""

import json
import re
from typing import Any, Final

from elevate_shared.catalogue.models import AwsPermissions, AwsStatement

#: ``service:Action``, the action possibly with wildcards, or ``*`` for every action.
ACTION_PATTERN: Final = re.compile(r"^(\*|[a-z0-9-]{1,64}:[A-Za-z0-9*?]{1,128})$")
#: ``arn:partition:service:region:account:resource``, or ``*`` for every resource.
ARN_PATTERN: Final = re.compile(
    r"^(\*|arn:(aws|aws-cn|aws-us-gov|\*):([a-z0-9-]+|\*):([a-z0-9-]*|\*)"
    r":(\d{12}|\*|aws)?:[^\s]{1,1900})$"
)
#: AWS counts an IAM group's inline policies together, whitespace left out, up to this
#: (2,048 for a user, 10,240 for a role); a grant's group holds one inline policy.
MAX_GROUP_INLINE_POLICY_CHARS: Final = 5_120
POLICY_VERSION: Final = "2012-10-17"


def is_action(text: str) -> bool:
    """Tell whether ``text`` is an IAM action name such as ``s3:GetObject`` or ``ec2:*``."""
    return ACTION_PATTERN.fullmatch(text) is not None


def is_arn(text: str) -> bool:
    """Tell whether ``text`` is an ARN (wildcards allowed) or ``*``."""
    return ARN_PATTERN.fullmatch(text) is not None


def dynamic_permissions(actions: tuple[str, ...], resources: tuple[str, ...]) -> AwsPermissions:
    """Return the grant of a dynamic request: one statement allowing actions on resources."""
    return AwsPermissions(statements=(AwsStatement(actions=actions, resources=resources),))


def policy_document(permissions: AwsPermissions) -> dict[str, Any]:
    """Return the IAM policy document of ``permissions``' statements."""
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Effect": statement.effect,
                "Action": list(statement.actions),
                "Resource": list(statement.resources),
            }
            for statement in permissions.statements
        ],
    }


def policy_size(permissions: AwsPermissions) -> int:
    """Return the size AWS counts for the inline policy: its JSON without whitespace."""
    return len(json.dumps(policy_document(permissions), separators=(",", ":")))
