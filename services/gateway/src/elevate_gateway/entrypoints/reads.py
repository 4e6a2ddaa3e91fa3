"""``GET /workflows/{workflow_id}`` and ``GET /roles``."""

from typing import Any

from litestar import Controller, get
from litestar.params import FromPath

from elevate_gateway.domain.caller import SCOPE_READ
from elevate_gateway.entrypoints.dependencies import CallerParam, ServicesParam
from elevate_gateway.entrypoints.views import policy_view, role_view, workflow_view
from elevate_gateway.handlers.workflow_status import workflow_status


class ReadController(Controller):
    """Read what the caller may see."""

    opt = {"scope": SCOPE_READ, "rate": "reads"}  # noqa: RUF012 (Litestar reads it)

    @get("/workflows/{workflow_id:str}", name="workflow_status")
    async def workflow(
        self, workflow_id: FromPath[str], caller: CallerParam, services: ServicesParam
    ) -> dict[str, Any]:
        """Return a workflow's state, its grants and its history."""
        return workflow_view(await workflow_status(workflow_id, caller, services.workflows))

    @get("/roles", name="roles")
    async def roles(self, caller: CallerParam, services: ServicesParam) -> dict[str, Any]:
        """Return the enabled roles, and the policies for dynamic requests."""
        catalogue = services.catalogue
        return {
            "roles": [role_view(role) for role in catalogue.enabled_roles()],
            "policies": [policy_view(p) for p in catalogue.policies.values() if p.enabled],
        }
