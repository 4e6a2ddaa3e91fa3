"""Composition root: wires the broker, the catalogue and the engines into the advisor."""

from functools import partial

from faststream.kafka import KafkaBroker

from elevate_advisor.adapters.openai_engine import OpenAIEngine
from elevate_advisor.domain.engine import AdviceEngine
from elevate_advisor.domain.offline import OfflineEngine
from elevate_advisor.domain.profiles import RoleProfile, profile_of
from elevate_advisor.entrypoints.consumer import GROUP_ID, register
from elevate_advisor.handlers.suggest_role import Advisor
from elevate_advisor.settings import LlmSettings
from elevate_shared.catalogue import Catalogue, load_catalogue
from elevate_shared.kafka import create_broker, publish
from elevate_shared.settings import ElevateSettings, KafkaSettings
from elevate_shared.topics import ADVICE_REQUESTS


def build_engine(llm: LlmSettings) -> AdviceEngine:
    """Return the OpenAI engine when a model endpoint is set, else the offline engine."""
    return OpenAIEngine(llm) if llm.base_url else OfflineEngine()


def enabled_profiles(catalogue: Catalogue) -> dict[str, RoleProfile]:
    """Return the advisor's view of every enabled role, by name."""
    return {role.name: profile_of(role) for role in catalogue.enabled_roles()}


def bootstrap(
    kafka: KafkaSettings,
    elevate: ElevateSettings,
    llm: LlmSettings,
    *,
    engine: AdviceEngine | None = None,
    topic: str = ADVICE_REQUESTS,
    group_id: str = GROUP_ID,
) -> tuple[KafkaBroker, Advisor]:
    """Build the broker with the advisor subscribed; tests may pass their own engine."""
    broker = create_broker(kafka, client_id="elevate-advisor")
    chosen = engine or build_engine(llm)
    advisor = Advisor(
        engine=chosen,
        fallback=OfflineEngine() if llm.fallback_offline and chosen.name != "offline" else None,
        roles=enabled_profiles(load_catalogue(elevate.catalogue_dir)),
        publish=partial(publish, broker),
    )
    register(broker, kafka, advisor, topic=topic, group_id=group_id)
    return broker, advisor
