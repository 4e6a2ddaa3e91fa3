"""The composition root: wires the broker, the grant ledger and the cloud providers.

Tests call :func:`bootstrap` with their own ledger, providers or broker; whatever is not
given is built from the settings and the catalogue.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Self

import structlog
from faststream import FastStream
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from elevate_provisioner.adapters.aws import AwsProvider, iam_client
from elevate_provisioner.adapters.mongo_ledger import MongoGrantLedger
from elevate_provisioner.domain.ports import CloudProvider, GrantLedger
from elevate_provisioner.entrypoints.kafka import GROUP_ID, subscribe_commands
from elevate_provisioner.handlers import Dependencies
from elevate_shared.catalogue import Catalogue, Provider, load_catalogue
from elevate_shared.kafka import create_broker, publish
from elevate_shared.settings import AwsSettings, ElevateSettings, KafkaSettings, MongoSettings
from elevate_shared.topics import PROVISIONER_COMMANDS, PROVISIONER_RESULTS

log = structlog.get_logger(__name__)

#: The service's name in logs and its Kafka client id.
SERVICE = "elevate-provisioner"

#: How to build a provider of each catalogue type.
PROVIDER_TYPES: dict[str, Callable[[Provider, AwsSettings], CloudProvider]] = {
    "aws": lambda provider, aws: AwsProvider(provider, iam_client(provider, aws)),
}


@dataclass(frozen=True)
class Settings:
    """Every setting the provisioner reads, loaded once at start."""

    kafka: KafkaSettings
    mongo: MongoSettings
    aws: AwsSettings
    elevate: ElevateSettings

    @classmethod
    def load(cls) -> Self:
        """Read the settings from the environment; a bad variable stops the service."""
        return cls(KafkaSettings(), MongoSettings(), AwsSettings(), ElevateSettings())


@dataclass(frozen=True)
class Provisioner:
    """The wired service: run it, or start its broker from a test."""

    broker: KafkaBroker
    app: FastStream
    deps: Dependencies
    mongo: AsyncMongoClient[dict[str, Any]] | None

    async def run(self) -> None:
        """Consume commands until SIGTERM or SIGINT, then close the connections."""
        try:
            await self.app.run()
        finally:
            await self.close()

    async def close(self) -> None:
        """Close the database connection this service opened."""
        if self.mongo is not None:
            await self.mongo.close()


def build_providers(catalogue: Catalogue, aws: AwsSettings) -> dict[str, CloudProvider]:
    """Build one provider adapter per catalogue provider, by its name."""
    return {
        name: PROVIDER_TYPES[provider.type](provider, aws)
        for name, provider in catalogue.providers.items()
    }


def bootstrap(
    settings: Settings,
    *,
    catalogue: Catalogue | None = None,
    ledger: GrantLedger | None = None,
    providers: Mapping[str, CloudProvider] | None = None,
    broker: KafkaBroker | None = None,
) -> Provisioner:
    """Wire the provisioner; anything not given is built from settings and catalogue."""
    broker = broker or create_broker(settings.kafka, client_id=SERVICE)
    mongo = None
    if ledger is None:
        mongo = AsyncMongoClient[dict[str, Any]](settings.mongo.uri, tz_aware=True)
        ledger = MongoGrantLedger(mongo[settings.mongo.database])
    if providers is None:
        catalogue = catalogue or load_catalogue(settings.elevate.catalogue_dir)
        providers = build_providers(catalogue, settings.aws)

    emit = partial(publish, broker, PROVISIONER_RESULTS)
    deps = Dependencies(ledger=ledger, providers=providers, emit=emit)
    subscribe_commands(broker, settings.kafka, deps)
    app = FastStream(broker, logger=None, after_startup=[_started], after_shutdown=[_stopped])
    return Provisioner(broker=broker, app=app, deps=deps, mongo=mongo)


def _started() -> None:
    log.info("provisioner_started", topic=PROVISIONER_COMMANDS, group=GROUP_ID)


def _stopped() -> None:
    log.info("provisioner_stopped")
