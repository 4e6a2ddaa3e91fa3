"""Answer a ``SuggestRole``: bound the roles, ask the engine, bound its answer, reply.

The answer goes to the request's own reply topic, which must be one of the advice result
topics: a request can never make the advisor publish anywhere else.
"""

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

import structlog

from elevate_advisor.domain.engine import AdviceEngine, EngineFailed, Suggestion
from elevate_advisor.domain.guard import enforce
from elevate_advisor.domain.profiles import RoleProfile
from elevate_shared.kafka import PoisonMessage
from elevate_shared.messages import Message, RoleSuggested, SuggestRole
from elevate_shared.messages.base import utcnow
from elevate_shared.topics import ADVICE_RESULTS

log = structlog.get_logger(__name__)

_REPLY_TOPIC = re.compile(rf"^{re.escape(ADVICE_RESULTS)}\.[A-Za-z0-9._-]{{1,200}}$")

#: Age past which nobody waits for an answer any more (the gateway waits seconds). After
#: an outage the advisor skips the backlog instead of answering requests long given up.
STALE_AFTER = timedelta(minutes=1)

Publish = Callable[[str, Message], Awaitable[None]]


@dataclass(frozen=True)
class Advisor:
    """What answering needs: engines, the catalogue's enabled roles, and a publisher."""

    engine: AdviceEngine
    #: Engine used when ``engine`` fails; None answers "nothing fits" instead.
    fallback: AdviceEngine | None
    roles: Mapping[str, RoleProfile]
    publish: Publish


async def suggest_role(command: SuggestRole, advisor: Advisor) -> None:
    """Reply to ``command`` with a suggestion among its eligible roles."""
    # No idempotency record: answering changes nothing, so a redelivered request is simply
    # answered again, and the gateway drops answers that no request is waiting for.
    topic = _reply_topic(command)
    if utcnow() - command.occurred_at > STALE_AFTER:
        log.info("advice_request_stale", request_event_id=str(command.event_id))
        return
    roles = _eligible(command, advisor.roles)

    suggestion, engine = await _advise(command.reason, roles, advisor)
    suggestion = enforce(suggestion, roles)

    await advisor.publish(topic, _answer(command, suggestion, engine))
    log.info(
        "role_suggested",
        request_event_id=str(command.event_id),
        role=suggestion.role,
        engine=engine,
        eligible=len(roles),
    )


def _reply_topic(command: SuggestRole) -> str:
    if not _REPLY_TOPIC.fullmatch(command.reply_to):
        raise PoisonMessage(f"reply_to must be a topic under {ADVICE_RESULTS}.")
    return command.reply_to


def _eligible(command: SuggestRole, roles: Mapping[str, RoleProfile]) -> list[RoleProfile]:
    """Return the enabled roles the request allows; all of them when it names none."""
    if not command.eligible_roles:
        return list(roles.values())
    return [roles[name] for name in dict.fromkeys(command.eligible_roles) if name in roles]


async def _advise(
    reason: str, roles: list[RoleProfile], advisor: Advisor
) -> tuple[Suggestion, str]:
    if not roles:
        return Suggestion(role=None, rationale="no eligible role"), advisor.engine.name
    try:
        return await advisor.engine.suggest(reason, roles, utcnow()), advisor.engine.name
    except EngineFailed as error:
        if advisor.fallback is None:
            log.warning("advice_unavailable", engine=advisor.engine.name, error=str(error))
            return Suggestion(role=None, rationale="the model did not answer"), advisor.engine.name
        log.warning("advice_fallback", engine=advisor.engine.name, fallback=advisor.fallback.name)
        return await advisor.fallback.suggest(reason, roles, utcnow()), advisor.fallback.name


def _answer(command: SuggestRole, suggestion: Suggestion, engine: str) -> RoleSuggested:
    return RoleSuggested(
        correlation_id=command.correlation_id,
        request_event_id=str(command.event_id),
        role=suggestion.role,
        duration=suggestion.duration,
        providers=suggestion.providers,
        rationale=suggestion.rationale,
        alternatives=suggestion.alternatives,
        engine=engine,
    )
