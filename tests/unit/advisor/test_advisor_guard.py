from datetime import timedelta

from elevate_advisor.domain.engine import Suggestion
from elevate_advisor.domain.guard import enforce
from elevate_advisor.domain.profiles import RoleProfile

READER = RoleProfile(
    name="logs-reader",
    description="Read logs.",
    providers=("aws", "aws-staging"),
    default_duration=timedelta(hours=1),
    max_duration=timedelta(hours=4),
)
WRITER = RoleProfile(
    name="logs-writer",
    description="Write logs.",
    providers=("aws",),
    max_duration=timedelta(hours=2),
    privilege=3,
)


def test_a_role_outside_the_eligible_roles_becomes_no_suggestion() -> None:
    answer = enforce(Suggestion(role="aws-admin", providers=("aws",)), [READER])

    assert answer.role is None
    assert answer.duration is None
    assert answer.providers == ()


def test_a_duration_above_the_maximum_is_capped() -> None:
    answer = enforce(Suggestion(role="logs-reader", duration=timedelta(days=7)), [READER])

    assert answer.duration == timedelta(hours=4)


def test_a_missing_or_negative_duration_takes_the_default() -> None:
    missing = enforce(Suggestion(role="logs-reader"), [READER])
    negative = enforce(Suggestion(role="logs-reader", duration=timedelta(hours=-1)), [READER])

    assert missing.duration == negative.duration == timedelta(hours=1)


def test_providers_are_cut_to_the_roles_own() -> None:
    answer = enforce(Suggestion(role="logs-reader", providers=("gcp", "aws-staging")), [READER])

    assert answer.providers == ("aws-staging",)


def test_no_provider_named_means_the_roles_first_not_all() -> None:
    answer = enforce(Suggestion(role="logs-reader"), [READER])

    assert answer.providers == ("aws",)


def test_alternatives_keep_only_eligible_roles() -> None:
    suggestion = Suggestion(
        role="logs-reader", alternatives=("aws-admin", "logs-writer", "logs-reader")
    )

    assert enforce(suggestion, [READER, WRITER]).alternatives == ("logs-writer",)


def test_the_rationale_loses_control_characters() -> None:
    answer = enforce(Suggestion(role="logs-reader", rationale="ok\x1b[31m\nfine"), [READER])

    assert "\x1b" not in answer.rationale
    assert "\n" not in answer.rationale
