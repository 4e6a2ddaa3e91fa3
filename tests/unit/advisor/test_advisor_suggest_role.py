from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from elevate_advisor.domain.engine import AdviceEngine, EngineFailed, Suggestion
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.handlers.suggest_role import Advisor, suggest_role
from elevate_shared.kafka import PoisonMessage
from elevate_shared.messages import Message, Principal, RoleSuggested, SuggestRole

READER = RoleProfile(
    name="logs-reader", description="Read logs.", providers=("aws",), max_duration="PT4H"
)
ADMIN = RoleProfile(
    name="admin", description="Everything.", providers=("aws",), max_duration="PT1H", privilege=5
)
REPLY_TO = "elevate.advice.results.gw-1"


class FakeEngine(AdviceEngine):
    def __init__(self, name: str, answer: Suggestion | None) -> None:
        self.name = name
        self.answer = answer
        self.seen: list[list[str]] = []

    async def suggest(self, reason: str, roles: Sequence[RoleProfile], now: datetime) -> Suggestion:
        self.seen.append([r.name for r in roles])
        if self.answer is None:
            raise EngineFailed("down")
        return self.answer


class FakePublisher:
    def __init__(self) -> None:
        self.published: list[tuple[str, Message]] = []

    async def __call__(self, topic: str, message: Message) -> None:
        self.published.append((topic, message))


def command(**overrides: object) -> SuggestRole:
    fields: dict[str, object] = {
        "requester": Principal(subject="alice@example.com", authenticator="dev"),
        "reason": "read the logs",
        "reply_to": REPLY_TO,
        "eligible_roles": ("logs-reader",),
    }
    fields.update(overrides)
    return SuggestRole.model_validate(fields)


def advisor(engine: AdviceEngine, fallback: AdviceEngine | None = None) -> Advisor:
    return Advisor(
        engine=engine,
        fallback=fallback,
        roles={"logs-reader": READER, "admin": ADMIN},
        publish=FakePublisher(),
    )


def reply(advisor: Advisor) -> tuple[str, RoleSuggested]:
    published = advisor.publish.published  # type: ignore[attr-defined]
    assert len(published) == 1
    topic, message = published[0]
    assert isinstance(message, RoleSuggested)
    return topic, message


async def test_the_answer_goes_to_the_reply_topic_correlated_to_the_request() -> None:
    engine = FakeEngine("offline", Suggestion(role="logs-reader", duration=timedelta(hours=2)))
    subject = advisor(engine)
    request = command()

    await suggest_role(request, subject)

    topic, answer = reply(subject)
    assert topic == REPLY_TO
    assert answer.request_event_id == str(request.event_id)
    assert answer.correlation_id == request.correlation_id
    assert (answer.role, answer.duration, answer.engine) == (
        "logs-reader",
        timedelta(hours=2),
        "offline",
    )


async def test_the_engine_sees_only_the_eligible_roles() -> None:
    engine = FakeEngine("offline", Suggestion(role="admin"))
    subject = advisor(engine)

    await suggest_role(command(eligible_roles=("logs-reader", "unknown")), subject)

    assert engine.seen == [["logs-reader"]]
    assert reply(subject)[1].role is None


@pytest.mark.parametrize(
    "topic", ["elevate.workflow.commands", "elevate.advice.results", "elevate.advice.results.a/b"]
)
async def test_a_reply_topic_outside_the_advice_results_is_refused(topic: str) -> None:
    subject = advisor(FakeEngine("offline", Suggestion(role="logs-reader")))

    with pytest.raises(PoisonMessage):
        await suggest_role(command(reply_to=topic), subject)

    assert subject.publish.published == []  # type: ignore[attr-defined]


async def test_a_failed_model_falls_back_to_the_offline_engine() -> None:
    fallback = FakeEngine("offline", Suggestion(role="logs-reader"))
    subject = advisor(FakeEngine("openai", None), fallback)

    await suggest_role(command(), subject)

    answer = reply(subject)[1]
    assert (answer.role, answer.engine) == ("logs-reader", "offline")


async def test_a_failed_model_without_fallback_answers_that_nothing_fits() -> None:
    subject = advisor(FakeEngine("openai", None))

    await suggest_role(command(), subject)

    assert reply(subject)[1].role is None


async def test_a_request_nobody_waits_for_any_more_is_skipped() -> None:
    engine = FakeEngine("offline", Suggestion(role="logs-reader"))
    subject = advisor(engine)

    await suggest_role(command(occurred_at=datetime.now(UTC) - timedelta(minutes=5)), subject)

    assert engine.seen == []
    assert subject.publish.published == []  # type: ignore[attr-defined]
