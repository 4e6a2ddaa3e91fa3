"""Email over SMTP, with the standard library's client run in a worker thread.

smtplib blocks, so each delivery runs in ``asyncio.to_thread`` and never holds up the
event loop; one connection per message is plenty for the few mails an elevation sends.
"""

import asyncio
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from elevate_shared.catalogue.channels import EmailChannel
from elevate_workflow.adapters.notifiers import render
from elevate_workflow.domain.notifications import DeliveryFailed, Notification, Notifier

#: What passes for an address among a notification's recipients; others (a group name,
#: a subject that is not a mailbox) are skipped rather than refused by the server.
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+$")


class EmailNotifier(Notifier):
    """Send each notification as one multipart (text and HTML) email."""

    def __init__(self, channel: EmailChannel, *, password: str | None = None) -> None:
        super().__init__(channel.name)
        self._channel = channel
        self._password = password

    async def send(self, notification: Notification) -> None:
        """Build the message and hand it to the SMTP server."""
        recipients = self._recipients(notification)
        if not recipients:
            raise DeliveryFailed("no recipients", retryable=False)
        message = self._message(notification, recipients)
        await asyncio.to_thread(self._deliver, message)

    def _recipients(self, notification: Notification) -> list[str]:
        extra = (address for address in notification.recipients if _ADDRESS.match(address))
        return list(dict.fromkeys([*self._channel.recipients, *extra]))

    def _message(self, notification: Notification, recipients: list[str]) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = render.subject(notification)
        message["From"] = self._channel.sender
        message["To"] = ", ".join(recipients)
        message["Message-ID"] = make_msgid(domain=self._channel.sender.rsplit("@", 1)[-1])
        message.set_content(render.text(notification))
        message.add_alternative(render.html(notification), subtype="html")
        return message

    # TODO(notifications): only plain SMTP with STARTTLS (port 587) is spoken; servers
    # that take implicit TLS alone (SMTPS, port 465) need an smtplib.SMTP_SSL option.
    def _deliver(self, message: EmailMessage) -> None:
        channel = self._channel
        try:
            with smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout_seconds) as smtp:
                if channel.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if channel.username and self._password is not None:
                    smtp.login(channel.username, self._password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryFailed("SMTP server refused every recipient", retryable=False) from None
        except smtplib.SMTPResponseException as error:
            # 5xx replies are permanent (bad address, refused login): a retry gets the same.
            code = error.smtp_code
            raise DeliveryFailed(f"SMTP server answered {code}", retryable=code < 500) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"SMTP delivery failed: {type(error).__name__}") from None
