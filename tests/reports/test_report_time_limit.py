"""A report's queries run under a statement timeout (reports.limits): past it, 503 report_timeout."""

import pytest
from django.db import connection

from reports.limits import ReportTimeout, report_time_limit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_report_query_past_the_limit_is_cancelled_and_the_connection_stays_usable():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's (set DATABASE_URL)")
    with pytest.raises(ReportTimeout) as caught:
        with report_time_limit(0.2), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
    assert caught.value.status == 503 and caught.value.code == "report_timeout"
    with connection.cursor() as cursor:  # the limit was local to the report's transaction
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SELECT pg_sleep(0.3)")


@pytest.mark.postgres
def test_the_api_answers_503_with_the_error_shape(db, settings, client, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's (set DATABASE_URL)")
    from unittest import mock

    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("sup", password="x")
    user.groups.add(Group.objects.get(name="supervisor"))
    client.force_login(user)

    def slow(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    settings.ONESTOP_REPORT_TIMEOUT_SECONDS = 0.2
    with mock.patch("reports.selectors.indicators_report", side_effect=slow):
        response = client.get("/api/v1/reports/indicators/?from=2025-01-01&to=2025-12-31")
    assert response.status_code == 503, response.content
    assert response.json()["error"]["code"] == "report_timeout"
