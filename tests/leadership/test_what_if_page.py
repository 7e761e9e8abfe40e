"""The what-if page (/dashboard/what-if/): who may open it, the procedure picker, the slider, the
figures (the API's), translated, linked from the dashboard; the slider's script is a static file."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import AgencyFactory, make_procedure
from tests.reports.factories import local, make_dossier

pytestmark = pytest.mark.django_db
URL = "/dashboard/what-if/"


@pytest.fixture
def setup(make_user):
    a, b = AgencyFactory(code="000.00.41.H57", name="Sở A"), AgencyFactory(code="000.00.42.H57", name="Sở B")
    pa = make_procedure(code="2.000001", agency=a, committed=(5, "working_days"))
    pb = make_procedure(code="2.000002", agency=b, committed=(5, "working_days"))
    # Received Monday 2 March 08:00 (due Monday 9 March 08:00), done Friday 6 March: early today,
    # late under 3 working days (due Thursday 5 March 08:00).
    make_dossier(
        procedure=pa,
        received_at=local(2026, 3, 2, 8),
        finished_at=local(2026, 3, 6, 10),
        result="approved",
        verdict="early",
        processing_hours=34,
    )
    return {
        "pa": pa,
        "pb": pb,
        "supervisor": make_user("ql", "supervisor"),
        "head_a": make_user("lda", "head", agency=a),
        "specialist": make_user("cv", "specialist", agency=a),
    }


def page(client, user, **query):
    if user is not None:
        client.force_login(user)
    return client.get(URL, query)


def cell(html: str, name: str) -> str:
    return re.search(rf'data-cell="{re.escape(name)}">([^<]*)<', html).group(1)


def test_anonymous_to_login_specialist_403(client, setup):
    assert page(client, None)["Location"].startswith("/login/?next=/dashboard/what-if/")
    assert page(client, setup["specialist"]).status_code == 403


def test_the_supervisor_slides_to_three_days(client, setup):
    response = page(
        client,
        setup["supervisor"],
        procedure="2.000001",
        value=3,
        **{"from": "2026-03-01", "to": "2026-03-31"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="range"' in html and 'name="value"' in html and "<script>" not in html
    assert "leadership/whatif.js" in html
    assert (cell(html, "replayed"), cell(html, "late_today"), cell(html, "late_proposed")) == ("1", "0", "1")
    assert cell(html, "turn_late") == "1"
    assert "Quá hạn theo đề xuất" in html  # translated
    assert "2.000002" in html  # the supervisor picks any procedure


def test_a_head_picks_only_their_agencys_procedures(client, setup):
    html = page(client, setup["head_a"]).content.decode()
    assert "2.000001" in html and "2.000002" not in html
    assert page(client, setup["head_a"], procedure="2.000002", value=3).status_code == 403


def test_bad_input_is_shown(client, setup):
    response = page(client, setup["supervisor"], procedure="2.000001", value="x")
    assert response.status_code == 400 and 'data-testid="error"' in response.content.decode()


def test_linked_from_the_dashboard_and_the_script_is_served_by_the_app(client, setup):
    client.force_login(setup["supervisor"])
    assert 'href="/dashboard/what-if/"' in client.get("/dashboard/").content.decode()
    assert finders.find("leadership/whatif.js")
