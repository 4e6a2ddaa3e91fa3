"""Parameter types for routes: what the app injects by name.

Routes declare ``caller: CallerParam`` to require an authenticated caller (the route's
``opt`` names its scope and rate bucket) and ``services: ServicesParam`` for adapters.
Marking them explicitly is what Litestar asks of named dependencies from 2.23 on.
"""

from litestar.di import NamedDependency

from elevate_gateway.container import Services
from elevate_gateway.domain.caller import Caller

CallerParam = NamedDependency[Caller]
ServicesParam = NamedDependency[Services]
