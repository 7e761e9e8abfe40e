"""Periodic packages: built from the same figures as the report endpoints, once per period, rebuilt
as a new version, stored unchanged (SHA-256), announced to supervisors, served by permission."""

import datetime as dt
import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from openpyxl import load_workbook
from rest_framework.test import APIClient

from notifications.models import Notification
from periodic.models import PeriodicPackage
from periodic.periods import ended
from periodic.services import build_ended_periods, package_build
from periodic.tasks import build_ended_periods_task
from tests.reports import scenario as scenario_module
from workflows.models import StaffProfile

pytestmark = pytest.mark.django_db
Q3 = {"period": "quarter", "year": 2026, "number": 3}


@pytest.fixture
def scenario():
    return scenario_module.build()


def user(username, *roles, agency=None):
    u = get_user_model().objects.create_user(username=username, password="x")
    u.groups.add(*[Group.objects.get_or_create(name=r)[0] for r in roles])
    if agency is not None:
        StaffProfile.objects.create(user=u, agency=agency)
    return u


def client(u):
    c = APIClient()
    if u is not None:
        c.force_authenticate(u)
    return c


@pytest.fixture
def supervisor():
    return user("quanly", "supervisor")


def test_the_ended_periods_of_a_day():
    assert ended(dt.date(2026, 10, 5)) == [("quarter", 2026, 3), ("half", 2026, 1), ("year", 2025, 1)]
    assert ended(dt.date(2026, 1, 2)) == [("quarter", 2025, 4), ("half", 2025, 2), ("year", 2025, 1)]


def test_the_package_figures_equal_the_report_endpoints(scenario, supervisor):
    package, built = package_build(kind="quarter", year=2026, number=3)
    assert built and package.version == 1 and package.label == "Quý 3 năm 2026"
    api = client(supervisor)
    f = package.figures
    assert (
        f["processing_by_agency"]
        == api.get("/api/v1/reports/processing/", {**Q3, "group_by": "agency"}).json()
    )
    assert (
        f["processing_by_field"] == api.get("/api/v1/reports/processing/", {**Q3, "group_by": "field"}).json()
    )
    assert f["cutting"] == api.get("/api/v1/reports/cutting/", Q3).json()
    assert f["indicators"] == api.get("/api/v1/reports/indicators/", Q3).json()
    totals = f["processing_by_agency"]["totals"]
    late = f["late_dossiers"]
    assert len(late) == totals["resolved_late"] > 0
    assert sum(r["apology"] == "Có" for r in late) == totals["late_with_apology"]
    assert all(
        set(r) == {"code", "procedure_code", "agency_code", "due_at", "finished_at", "apology"} for r in late
    )


def test_an_agency_package_equals_the_heads_report(scenario):
    head = user("lanhdao", "head", agency=scenario.a)
    package, _ = package_build(kind="quarter", year=2026, number=3, agency=scenario.a)
    body = client(head).get("/api/v1/reports/processing/", {**Q3, "group_by": "agency"}).json()
    assert package.scope == f"agency:{scenario.a.pk}" and package.figures["processing_by_agency"] == body


def test_files_are_stored_with_their_sha256(scenario):
    package, _ = package_build(kind="quarter", year=2026, number=3)
    stored = PeriodicPackage.objects.get(pk=package.pk)
    assert hashlib.sha256(bytes(stored.xlsx)).hexdigest() == stored.xlsx_sha256
    assert hashlib.sha256(bytes(stored.pdf)).hexdigest() == stored.pdf_sha256
    assert bytes(stored.pdf).startswith(b"%PDF")
    book = load_workbook(io.BytesIO(bytes(stored.xlsx)))
    assert "II.06a theo đơn vị" in book.sheetnames and "Quá hạn không xin lỗi" in book.sheetnames


def test_building_twice_does_not_duplicate_and_rebuild_is_version_2(scenario, supervisor):
    first, _ = package_build(kind="quarter", year=2026, number=3)
    again, built = package_build(kind="quarter", year=2026, number=3)
    assert not built and again.pk == first.pk
    assert PeriodicPackage.objects.filter(kind="quarter", year=2026, number=3, scope="province").count() == 1
    second, built = package_build(kind="quarter", year=2026, number=3, rebuild=True, by=supervisor)
    assert built and second.version == 2
    kept = PeriodicPackage.objects.get(pk=first.pk)
    assert kept.version == 1 and hashlib.sha256(bytes(kept.pdf)).hexdigest() == first.pdf_sha256
    notices = Notification.objects.filter(recipient=supervisor, kind="periodic_report", channel="in_app")
    assert notices.count() == 2 and notices.filter(dossier__isnull=True).count() == 2


