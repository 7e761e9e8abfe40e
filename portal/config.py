"""Whether the exchange is on, and the client it uses (settings ``ONESTOP_PORTAL_*``)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


def portal_enabled() -> bool:
    """On when ``ONESTOP_PORTAL_URL`` is set: off, transitions write nothing and nothing is queued."""
    return bool(settings.ONESTOP_PORTAL_URL)


def get_client():
    """A new ``PortalClient`` of the configured class (``ONESTOP_PORTAL_CLIENT``)."""
    return import_string(settings.ONESTOP_PORTAL_CLIENT)()
