"""The OpenAI engine: asks any OpenAI-compatible chat-completions server for a suggestion.

Transient failures (connection errors, 408, 429, 5xx) are retried by the client with
exponential backoff (``LLM_MAX_RETRIES``); each call is bounded by ``LLM_TIMEOUT_S`` and
the whole answer by ``LLM_DEADLINE_S``. An answer that is late, refused or outside the
schema raises :class:`EngineFailed`. Neither the key nor the reason is ever logged.
"""

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime

import openai
import structlog
from openai import AsyncOpenAI
from pydantic import ValidationError

from elevate_advisor.adapters.answer_schema import (
    ModelAnswer,
    NoPick,
    messages,
    response_format,
)
from elevate_advisor.domain.engine import AdviceEngine, EngineFailed, Suggestion
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.settings import LlmSettings

log = structlog.get_logger(__name__)

#: Sent when no key is configured: servers without authentication ignore it, and the
#: client refuses to start without one.
_NO_KEY = "no-key"


class OpenAIEngine(AdviceEngine):
    """Suggests with a model constrained by a JSON schema of the eligible roles."""

    name = "openai"

    def __init__(self, settings: LlmSettings, client: AsyncOpenAI | None = None) -> None:
        self._model = settings.model
        self._deadline = settings.deadline_s
        self._client = client or AsyncOpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key.get_secret_value() or _NO_KEY,
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,
        )

    async def suggest(self, reason: str, roles: Sequence[RoleProfile], now: datetime) -> Suggestion:
        """Ask the model, then accept only an answer within ``roles``."""
        started = time.monotonic()
        content = await self._ask(reason, roles, now)
        answer = _validated(content, roles)
        log.info(
            "llm_answered",
            model=self._model,
            roles=len(roles),
            suggested=answer.suggestion.role,
            elapsed_ms=round((time.monotonic() - started) * 1000),
        )
        return _suggestion(answer)

    async def close(self) -> None:
        """Close the client's connections."""
        await self._client.close()

    async def _ask(self, reason: str, roles: Sequence[RoleProfile], now: datetime) -> str:
        try:
            async with asyncio.timeout(self._deadline):
                completion = await self._client.chat.completions.create(
                    model=self._model,
                    messages=messages(reason, roles, now),
                    response_format=response_format(roles),
                    temperature=0,
                )
        except (openai.OpenAIError, TimeoutError) as error:
            # The error's text may echo the request; only its type is logged.
            log.warning("llm_call_failed", model=self._model, error=type(error).__name__)
            raise EngineFailed(f"the model did not answer: {type(error).__name__}") from error

        choice = completion.choices[0] if completion.choices else None
        if choice is None or choice.message.refusal or not choice.message.content:
            log.warning("llm_answer_empty", model=self._model)
            raise EngineFailed("the model gave no answer")
        return str(choice.message.content)


def _validated(content: str, roles: Sequence[RoleProfile]) -> ModelAnswer:
    context = {"roles": {role.name: role for role in roles}}
    try:
        return ModelAnswer.model_validate_json(content, context=context)
    except ValidationError as error:
        problems = [e["msg"] for e in error.errors(include_input=False)][:3]
        log.warning("llm_answer_invalid", problems=problems)
        raise EngineFailed("the model's answer is outside the schema") from error


def _suggestion(answer: ModelAnswer) -> Suggestion:
    pick = answer.suggestion
    if isinstance(pick, NoPick):
        return Suggestion(role=None, rationale=answer.rationale)
    return Suggestion(
        role=pick.role,
        duration=pick.duration,
        providers=tuple(pick.providers),
        rationale=answer.rationale,
        alternatives=tuple(answer.alternatives),
    )
