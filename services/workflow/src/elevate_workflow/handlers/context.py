"""What handlers work with: the store, the outbox relay, the catalogue, tokens, notices."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from elevate_shared.catalogue import Catalogue
from elevate_shared.task_tokens import TaskTokenClaims
from elevate_workflow.adapters.store import WorkflowStore
from elevate_workflow.domain.approvals import TokenIssuer
from elevate_workflow.domain.clock import utcnow
from elevate_workflow.domain.policy import TimerPolicy
from elevate_workflow.handlers.notices import Notices
from elevate_workflow.handlers.outbox import OutboxRelay

#: Checks a task token's signature, expiry and workflow; returns its claims.
TokenVerifier = Callable[[str, str], TaskTokenClaims]


@dataclass(frozen=True)
class Context:
    """The workflow service's collaborators, wired once by the composition root."""

    store: WorkflowStore
    relay: OutboxRelay
    catalogue: Catalogue
    issue_token: TokenIssuer
    verify_token: TokenVerifier
    notices: Notices
    policy: TimerPolicy
    clock: Callable[[], datetime] = utcnow
