"""Composition root: build the gateway's adapters from settings and wire the app.

Tests call :func:`bootstrap` with their own settings (a local JWKS, small rate limits)
or :func:`create_app` with services built around fakes.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import structlog
from faststream.kafka import KafkaBroker
from litestar import Litestar
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from elevate_gateway.adapters.auth.api_keys import ApiKeyAuthenticator, load_api_keys
from elevate_gateway.adapters.auth.base import Authenticator
from elevate_gateway.adapters.auth.dev import DevAuthenticator
from elevate_gateway.adapters.auth.oidc import OidcAuthenticator
from elevate_gateway.adapters.auth.sessions import SessionAuthenticator, SessionCodec
from elevate_gateway.adapters.idempotency import RedisIdempotencyStore
from elevate_gateway.adapters.probes import kafka_probe, mongo_probe, redis_probe
from elevate_gateway.adapters.publisher import KafkaCommandPublisher
from elevate_gateway.adapters.rate_limiter import RedisRateLimiter
from elevate_gateway.adapters.workflow_store import MongoWorkflowReader
from elevate_gateway.container import Services
from elevate_gateway.entrypoints.app import create_app
from elevate_gateway.settings import AuthSettings, GatewaySettings, check_dev_mode_is_local
from elevate_shared.catalogue import Catalogue, load_catalogue
from elevate_shared.kafka import create_broker
from elevate_shared.settings import ElevateSettings, KafkaSettings, MongoSettings, RedisSettings

log = structlog.get_logger(__name__)

#: Seconds a MongoDB or Redis call may wait for its server before failing.
CLIENT_TIMEOUT_SECONDS = 5


def bootstrap(
    *,
    gateway: GatewaySettings | None = None,
    auth: AuthSettings | None = None,
    catalogue: Catalogue | None = None,
) -> Litestar:
    """Build the app against the servers the environment names."""
    return create_app(build_services(gateway=gateway, auth=auth, catalogue=catalogue))


def build_services(
    *,
    gateway: GatewaySettings | None = None,
    auth: AuthSettings | None = None,
    catalogue: Catalogue | None = None,
) -> Services:
    """Build every adapter; nothing connects until the app starts."""
    gateway = gateway or GatewaySettings()
    auth = auth or AuthSettings()
    check_dev_mode_is_local(gateway, auth)
    broker = create_broker(KafkaSettings(), client_id="elevate-gateway")
    mongo_settings = MongoSettings()
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_settings.uri, tz_aware=True, serverSelectionTimeoutMS=CLIENT_TIMEOUT_SECONDS * 1000
    )
    redis = Redis.from_url(
        RedisSettings().url,
        socket_timeout=CLIENT_TIMEOUT_SECONDS,
        socket_connect_timeout=CLIENT_TIMEOUT_SECONDS,
    )
    sessions = _sessions(auth)

    return Services(
        catalogue=catalogue or load_catalogue(ElevateSettings().catalogue_dir),
        gateway=gateway,
        auth=auth,
        publisher=KafkaCommandPublisher(broker),
        workflows=MongoWorkflowReader(mongo, mongo_settings.database),
        idempotency=RedisIdempotencyStore(redis, gateway.idempotency_ttl_seconds),
        rate_limiter=RedisRateLimiter(redis),
        authenticators=build_authenticators(auth, sessions),
        sessions=sessions,
        probes=[kafka_probe(broker), mongo_probe(mongo), redis_probe(redis)],
        resources=[_running(broker), _closing(mongo, redis)],
    )


def build_authenticators(auth: AuthSettings, sessions: SessionCodec | None) -> list[Authenticator]:
    """Return the configured authenticators; the development one only when switched on."""
    found: list[Authenticator] = []
    if auth.api_keys_file is not None:
        found.append(ApiKeyAuthenticator(load_api_keys(auth.api_keys_file)))
    if auth.dev_mode:
        # Before OIDC, so the development token is never sent to the issuer's checks.
        found.append(DevAuthenticator(auth))
        log.warning(
            "dev_authenticator_enabled",
            subject=auth.dev_subject,
            groups=list(auth.dev_groups),
            note="anyone with the development token acts as this identity; never in production",
        )
    if auth.oidc_issuer:
        found.append(OidcAuthenticator(auth))
    if sessions is not None:
        found.append(SessionAuthenticator(sessions, admin_group=auth.admin_group))
    if not found:
        log.warning("no_authenticators", note="every request that needs a caller gets 401")
    log.info("authenticators_configured", names=[a.name for a in found])
    return found


def _sessions(auth: AuthSettings) -> SessionCodec | None:
    if auth.session_keys is None:
        return None
    keys = [k.strip() for k in auth.session_keys.get_secret_value().split(",") if k.strip()]
    return SessionCodec(keys, timedelta(seconds=auth.session_ttl_seconds))


@asynccontextmanager
async def _running(broker: KafkaBroker) -> AsyncIterator[None]:
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


@asynccontextmanager
async def _closing(mongo: AsyncMongoClient[dict[str, Any]], redis: Redis) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await mongo.close()
        await redis.aclose()
