"""Subscribe the advisor to advice requests."""

from functools import partial

from faststream.kafka import KafkaBroker

from elevate_advisor.handlers.suggest_role import Advisor, suggest_role
from elevate_shared.kafka import subscribe
from elevate_shared.settings import KafkaSettings
from elevate_shared.topics import ADVICE_REQUESTS, advice_request_adapter

#: Consumer group of every advisor replica: each request is answered by one of them.
GROUP_ID = "elevate-advisor"


def register(
    broker: KafkaBroker,
    settings: KafkaSettings,
    advisor: Advisor,
    *,
    topic: str = ADVICE_REQUESTS,
    group_id: str = GROUP_ID,
) -> None:
    """Route parsed ``SuggestRole`` records to the handler; bad records are dead-lettered.

    Tests pass their own ``topic`` and ``group_id`` so they never meet another advisor.
    """
    subscribe(
        broker,
        settings,
        topic=topic,
        group_id=group_id,
        adapter=advice_request_adapter,
        handler=partial(suggest_role, advisor=advisor),
    )
