import pytest
from django.core.cache import cache

from api.throttling import LOCAL_COUNTERS
from core.outage import CACHE_ERRORS, cache_breaker
from tests.reports import scenario as scenario_module


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    LOCAL_COUNTERS.clear()
    cache_breaker.reset()
    yield
    try:
        cache.clear()
    except CACHE_ERRORS:  # a test that took the cache down
        pass
    cache_breaker.reset()


@pytest.fixture
def scenario(db):
    """The July 2026 scenario of the report tests, with recognisable personal data on every dossier."""
    world = scenario_module.build()
    for n, dossier in enumerate(world.dossiers.values(), start=1):
        dossier.applicant_phone = f"0977{n:06d}"
        dossier.applicant_email = f"nguoi{n}@example.vn"
        dossier.applicant_address = f"{n} Đường Lê Duẩn, Phường Phú Hội"
        dossier.save(update_fields=["applicant_phone", "applicant_email", "applicant_address"])
    return world
