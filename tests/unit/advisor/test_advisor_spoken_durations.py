from datetime import UTC, datetime, timedelta

import pytest

from elevate_advisor.domain.spoken_durations import duration_in_words

NOW = datetime(2025, 3, 4, 15, 30, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("I need it for 30 minutes", 30),
        ("look at the logs for about two hours", 120),
        ("45 min should do", 45),
        ("for 1.5 hours", 90),
        ("an hour and a half", 90),
        ("2 hours and 30 minutes", 150),
        ("1h30", 90),
        ("for 90m", 90),
        ("half an hour please", 30),
        ("a couple of hours", 120),
        ("a 30-minute window", 30),
        ("for a day", 24 * 60),
        ("give me PT45M", 45),
    ],
)
def test_durations_said_in_words_are_read(text: str, minutes: int) -> None:
    assert duration_in_words(text, NOW) == timedelta(minutes=minutes)


def test_until_end_of_day_runs_to_midnight() -> None:
    assert duration_in_words("until end of day", NOW) == timedelta(hours=8, minutes=30)
    assert duration_in_words("for the rest of the day", NOW) == timedelta(hours=8, minutes=30)


def test_until_a_clock_time_runs_to_that_time() -> None:
    assert duration_in_words("until 17:00", NOW) == timedelta(hours=1, minutes=30)
    assert duration_in_words("until 5pm", NOW) == timedelta(hours=1, minutes=30)


def test_a_clock_time_already_past_means_tomorrow() -> None:
    assert duration_in_words("until 9am", NOW) == timedelta(hours=17, minutes=30)


@pytest.mark.parametrize(
    "text",
    [
        "check which access keys are older than 90 days",
        "errors in the last 24 hours",
        "it broke 3 days ago",
        "download 3 of them",
        "I am on call",
        "cut the v2.3.0 release",
        "Restart the Azure VM",
    ],
)
def test_numbers_that_do_not_ask_for_time_are_ignored(text: str) -> None:
    assert duration_in_words(text, NOW) is None
