"""Notification channels: email, Slack (Web API and incoming webhooks), signed webhooks.

The composition root builds one notifier per catalogue channel with
:func:`build_notifiers` and hands them to a :class:`NotificationDispatcher`, which the
workflow calls to tell people about an elevation without ever waiting on, or failing
because of, a channel.
"""

from elevate_workflow.adapters.notifiers.dispatcher import NotificationDispatcher
from elevate_workflow.adapters.notifiers.email import EmailNotifier
from elevate_workflow.adapters.notifiers.factory import ChannelSecretMissing, build_notifiers
from elevate_workflow.adapters.notifiers.slack import SlackNotifier
from elevate_workflow.adapters.notifiers.slack_webhook import SlackWebhookNotifier
from elevate_workflow.adapters.notifiers.webhook import WebhookNotifier

__all__ = [
    "ChannelSecretMissing",
    "EmailNotifier",
    "NotificationDispatcher",
    "SlackNotifier",
    "SlackWebhookNotifier",
    "WebhookNotifier",
    "build_notifiers",
]
