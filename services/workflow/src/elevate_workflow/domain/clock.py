"""The workflow's notion of now."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return now in UTC, to the millisecond: what MongoDB stores, so times compare equal."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
