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


@pytest.fixture
def eager():
    """The worker's counting runs inside the request (as CELERY_TASK_ALWAYS_EAGER does)."""
    from onestop.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_a_supervisor_sees_zero_deviations_on_a_healthy_scenario(client, scenario, make_user, eager):
    html = get(client, make_user("sup", "supervisor", agency=scenario.a)).content.decode()
    assert 'data-testid="conformance"' in html
    figures = cells(html)
    assert figures["conformance:deviating"] == "0"
    assert int(figures["conformance:checked"]) >= 1
    assert "/api/v1/reports/conformance/?from=2026-07-01&amp;to=2026-07-31" in html
    assert "Hồ sơ xử lý không đúng các bước của thủ tục" in html


def test_a_deviation_is_counted(client, scenario, make_user, eager):
    dossier = scenario.dossiers[1]
    step = dossier.version.steps.order_by("order").first()
    for _ in range(2):  # the same step approved twice: its stage ended twice
        DossierEvent.objects.create(dossier=dossier, at=local(2026, 7, 3, 9), action="approved", step=step)
    html = get(client, make_user("sup", "supervisor", agency=scenario.a)).content.decode()
    assert cells(html)["conformance:deviating"] == "1"


def test_a_head_does_not_get_the_card(client, scenario, make_user):
    html = get(client, make_user("head", "head", agency=scenario.a)).content.decode()
    assert 'data-testid="conformance"' not in html


@pytest.fixture
def shared_cache():
    """A cache the worker shares with the web (Redis in production), whatever this run's is."""
    from unittest import mock

    with mock.patch("reports.conformance_card.shared", return_value=True):
        yield


def test_the_page_does_not_wait_for_the_counts_and_queues_them_once(
    client, scenario, make_user, shared_cache
):
    from unittest import mock

    from reports import tasks

    user = make_user("sup", "supervisor", agency=scenario.a)
    with mock.patch.object(tasks.conformance_counts_task, "delay") as delay:
        first = get(client, user).content.decode()
        second = get(client, user).content.decode()
    assert delay.call_count == 1  # the second view finds it pending
    assert delay.call_args.args == ("2026-07-01", "2026-07-31")
    for html in (first, second):
        assert 'data-testid="conformance-counting"' in html and "conformance:deviating" not in cells(html)
    tasks.conformance_counts_task(*delay.call_args.args)  # what the worker does
    assert cells(get(client, user).content.decode())["conformance:deviating"] == "0"


def test_with_the_broker_down_the_dashboard_still_answers(client, scenario, make_user, shared_cache):
    from unittest import mock

    from reports import tasks

    user = make_user("sup", "supervisor", agency=scenario.a)
    with mock.patch.object(tasks.conformance_counts_task, "delay", side_effect=OSError("broker down")):
        response = get(client, user)
    assert response.status_code == 200
    assert 'data-testid="conformance-counting"' in response.content.decode()


def test_without_a_cache_shared_with_the_worker_the_page_counts_itself(client, scenario, make_user):
    from unittest import mock

    from reports import tasks

    user = make_user("sup", "supervisor", agency=scenario.a)
    with (
        mock.patch("reports.conformance_card.shared", return_value=False),
        mock.patch.object(tasks.conformance_counts_task, "delay") as delay,
    ):
        html = get(client, user).content.decode()
    assert delay.call_count == 0  # the embedded default (no Redis): a worker's result would be lost
    assert cells(html)["conformance:deviating"] == "0"
