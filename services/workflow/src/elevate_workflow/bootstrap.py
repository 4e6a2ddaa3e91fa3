"""Composition root: wires the store, Kafka, the catalogue, task tokens and notifiers.

Tests call :func:`bootstrap` with their own settings, or :func:`build_context` with
other adapters.
"""

import os
from collections.abc import Mapping
from functools import partial

import httpx
from pymongo import AsyncMongoClient

from elevate_shared import task_tokens
from elevate_shared.catalogue import Catalogue, load_catalogue
from elevate_shared.kafka import create_broker
from elevate_workflow.adapters.kafka_publisher import KafkaPublisher
from elevate_workflow.adapters.mongo_store import MongoWorkflowStore
from elevate_workflow.adapters.notifiers import NotificationDispatcher, build_notifiers
from elevate_workflow.adapters.publisher import Publisher
from elevate_workflow.adapters.store import WorkflowStore
from elevate_workflow.domain.policy import TimerPolicy
from elevate_workflow.entrypoints.consumers import register_consumers
from elevate_workflow.entrypoints.service import WorkflowService
from elevate_workflow.handlers.context import Context
from elevate_workflow.handlers.notices import Notices
from elevate_workflow.handlers.outbox import OutboxRelay
from elevate_workflow.settings import ServiceSettings, WorkflowSettings

#: Kafka client id of the workflow service.
CLIENT_ID = "elevate-workflow"


async def bootstrap(
    settings: ServiceSettings,
    *,
    catalogue: Catalogue | None = None,
    consume: bool = True,
    environ: Mapping[str, str] | None = None,
) -> WorkflowService:
    """Build the service from its settings and catalogue (loaded when not given).

    ``consume=False`` builds a service that runs only its timer loop and outbox sweep.
    Raises :class:`ChannelSecretMissing` when a notification channel lacks its secret.
    """
    catalogue = catalogue or load_catalogue(settings.elevate.catalogue_dir)
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        settings.mongo.uri, tz_aware=True
    )
    store = MongoWorkflowStore(client[settings.mongo.database])
    await store.ensure_indexes()
    await store.restore_timers()
    broker = create_broker(settings.kafka, client_id=CLIENT_ID)
    http = httpx.AsyncClient(timeout=httpx.Timeout(10.0))
    notifiers = build_notifiers(catalogue.notifications, environ=environ or os.environ, client=http)
    dispatcher = NotificationDispatcher(notifiers)

    context = build_context(
        store=store,
        publisher=KafkaPublisher(broker),
        catalogue=catalogue,
        secret=settings.tokens.secret.get_secret_value(),
        notices=Notices(dispatcher, settings.elevate.public_url),
        policy=timer_policy(settings.workflow),
    )
    if consume:
        register_consumers(broker, settings.kafka, context)
    closers = [dispatcher.aclose, http.aclose, client.close]
    return WorkflowService(
        context=context, broker=broker, settings=settings.workflow, closers=closers
    )


def build_context(
    *,
    store: WorkflowStore,
    publisher: Publisher,
    catalogue: Catalogue,
    secret: str,
    notices: Notices,
    policy: TimerPolicy,
) -> Context:
    """Wire the handlers' collaborators from the given adapters."""
    return Context(
        store=store,
        relay=OutboxRelay(store, publisher),
        catalogue=catalogue,
        issue_token=partial(task_tokens.issue, secret),
        verify_token=partial(task_tokens.verify, secret),
        notices=notices,
        policy=policy,
    )


def timer_policy(settings: WorkflowSettings) -> TimerPolicy:
    """Read the deadlines and the retry schedule from the settings."""
    return TimerPolicy(
        grant_timeout=settings.grant_timeout,
        revoke_timeout=settings.revoke_timeout,
        revoke_retry_base=settings.revoke_retry_base,
        revoke_retry_max=settings.revoke_retry_max,
        revoke_escalate_after=settings.revoke_escalate_after,
        expiry_warning=settings.expiry_warning,
    )
