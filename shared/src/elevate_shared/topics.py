"""Kafka topics, named like the messages they carry, and the parser for each.

All messages of one elevation are keyed by ``workflow_id``, so each topic keeps them in
order within a partition.
"""

from typing import Annotated, Final

from pydantic import Field, TypeAdapter

from elevate_shared.messages import (
    AccessGranted,
    AccessRevoked,
    CancelElevation,
    DeadLettered,
    EndAccess,
    GrantAccess,
    GrantFailed,
    RequestElevation,
    ResumeWorkflow,
    RevokeAccess,
    RevokeFailed,
    RoleSuggested,
    SuggestRole,
    WorkflowStatusChanged,
)

#: Commands for the workflow service: start, resume, cancel or end an elevation.
WORKFLOW_COMMANDS: Final = "elevate.workflow.commands"
#: Commands for the provisioner: grant or revoke access in a provider.
PROVISIONER_COMMANDS: Final = "elevate.provisioner.commands"
#: The provisioner's results: access granted or revoked, or why not.
PROVISIONER_RESULTS: Final = "elevate.provisioner.results"
#: Every state change of every workflow, for dashboards and other services.
WORKFLOW_STATUS: Final = "elevate.workflow.status"
#: Requests for a role suggestion from a plain-words reason.
ADVICE_REQUESTS: Final = "elevate.advice.requests"
#: Prefix of the reply topics where the advisor answers; each gateway replica has its own.
ADVICE_RESULTS: Final = "elevate.advice.results"
#: Records that could not be parsed or applied, with the reason.
DEAD_LETTERS: Final = "elevate.dead-letters"

WorkflowCommand = Annotated[
    RequestElevation | ResumeWorkflow | CancelElevation | EndAccess, Field(discriminator="type")
]
ProvisionerCommand = Annotated[GrantAccess | RevokeAccess, Field(discriminator="type")]
ProvisionerResult = Annotated[
    AccessGranted | GrantFailed | AccessRevoked | RevokeFailed, Field(discriminator="type")
]

workflow_command_adapter: TypeAdapter[WorkflowCommand] = TypeAdapter(WorkflowCommand)
provisioner_command_adapter: TypeAdapter[ProvisionerCommand] = TypeAdapter(ProvisionerCommand)
provisioner_result_adapter: TypeAdapter[ProvisionerResult] = TypeAdapter(ProvisionerResult)
status_adapter: TypeAdapter[WorkflowStatusChanged] = TypeAdapter(WorkflowStatusChanged)
advice_request_adapter: TypeAdapter[SuggestRole] = TypeAdapter(SuggestRole)
advice_result_adapter: TypeAdapter[RoleSuggested] = TypeAdapter(RoleSuggested)
dead_letter_adapter: TypeAdapter[DeadLettered] = TypeAdapter(DeadLettered)