def test_the_daily_job_twice_builds_each_period_once(scenario, monkeypatch):
    from periodic import tasks

    monkeypatch.setattr(tasks.timezone, "localdate", lambda: dt.date(2026, 10, 5))
    assert build_ended_periods_task() > 0
    count = PeriodicPackage.objects.count()
    # Quarter 3 and half 1 of 2026: the province and both agencies (dossiers from June 2026 on);
    # year 2025: the province only (no agency had received a dossier yet).
    assert count == 3 + 3 + 1
    assert build_ended_periods(dt.date(2026, 10, 5)) == []
    assert PeriodicPackage.objects.count() == count


def test_a_period_not_ended_is_refused(db):
    from core.exceptions import InvalidInput

    with pytest.raises(InvalidInput):
        package_build(kind="year", year=2099, number=1)


def test_the_management_command_rebuilds(scenario, capsys):
    call_command("build_periodic_report", "quarter", "2026", "3")
    call_command("build_periodic_report", "quarter", "2026", "3")
    call_command("build_periodic_report", "quarter", "2026", "3", "--rebuild")
    assert list(PeriodicPackage.objects.filter(scope="province").values_list("version", flat=True)) == [2, 1]
    assert "phiên bản 2: đã lập" in capsys.readouterr().out


def test_permissions_list_download_rebuild(scenario, supervisor):
    own, _ = package_build(kind="quarter", year=2026, number=3, agency=scenario.a)
    other, _ = package_build(kind="quarter", year=2026, number=3, agency=scenario.b)
    province, _ = package_build(kind="quarter", year=2026, number=3)
    url = "/api/v1/reports/periodic/"
    assert client(None).get(url).status_code == 401
    assert client(user("cv", "specialist", agency=scenario.a)).get(url).status_code == 403
    head = client(user("ld", "head", agency=scenario.a))
    assert [p["id"] for p in head.get(url).json()] == [own.pk]
    assert head.get(f"{url}{own.pk}/pdf").status_code == 200
    assert head.get(f"{url}{other.pk}/pdf").status_code == 403
    assert head.get(f"{url}{province.pk}/xlsx").status_code == 403
    assert head.post(url, {**Q3, "kind": "quarter"}, format="json").status_code == 403
    sup = client(supervisor)
    listed = sup.get(url).json()
    assert {p["id"] for p in listed} == {own.pk, other.pk, province.pk}
    item = next(p for p in listed if p["id"] == province.pk)
    download = sup.get(item["files"]["xlsx"])
    assert download.status_code == 200 and hashlib.sha256(download.content).hexdigest() == item["xlsx_sha256"]
    assert sup.get(f"{url}{province.pk}/doc").status_code == 404
    rebuilt = sup.post(url, {"kind": "quarter", "year": 2026, "number": 3}, format="json")
    assert rebuilt.status_code == 201 and rebuilt.json()["version"] == 2
    bad = sup.post(url, {"kind": "week", "year": 2026}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]


def test_the_dashboard_links_the_packages(scenario, supervisor):
    from django.test import Client

    package, _ = package_build(kind="quarter", year=2026, number=3)
    browser = Client()
    browser.force_login(supervisor)
    html = browser.get("/dashboard/", {"period": "quarter", "year": 2026, "number": 3}).content.decode()
    assert "Báo cáo định kỳ" in html
    assert f'href="/api/v1/reports/periodic/{package.pk}/pdf"' in html
    assert f'href="/api/v1/reports/periodic/{package.pk}/xlsx"' in html


def test_the_supervisors_notice_reads_in_their_inbox(scenario, supervisor):
    package, _ = package_build(kind="quarter", year=2026, number=3)
    body = client(supervisor).get("/api/v1/notifications/").json()
    items = body["results"] if isinstance(body, dict) else body
    [notice] = [n for n in items if n["kind"] == "periodic_report"]
    assert notice["dossier"] is None and notice["payload"]["package_id"] == package.pk
    assert notice["text"] == "Báo cáo định kỳ Quý 3 năm 2026 đã được lập (phiên bản 1): Excel và PDF."
