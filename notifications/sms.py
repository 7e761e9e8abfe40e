"""Pluggable SMS: a province points ``ONESTOP_SMS_BACKEND`` at a subclass of ``BaseSMSBackend``.

A backend sends one text to one phone number and raises ``SMSError`` (or any exception) when the
gateway refuses or cannot be reached; the delivery task then retries with backoff and finally
records the error on the notification. See README "Deadlines and notifications".
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from core.text import mask_phone

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """The gateway did not accept the message."""


class BaseSMSBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """The default: writes the message to the log, for development and for provinces without SMS.
    The number is masked (``09******78``): a log is no place for the applicant's phone."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


@lru_cache(maxsize=4)
def _load(path: str) -> BaseSMSBackend:
    backend = import_string(path)()
    if not isinstance(backend, BaseSMSBackend):
        raise TypeError(f"{path} is not a notifications.sms.BaseSMSBackend")
    return backend


def get_sms_backend() -> BaseSMSBackend:
    return _load(settings.ONESTOP_SMS_BACKEND)
