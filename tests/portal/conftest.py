"""The portal on, with the in-memory fake; the workflow tests' staff and office clock."""

import pytest

from portal.fake import FakePortalClient
from tests.workflows.conftest import agency, clock, head, make_staff, reception, specialist  # noqa: F401


@pytest.fixture
def portal(settings):
    """The exchange switched on and pointed at a fresh fake portal."""
    settings.ONESTOP_PORTAL_URL = "http://portal.invalid"
    settings.ONESTOP_PORTAL_CLIENT = "portal.fake.FakePortalClient"
    FakePortalClient.reset()
    yield FakePortalClient
    FakePortalClient.reset()
