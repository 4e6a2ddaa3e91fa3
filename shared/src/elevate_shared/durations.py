"""ISO-8601 durations, parsed with isodate into ``timedelta``.

Calendar units (years, months) are refused: their length depends on the date they start,
and an access window must have one exact length.
"""

from datetime import timedelta
from typing import Annotated

import isodate
from pydantic import BeforeValidator, PlainSerializer


class InvalidDuration(ValueError):
    """The text is not an ISO-8601 duration with an exact length."""


def parse_duration(text: str) -> timedelta:
    """Parse an ISO-8601 duration such as ``PT2H`` or ``P1DT30M``."""
    if not any(char.isdigit() for char in text):  # isodate reads a bare "PT" as zero
        raise InvalidDuration(f"{text!r} is not an ISO-8601 duration (e.g. PT1H)")
    try:
        value = isodate.parse_duration(text.strip())
    except (isodate.ISO8601Error, ValueError, TypeError) as error:
        raise InvalidDuration(f"{text!r} is not an ISO-8601 duration (e.g. PT1H)") from error
    if not isinstance(value, timedelta):
        raise InvalidDuration(f"{text!r} uses years or months; use days, hours or minutes")
    return value


def format_duration(value: timedelta) -> str:
    """Format a ``timedelta`` as an ISO-8601 duration."""
    return str(isodate.duration_isoformat(value))


def _coerce(value: object) -> object:
    return parse_duration(value) if isinstance(value, str) else value


#: A ``timedelta`` read from and written as ISO-8601 text in YAML, JSON and messages.
IsoDuration = Annotated[
    timedelta,
    BeforeValidator(_coerce),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
]
