"""End to end in headless Chromium: a citizen looks up the dossier from a phone, then rates it once."""

import pytest

from tests.browser import screenshot
from workflows import services

from .conftest import APPLICANT, open_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser):  # noqa: F811
    """A phone-sized context, as when the citizen scans the receipt's QR code."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _look_up(tab, live_server, receipt):
    tab.goto(f"{live_server.url}/tra-cuu/")
    tab.fill("input[name=code]", receipt.code)
    tab.fill("input[name=key]", receipt.key)
    tab.click("[data-testid=lookup-submit]")


def test_the_citizen_looks_up_then_rates_once(live_server, phone, page, receipt, staff):  # noqa: F811
    phone.goto(f"{live_server.url}/tra-cuu/")
    screenshot(phone, "citizen-form-phone")
    _look_up(phone, live_server, receipt)
    assert phone.text_content("[data-testid=status]") == "Đang xử lý"
    assert "/tra-cuu/" == phone.url.removeprefix(live_server.url)  # the key is not in the address
    assert APPLICANT["name"] not in phone.content()
    screenshot(phone, "citizen-processing-phone")

    phone.goto(f"{live_server.url}/tra-cuu/{receipt.code}/?key=WRONGKEY00")
    assert phone.locator("[data-testid=not-found]").is_visible()
    screenshot(phone, "citizen-not-found-phone")

    for user in (staff[(0, "specialist")], staff[(1, "specialist")], staff[(0, "head")]):
        services.task_complete(task=open_task(receipt.dossier), by=user, decision="approve")
    services.dossier_return_result(dossier=receipt.dossier, by=staff[(0, "reception")])

    phone.goto(f"{live_server.url}/tra-cuu/{receipt.code}/?key={receipt.key}")  # the QR link
    assert phone.text_content("[data-testid=status]") == "Đã trả kết quả"
    assert phone.locator("input[name=score]").count() == 5
    screenshot(phone, "citizen-returned-phone")
    phone.check("input[name=score][value='5']")
    phone.fill("textarea[name=comment]", "Cán bộ nhiệt tình, đúng hẹn.")
    phone.click("[data-testid=rate-submit]")
    assert phone.locator("[data-testid=rating-thanks]").is_visible()
    assert phone.locator("[data-testid=rate-submit]").count() == 0
    screenshot(phone, "citizen-rated-phone")

    # On a desktop the same page, already rated: the thanks, no form.
    _look_up(page, live_server, receipt)
    assert page.locator("[data-testid=rating-thanks]").is_visible()
    assert page.locator("input[name=score]").count() == 0
    screenshot(page, "citizen-rated-desktop")
