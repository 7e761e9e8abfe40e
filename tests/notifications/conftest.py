import pytest


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    settings.ONESTOP_NOTIFY_STAFF_EMAIL = True
    settings.ONESTOP_NOTIFY_MAX_ATTEMPTS = 3
