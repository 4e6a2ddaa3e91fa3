from datetime import timedelta

import pytest

from elevate_shared.durations import InvalidDuration, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT2H", timedelta(hours=2)),
        ("PT30M", timedelta(minutes=30)),
        ("PT5S", timedelta(seconds=5)),
        ("P1DT30M", timedelta(days=1, minutes=30)),
        (" PT1H ", timedelta(hours=1)),
    ],
)
def test_iso_durations_are_parsed(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["2h", "", "PT", "P1Y", "P2M", "1 hour", "PTXH"])
def test_malformed_or_calendar_durations_are_refused(text: str) -> None:
    with pytest.raises(InvalidDuration):
        parse_duration(text)


def test_durations_round_trip_through_iso_text() -> None:
    assert parse_duration(format_duration(timedelta(hours=1, minutes=15))) == timedelta(
        hours=1, minutes=15
    )
