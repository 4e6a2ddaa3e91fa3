"""Read how long a reason asks for: "for 30 minutes", "about two hours", "until end of day".

Only phrases that ask for time count: "keys older than 90 days" or "the last 24 hours"
describe the past, not the access wanted, and are skipped. The result is not bounded
here; :func:`elevate_advisor.domain.guard.bounded_duration` caps it at the role's maximum.
"""

import re
from datetime import datetime, timedelta

from elevate_shared.durations import InvalidDuration, parse_duration

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45,
    "fortyfive": 45, "sixty": 60, "ninety": 90, "couple": 2, "a couple": 2,
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
}  # fmt: skip
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}

_WORDS = "|".join(re.escape(word) for word in sorted(_NUMBERS, key=len, reverse=True))
# Digits may touch their unit ("30m", "1h30"); words need a space ("an hour", not "am").
_SPOKEN = re.compile(
    r"(?:(?P<before>[a-z]+)\s+)?"
    rf"\b(?:(?P<number>\d+(?:[.,]\d+)?)\s*-?\s*|(?P<word>{_WORDS})\s+)"
    r"(?P<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d)(?![a-z])"
    r"(?:\s*(?:and\s+)?(?P<extra>\d+)\s*(?:minutes?|mins?|m)\b|(?<=h)(?P<bare>\d\d)\b"
    r"|(?P<half>\s+and\s+a\s+half))?"
    r"(?:\s+(?P<after>[a-z]+))?",
    re.IGNORECASE,
)
_HALF_HOUR = re.compile(r"\bhalf\s+(?:an\s+)?hour\b", re.IGNORECASE)
_CLOCK = re.compile(
    r"\b(?:until|till|til)\s+(?P<hour>\d{1,2})(?::(?P<minute>\d\d))?\s*(?P<half>am|pm)?\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"\bP(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?\b")
_END_OF_DAY = re.compile(
    r"\b(?:end\s+of\s+(?:the\s+)?(?:day|business\s+day|business|shift|today)"
    r"|eod|cob|rest\s+of\s+(?:the\s+)?day|all\s+day|tonight|midnight)\b",
    re.IGNORECASE,
)
#: Words before or after an amount that make it a fact about the past, not a request.
_PAST_BEFORE = frozenset(
    {"than", "last", "past", "previous", "since", "every", "each", "per", "over"}
)
_PAST_AFTER = frozenset({"ago", "old", "older", "earlier", "before", "back"})


def duration_in_words(text: str, now: datetime) -> timedelta | None:
    """Return how long ``text`` asks for, or None if it does not say."""
    return (
        _iso(text)
        or _half_hour(text)
        or _spoken(text)
        or _until_clock(text, now)
        or _until_end_of_day(text, now)
    )


def _iso(text: str) -> timedelta | None:
    for match in _ISO.finditer(text):
        if len(match.group()) < 3:
            continue
        try:
            return parse_duration(match.group())
        except InvalidDuration:
            continue
    return None


def _spoken(text: str) -> timedelta | None:
    for match in _SPOKEN.finditer(text):
        before = (match.group("before") or "").lower()
        after = (match.group("after") or "").lower()
        if before in _PAST_BEFORE or after in _PAST_AFTER:
            continue
        return _length(match)
    return None


def _length(match: re.Match[str]) -> timedelta:
    word = match.group("word")
    amount = _NUMBERS[word.lower()] if word else float(match.group("number").replace(",", "."))
    unit = _UNITS[match.group("unit")[0].lower()]
    length = unit * amount
    if extra := match.group("extra") or match.group("bare"):
        length += timedelta(minutes=int(extra))
    if match.group("half"):
        length += unit / 2
    return timedelta(minutes=round(length.total_seconds() / 60))


def _half_hour(text: str) -> timedelta | None:
    return timedelta(minutes=30) if _HALF_HOUR.search(text) else None


def _until_clock(text: str, now: datetime) -> timedelta | None:
    match = _CLOCK.search(text)
    if match is None:
        return None
    hour = int(match.group("hour")) % 12 if match.group("half") else int(match.group("hour"))
    hour += 12 if (match.group("half") or "").lower() == "pm" else 0
    minute = int(match.group("minute") or 0)
    if hour > 23 or minute > 59:
        return None
    # Same time-zone caveat as "end of day" below; a time already past means tomorrow.
    until = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    until += timedelta(days=1) if until <= now else timedelta(0)
    return until - now.replace(second=0, microsecond=0)


def _until_end_of_day(text: str, now: datetime) -> timedelta | None:
    if not _END_OF_DAY.search(text):
        return None
    # TODO(advisor): the requester's time zone is unknown, so "end of day" is midnight in
    # the time zone of ``now`` (UTC in the service); the guard caps it at the role's maximum.
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    return midnight - now.replace(second=0, microsecond=0)
