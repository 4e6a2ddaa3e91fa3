"""The catalogue: providers, roles and workflow definitions, loaded from YAML."""

from elevate_shared.catalogue.loader import CatalogueError, load_catalogue
from elevate_shared.catalogue.models import (
    ApprovalsStep,
    AwsPermissions,
    AwsStatement,
    Catalogue,
    Provider,
    Role,
    WorkflowDefinition,
)

__all__ = [
    "ApprovalsStep",
    "AwsPermissions",
    "AwsStatement",
    "Catalogue",
    "CatalogueError",
    "Provider",
    "Role",
    "WorkflowDefinition",
    "load_catalogue",
]
