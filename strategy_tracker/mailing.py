"""E-mail to many people, one message each: a recipient the mail server refuses costs only
their own message, and is named, never everyone's after them."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def send_one(address: str, subject: str, text: str) -> str:
    """Send it; "" if it went, else why not (logged as an error too)."""
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    except (SMTPException, OSError) as error:
        logger.error("E-mail to %s not sent: %s", address, error)
        return str(error) or type(error).__name__
    return ""
