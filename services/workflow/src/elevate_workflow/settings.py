"""Settings of the workflow service, read from the environment once at start.

The servers' addresses come from the shared groups (``KAFKA_``, ``MONGODB_``,
``ELEVATE_``); what only this service needs has the ``WORKFLOW_`` prefix.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Self

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from elevate_shared.durations import IsoDuration
from elevate_shared.settings import (
    ElevateSettings,
    KafkaSettings,
    MongoSettings,
    TaskTokenSettings,
)


class WorkflowSettings(BaseSettings):
    """How the workflow service waits, retries and gives up."""

    model_config = SettingsConfigDict(env_prefix="WORKFLOW_")

    #: Seconds between two looks for due timers; a timer fires at most this late.
    timer_poll_seconds: float = Field(default=0.5, gt=0)
    #: Most timers fired per look, so one look never runs for long.
    timer_batch: int = Field(default=100, ge=1)
    #: Seconds between two sweeps for messages a crashed replica saved but never sent.
    outbox_sweep_seconds: float = Field(default=2.0, gt=0)
    #: Seconds between two rebuilds of the timer index from the records, which bring back
    #: an entry whose copy failed; each rebuild reads every workflow that has a timer.
    timer_restore_seconds: float = Field(default=300.0, gt=0)
    #: Age after which a saved, unsent message counts as left behind by a crash.
    outbox_stale_seconds: float = Field(default=5.0, gt=0)
    #: How long grants may take before the workflow fails and takes them back.
    grant_timeout: IsoDuration = timedelta(minutes=5)
    #: How long to wait for a revoke's answer before sending it again.
    revoke_timeout: IsoDuration = timedelta(minutes=2)
    #: First wait before retrying a failed revoke; it doubles on each failure.
    revoke_retry_base: IsoDuration = timedelta(seconds=5)
    #: Longest wait between two revoke retries.
    revoke_retry_max: IsoDuration = timedelta(minutes=5)
    #: How long before expiry people hear that access expires soon (at most a quarter of
    #: the access's duration).
    expiry_warning: IsoDuration = timedelta(minutes=15)
    #: Failed revoke attempts after which the status says the revoke is escalated.
    revoke_escalate_after: int = Field(default=5, ge=1)


@dataclass(frozen=True)
class ServiceSettings:
    """Every setting the workflow service reads, loaded once at start."""

    kafka: KafkaSettings
    mongo: MongoSettings
    elevate: ElevateSettings
    workflow: WorkflowSettings
    tokens: TaskTokenSettings

    @classmethod
    def load(cls) -> Self:
        """Read the settings from the environment; a bad variable stops the service."""
        return cls(
            KafkaSettings(),
            MongoSettings(),
            ElevateSettings(),
            WorkflowSettings(),
            TaskTokenSettings(),
        )
