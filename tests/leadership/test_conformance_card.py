"""The dashboard's conformance card: supervisors only; zero when healthy; a deviation counted."""

import pytest
from django.core.cache import cache

from tests.reports.factories import local
from workflows.models import DossierEvent

from .test_dashboard import cells, get

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_supervisor_sees_zero_deviations_on_a_healthy_scenario(client, scenario, make_user):
    html = get(client, make_user("sup", "supervisor", agency=scenario.a)).content.decode()
    assert 'data-testid="conformance"' in html
    figures = cells(html)
    assert figures["conformance:deviating"] == "0"
    assert int(figures["conformance:checked"]) >= 1
    assert "/api/v1/reports/conformance/?from=2026-07-01&amp;to=2026-07-31" in html
    assert "Hồ sơ xử lý không đúng các bước của thủ tục" in html


def test_a_deviation_is_counted(client, scenario, make_user):
    dossier = scenario.dossiers[1]
    step = dossier.version.steps.order_by("order").first()
    for _ in range(2):  # the same step approved twice: its stage ended twice
        DossierEvent.objects.create(dossier=dossier, at=local(2026, 7, 3, 9), action="approved", step=step)
    html = get(client, make_user("sup", "supervisor", agency=scenario.a)).content.decode()
    assert cells(html)["conformance:deviating"] == "1"


def test_a_head_does_not_get_the_card(client, scenario, make_user):
    html = get(client, make_user("head", "head", agency=scenario.a)).content.decode()
    assert 'data-testid="conformance"' not in html
