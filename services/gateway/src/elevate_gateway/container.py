"""The adapters and settings one gateway process uses, built by ``bootstrap``."""

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from elevate_gateway.adapters.auth.base import Authenticator
from elevate_gateway.adapters.auth.sessions import SessionCodec
from elevate_gateway.adapters.idempotency import IdempotencyStore
from elevate_gateway.adapters.probes import Probe
from elevate_gateway.adapters.publisher import CommandPublisher
from elevate_gateway.adapters.rate_limiter import RateLimiter
from elevate_gateway.adapters.workflow_store import WorkflowReader
from elevate_gateway.settings import AuthSettings, GatewaySettings
from elevate_shared.catalogue import Catalogue


@dataclass
class Services:
    """Everything the routes need; routes receive it as the ``services`` dependency."""

    catalogue: Catalogue
    gateway: GatewaySettings
    auth: AuthSettings
    publisher: CommandPublisher
    workflows: WorkflowReader
    idempotency: IdempotencyStore
    rate_limiter: RateLimiter
    authenticators: list[Authenticator]
    sessions: SessionCodec | None = None
    probes: list[Probe] = field(default_factory=list)
    #: Opened when the app starts and closed when it stops (broker, clients).
    resources: list[AbstractAsyncContextManager[Any]] = field(default_factory=list)
