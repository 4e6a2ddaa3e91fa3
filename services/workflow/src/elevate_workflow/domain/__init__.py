"""The elevation state machine: pure rules, no I/O.

Handlers load a workflow record, ask a function here what a message or a timer does to
it (a :class:`~elevate_workflow.domain.decision.Decision`), and write the
:class:`~elevate_workflow.domain.changes.Changes` that :func:`prepare` derives from it.
"""
