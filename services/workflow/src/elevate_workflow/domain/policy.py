"""How long the workflow waits for grants and revokes, and how it retries them."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class TimerPolicy:
    """Deadlines and the revoke retry schedule, from the service's settings."""

    grant_timeout: timedelta = timedelta(minutes=5)
    revoke_timeout: timedelta = timedelta(minutes=2)
    revoke_retry_base: timedelta = timedelta(seconds=5)
    revoke_retry_max: timedelta = timedelta(minutes=5)
    revoke_escalate_after: int = 5
    expiry_warning: timedelta = timedelta(minutes=15)

    def warning_lead(self, duration: timedelta) -> timedelta:
        """How long before expiry people are told: at most a quarter of the access."""
        return min(self.expiry_warning, duration / 4)

    def retry_delay(self, attempts: int) -> timedelta:
        """Double the wait after each failed attempt, up to the longest wait.

        The count lives in the workflow document, not in a process, so a retry library's
        in-memory state would not survive the restarts this schedule must outlive.
        """
        doublings = min(max(attempts - 1, 0), 30)
        wait: timedelta = self.revoke_retry_base * (2**doublings)
        return min(wait, self.revoke_retry_max)

    def escalates(self, attempts: int) -> bool:
        """Tell whether a revoke failing this often needs people to look at it."""
        return attempts >= self.revoke_escalate_after
