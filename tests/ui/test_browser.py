"""End to end in headless Chromium: the desk, two agencies' specialists, a head, the desk again,
then the citizen's page; a supplement round trip; a refusal. Screenshots in test-output/ui/."""

from __future__ import annotations

import re

import pytest

from tests.browser import screenshot
from tests.ui.conftest import APPLICANT, PASSWORD
from workflows import services
from workflows.models import Dossier, DossierStatus

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(tab, base: str, user) -> None:
    tab.goto(f"{base}/login/")
    tab.fill("input[name=username]", user.username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit].primary")
    tab.wait_for_load_state()
    assert "/login/" not in tab.url, tab.content()[:500]


def log_out(tab) -> None:
    tab.click("form[action='/logout/'] button")
    tab.wait_for_url(re.compile(r".*/login/.*"))


def open_task_from_queue(tab, base: str, queue: str, code: str) -> None:
    tab.goto(f"{base}/tasks/?queue={queue}")
    tab.click(f"[data-testid=task-list] a:text-is('{code}')")
    tab.wait_for_url(re.compile(r".*/tasks/\d+/$"))


def decide(tab, testid: str) -> None:
    tab.click(f"[data-testid={testid}]")
    tab.wait_for_load_state()
    assert tab.locator(".msg.success").count() == 1, tab.content()[:2000]


def test_two_agencies_from_desk_to_citizen(page, live_server, staff, procedure):  # noqa: F811
    base = live_server.url
    log_in(page, base, staff["reception"])
    assert page.url.endswith("/reception/")
    page.fill("[data-testid=procedure-search]", "liên thông")
    page.press("[data-testid=procedure-search]", "Enter")
    page.click(f"[data-testid=procedure-results] a:has-text('{procedure.name}')")
    assert page.locator("[data-testid=appointment]").inner_text().strip()
    page.check("input[name=documents] >> nth=0")
    page.check("input[name=documents] >> nth=1")
    page.select_option("select[name=applicant_kind]", "person")
    page.fill("input[name=applicant_name]", APPLICANT["name"])
    page.fill("input[name=applicant_id_number]", APPLICANT["id_number"])
    page.fill("input[name=applicant_phone]", APPLICANT["phone"])
    screenshot(page, "01-reception")
    page.click("[data-testid=register]")
    page.wait_for_url(re.compile(r".*/reception/registered/.*"))
    code = page.locator("[data-testid=dossier-code]").inner_text().strip()
    key = page.locator("[data-testid=lookup-key]").inner_text().strip()
    assert re.fullmatch(r"[\w.]+-\d{6}-\d{4}", code) and len(key) == 10
    screenshot(page, "02-receipt")
    # The receipt's PDF comes from the printing app's endpoint, with the key printed on it.
    href = page.get_attribute("[data-testid=receipt-pdf]", "href")
    assert href == f"/api/v1/dossiers/{code}/forms/receipt.pdf?key={key}"
    pdf = page.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    # The key is shown once: reloading the page no longer shows it.
    page.reload()
    assert page.locator("[data-testid=lookup-key]").inner_text().strip() != key
    log_out(page)

    log_in(page, base, staff["specialist"])
    assert page.url.endswith("/tasks/")
    screenshot(page, "03-tasks-mine")
    open_task_from_queue(page, base, "unclaimed", code)
    screenshot(page, "04-task-unclaimed")
    decide(page, "claim")
    assert page.locator("[data-testid=task-owner]").inner_text().strip() == staff["specialist"].username
    decide(page, "approve")
    log_out(page)

    log_in(page, base, staff["specialist_b"])
    open_task_from_queue(page, base, "inter", code)
    decide(page, "claim")
    screenshot(page, "05-task-claimed")
    decide(page, "approve")
    log_out(page)

    log_in(page, base, staff["head"])
    open_task_from_queue(page, base, "unclaimed", code)
    decide(page, "approve")
    log_out(page)

    log_in(page, base, staff["reception"])
    page.goto(f"{base}/dossiers/?queue=results")
    screenshot(page, "06-results-queue")
    page.click(f"[data-testid=dossier-list] a:text-is('{code}')")
    decide(page, "return-result")
    assert Dossier.objects.get(code=code).status == DossierStatus.RETURNED
    screenshot(page, "07-dossier-returned")
    log_out(page)

    # The citizen's page (the citizen app's contract).
    page.goto(f"{base}/tra-cuu/{code}/?key={key}")
    assert "Đã trả kết quả" in page.locator("[data-testid=status]").inner_text()
    page.check("input[name=score][value='5']")
    page.fill("textarea[name=comment]", "Nhanh, đúng hẹn.")
    page.click("[data-testid=rate-submit]")
    page.wait_for_selector("[data-testid=rating-thanks]")
    screenshot(page, "08-citizen-rated")
    assert Dossier.objects.get(code=code).rating.score == 5


