"""Messages exchanged over Kafka: commands are imperative, events are past-tense facts.

Each topic carries a union of message types told apart by their ``type`` field, so a
consumer parses a record with the topic's adapter (see :mod:`elevate_shared.topics`).
"""

from elevate_shared.messages.base import Message, Principal
from elevate_shared.messages.commands import (
    CancelElevation,
    DynamicPermissions,
    EndAccess,
    GrantAccess,
    RequestElevation,
    ResumeWorkflow,
    RevokeAccess,
    SuggestRole,
)
from elevate_shared.messages.events import (
    AccessGranted,
    AccessRevoked,
    DeadLettered,
    GrantFailed,
    RevokeFailed,
    RoleSuggested,
    WorkflowStatusChanged,
)

__all__ = [
    "AccessGranted",
    "AccessRevoked",
    "CancelElevation",
    "DeadLettered",
    "DynamicPermissions",
    "EndAccess",
    "GrantAccess",
    "GrantFailed",
    "Message",
    "Principal",
    "RequestElevation",
    "ResumeWorkflow",
    "RevokeAccess",
    "RevokeFailed",
    "RoleSuggested",
    "SuggestRole",
    "WorkflowStatusChanged",
]
