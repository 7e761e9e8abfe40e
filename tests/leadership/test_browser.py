"""End to end in headless Chromium: the dashboard draws its charts with the scenario's data."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import screenshot

from .conftest import JULY

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(tab, live_server, user):
    """The session of a logged-in user, handed to the browser (the login page is the staff UI's)."""
    client = Client()
    client.force_login(user)
    tab.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip


def test_the_dashboard_renders_its_charts(live_server, page, scenario, make_user):  # noqa: F811
    _log_in(page, live_server, make_user("sup", "supervisor"))
    page.goto(f"{live_server.url}/dashboard/?{JULY}")
    assert page.text_content("h1") == "Số liệu điều hành"
    for name in ("months", "agency-rates", "field-rates", "agency-volumes", "cutting", "bottlenecks"):
        chart = page.locator(f"svg[data-testid=chart-{name}]")
        assert chart.is_visible(), name
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 40, name
        widths = chart.locator("rect.l-bar").evaluate_all("rects => rects.map(r => r.getBBox().width)")
        heights = chart.locator("rect.l-bar").evaluate_all("rects => rects.map(r => r.getBBox().height)")
        assert max(widths) > 0 and max(heights) > 0, name
    screenshot(page, "dashboard-province")

    page.select_option("select[name=period]", "quarter")
    page.select_option("select[name=number]", "3")
    page.select_option("select[name=year]", "2026")
    page.click(".l-period button[type=submit]")
    assert page.text_content("[data-testid=period]") == "Quý 3 năm 2026"


def test_a_head_sees_their_agency_on_a_phone(live_server, browser, scenario, make_user):  # noqa: F811
    context = browser.new_context(locale="vi-VN", viewport={"width": 412, "height": 915})
    tab = context.new_page()
    _log_in(tab, live_server, make_user("head_a", "head", agency=scenario.a))
    tab.goto(f"{live_server.url}/dashboard/?{JULY}")
    assert tab.text_content("[data-testid=unit]") == "Sở Tư pháp"
    assert tab.locator("svg[data-testid=chart-agency-rates] rect.l-bar").count() == 1
    screenshot(tab, "dashboard-head-phone")
    context.close()
