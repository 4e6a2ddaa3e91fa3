"""Telling people about an elevation once its change is saved; never part of the change.

Notifications go through the workflow definition's notify steps. Delivery runs in the
background with its own retries, so a slow or broken channel never delays or fails a
transition.
"""

from elevate_shared.permissions import GROUP_PREFIX
from elevate_shared.records import WorkflowRecord
from elevate_shared.states import WorkflowState
from elevate_workflow.adapters.notifiers import NotificationDispatcher
from elevate_workflow.domain.decision import Decision
from elevate_workflow.domain.notifications import (
    Notification,
    NotificationKind,
    approval_links,
    describe,
)

S = WorkflowState

#: The moves people hear about, and what they are told. "expiring_soon" is no move: its
#: timer's decision carries it as a ``notice``.
KINDS: dict[WorkflowState, NotificationKind] = {
    S.AWAITING_APPROVAL: "approval_needed",
    S.ACTIVE: "granted",
    S.DENIED: "denied",
    S.TIMED_OUT: "timed_out",
    S.CANCELLED: "cancelled",
    S.REVOKED: "revoked",
}


class Notices:
    """Turns saved moves into notifications for the channels the workflow names."""

    def __init__(self, dispatcher: NotificationDispatcher, public_url: str) -> None:
        self._dispatcher = dispatcher
        self._public_url = public_url

    def announce(self, record: WorkflowRecord, decision: Decision) -> None:
        """Start delivering a notification for each move people hear about."""
        if record.definition is None:
            return  # refused at validation: no workflow definition names any channel
        kinds = [KINDS.get(move.to_state) for move in decision.moves] + [decision.notice]
        for kind in kinds:
            channels = record.definition.channels_for(kind) if kind else ()
            if kind and channels:
                self._dispatcher.notify(channels, self._notification(record, kind, decision))

    def _notification(
        self, record: WorkflowRecord, kind: NotificationKind, decision: Decision
    ) -> Notification:
        if kind != "approval_needed":
            told = (record.requester.subject, *record.identities)
            return describe(record, kind, recipients=told)
        # TODO(approvals): tokens exist in clear only here, after the write; a crash in
        # between loses the approval mails and the request times out. Storing them
        # would break "only a hash is stored".
        links = tuple(
            approval_links(self._public_url, record.workflow_id, t.approver, t.token)
            for t in decision.tokens
        )
        people = tuple(
            t.approver for t in decision.tokens if not t.approver.startswith(GROUP_PREFIX)
        )
        return describe(record, kind, links=links, recipients=people)
