"""The catalogue: providers, roles, workflow definitions and notification channels."""

from elevate_shared.catalogue.channels import (
    EmailChannel,
    NotificationChannel,
    SlackChannel,
    SlackWebhookChannel,
    WebhookChannel,
)
from elevate_shared.catalogue.loader import CatalogueError, load_catalogue
from elevate_shared.catalogue.models import (
    NOTIFICATION_KINDS,
    ApprovalsStep,
    AwsPermissions,
    AwsStatement,
    Catalogue,
    DynamicPolicy,
    NotificationKind,
    NotifyStep,
    Provider,
    Role,
    WorkflowDefinition,
)

__all__ = [
    "NOTIFICATION_KINDS",
    "ApprovalsStep",
    "AwsPermissions",
    "AwsStatement",
    "Catalogue",
    "CatalogueError",
    "DynamicPolicy",
    "EmailChannel",
    "NotificationChannel",
    "NotificationKind",
    "NotifyStep",
    "Provider",
    "Role",
    "SlackChannel",
    "SlackWebhookChannel",
    "WebhookChannel",
    "WorkflowDefinition",
    "load_catalogue",
]