def test_supplement_round_trip(page, live_server, staff, procedure):  # noqa: F811
    base = live_server.url
    dossier, _key = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=staff["reception"]
    )
    log_in(page, base, staff["specialist"])
    open_task_from_queue(page, base, "unclaimed", dossier.code)
    page.click("summary:has-text('bổ sung')")
    page.check("input[name=missing] >> nth=2")
    decide(page, "request-supplement")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WAITING_SUPPLEMENT
    log_out(page)

    log_in(page, base, staff["reception"])
    page.goto(f"{base}/dossiers/?queue=supplement")
    page.click(f"[data-testid=dossier-list] a:text-is('{dossier.code}')")
    assert "Bản vẽ mặt bằng" in page.locator("form[action$='/supplement/']").inner_text()
    screenshot(page, "09-supplement-desk")
    decide(page, "supplement-received")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    log_out(page)

    log_in(page, base, staff["specialist"])
    open_task_from_queue(page, base, "unclaimed", dossier.code)
    decide(page, "approve")
    assert dossier.tasks.filter(stage=1, status="open").count() == 1


def test_refusal(page, live_server, staff, procedure):  # noqa: F811
    base = live_server.url
    dossier, _key = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=staff["reception"]
    )
    log_in(page, base, staff["specialist"])
    open_task_from_queue(page, base, "unclaimed", dossier.code)
    page.click("summary:has-text('Từ chối')")
    page.fill("textarea[name=reasons]", "Không đủ điều kiện theo quy định.")
    decide(page, "refuse")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.result) == (DossierStatus.RESULT_READY, "refused")
    log_out(page)

    log_in(page, base, staff["reception"])
    page.goto(f"{base}/dossiers/{dossier.code}/")
    assert page.locator("[data-form=refusal]").count() == 1
    decide(page, "return-result")
    screenshot(page, "10-refused-returned")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED


def test_board_search_and_language_switch(page, live_server, staff, procedure):  # noqa: F811
    base = live_server.url
    from procedures.calendar import add_working_time
    from procedures.calendar_loader import get_calendar
    from workflows import clock

    # Back-dated paper dossiers: the first step (16 working hours) of two is overdue, one due soon.
    for number, hours_ago in enumerate((30, 20, 10)):
        services.dossier_register(
            procedure=procedure,
            applicant={**APPLICANT, "name": f"Lê Văn {number}"},
            channel="online",
            received_at=add_working_time(clock.now(), -hours_ago, calendar=get_calendar()),
            by=staff["reception"],
        )
    page.goto(f"{base}/login/")
    screenshot(page, "00-login")
    log_in(page, base, staff["supervisor"])
    assert page.url.endswith("/board/")
    assert page.locator("[data-testid=board] tr.due-overdue").count() == 2
    assert page.locator("[data-testid=board] tr.due-soon").count() == 1
    screenshot(page, "11-board")
    page.goto(f"{base}/dossiers/")
    page.fill("input[name=search]", "Lê Văn 1")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=dossier-list] tbody tr").count() == 1
    screenshot(page, "12-dossier-search")
    page.select_option("#lang-select", "en")
    page.click("form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Dossiers"
    screenshot(page, "13-dossiers-english")
