"""The Litestar application: routes, the ``caller`` and ``services`` dependencies, errors.

Other parts of the gateway add routes by module. Each module named in
``OPTIONAL_ROUTE_MODULES`` that exists is imported and must expose ``routes``, a list of
Litestar route handlers or controllers; it may also expose ``lifespan``, a list of
callables taking the app and returning an async context manager (started with the app).
Their routes receive ``services`` (:class:`~elevate_gateway.container.Services`),
``caller`` (authenticated, scope from the route's ``opt``) like every other route.
HTML templates are read from the package's ``templates`` folder.
"""

import importlib
import importlib.util
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from litestar.types import ControllerRouterHandler

from elevate_gateway.container import Services
from elevate_gateway.entrypoints.authentication import provide_caller
from elevate_gateway.entrypoints.correlation import CorrelationMiddleware
from elevate_gateway.entrypoints.elevate import ElevateController
from elevate_gateway.entrypoints.health import health, ready
from elevate_gateway.entrypoints.problems import EXCEPTION_HANDLERS
from elevate_gateway.entrypoints.reads import ReadController
from elevate_gateway.entrypoints.sessions import create_session

#: The gateway's own routes.
ROUTES: list[ControllerRouterHandler] = [
    ElevateController,
    ReadController,
    create_session,
    health,
    ready,
]

#: Route modules written alongside this one; each is included when it exists.
OPTIONAL_ROUTE_MODULES = (
    "elevate_gateway.entrypoints.llm",
    "elevate_gateway.entrypoints.resume",
    "elevate_gateway.entrypoints.actions",
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: Most parts of a multipart body; the requests here have a dozen fields at most.
MULTIPART_PART_LIMIT = 50

Lifespan = Callable[[Litestar], AbstractAsyncContextManager[Any]]


def create_app(services: Services) -> Litestar:
    """Build the application around ``services``."""
    routes, lifespans = list(ROUTES), [_resources(services)]
    for module in _optional_modules():
        routes.extend(module.routes)
        lifespans.extend(getattr(module, "lifespan", []))

    app = Litestar(
        route_handlers=routes,
        dependencies={
            "services": Provide(lambda: services, sync_to_thread=False),
            "caller": Provide(provide_caller),
        },
        middleware=[CorrelationMiddleware()],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespans,
        request_max_body_size=services.gateway.max_body_bytes,
        multipart_form_part_limit=MULTIPART_PART_LIMIT,
        template_config=_templates(),
        openapi_config=None,
    )
    app.state.services = services
    return app


def _resources(services: Services) -> Lifespan:
    @asynccontextmanager
    async def open_all(_: Litestar) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for resource in services.resources:
                await stack.enter_async_context(resource)
            yield

    return open_all


def _optional_modules() -> list[Any]:
    # A module that exists but fails to import is a bug to see at start, not to skip.
    return [
        importlib.import_module(name)
        for name in OPTIONAL_ROUTE_MODULES
        if importlib.util.find_spec(name) is not None
    ]


def _templates() -> TemplateConfig[JinjaTemplateEngine] | None:
    if not TEMPLATES.is_dir():
        return None
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)
