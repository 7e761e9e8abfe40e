"""Admin: a version used by dossiers is read-only; a new version is made by action; rules on save."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from procedures.models import CalendarOverride, Procedure, ProcedureVersion
from tests.factories import make_procedure
from workflows.models import Dossier


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser(username="qt", password="x", email="")
    client.force_login(user)
    return client


def use(version):
    Dossier.objects.create(
        code="000.00.01.H57-260101-0001",
        procedure=version.procedure,
        version=version,
        receiving_agency=version.procedure.receiving_agency,
        applicant_name="Nguyễn Văn A",
        applicant_id_number="001",
        channel="in_person",
        status="processing",
        received_at=timezone.now(),
        lookup_key_hash="x",
    )


def change_url(version):
    return reverse("admin:procedures_procedureversion_change", args=[version.pk])


def form_data(version, **overrides):
    steps = list(version.steps.order_by("order"))
    data = {
        "effective_from_0": "01/01/2030",
        "effective_from_1": "00:00:00",
        "legal_duration_value": version.legal_duration_value,
        "legal_duration_unit": version.legal_duration_unit,
        "committed_duration_value": version.committed_duration_value,
        "committed_duration_unit": version.committed_duration_unit,
        "fee": version.fee,
        "online_level": version.online_level,
        "supplement_mode": version.supplement_mode,
        "legal_basis": "",
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(steps),
    }
    for i, step in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": step.pk,
                f"steps-{i}-version": version.pk,
                f"steps-{i}-order": step.order,
                f"steps-{i}-name": step.name,
                f"steps-{i}-agency": step.agency_id,
                f"steps-{i}-role": step.role,
                f"steps-{i}-budget_hours": step.budget_hours,
                f"steps-{i}-parallel_group": step.parallel_group,
            }
        )
    data.update(overrides)
    return data


def test_changelists_and_forms_render(admin_client):
    procedure = make_procedure()
    for name in ("agency", "field", "procedure", "procedureversion", "calendaroverride"):
        assert admin_client.get(reverse(f"admin:procedures_{name}_changelist")).status_code == 200
    assert (
        admin_client.get(reverse("admin:procedures_procedure_changelist"), {"q": procedure.code}).status_code
        == 200
    )
    assert admin_client.get(change_url(procedure.current_version)).status_code == 200


def test_a_used_version_cannot_be_changed_and_a_new_one_is_made_by_action(admin_client):
    procedure = make_procedure(committed=(5, "working_days"))
    version = procedure.current_version
    use(version)
    response = admin_client.post(change_url(version), form_data(version, committed_duration_value=3))
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.committed_duration_value == 5

    response = admin_client.post(
        reverse("admin:procedures_procedureversion_changelist"),
        {"action": "new_version_from_this", "_selected_action": [version.pk]},
    )
    clone = ProcedureVersion.objects.get(procedure=procedure, number=2)
    assert response.url == change_url(clone)
    response = admin_client.post(change_url(clone), form_data(clone, committed_duration_value=3))
    assert response.status_code == 302, response.content.decode()[:2000]
    clone.refresh_from_db()
    procedure.refresh_from_db()
    assert (clone.committed_duration_value, procedure.current_version) == (3, clone)
    assert clone.content_hash != version.content_hash


def test_saving_checks_committed_against_legal_and_step_budgets(admin_client):
    procedure = make_procedure(steps=[{"name": "A", "budget_hours": 8}, {"name": "B", "budget_hours": 8}])
    version = procedure.current_version
    response = admin_client.post(change_url(version), form_data(version, committed_duration_value=11))
    assert response.status_code == 200 and "vượt thời hạn theo quy định" in response.content.decode()
    response = admin_client.post(
        change_url(version),
        form_data(version, committed_duration_value=1, committed_duration_unit="working_days"),
    )
    assert "Tổng thời gian các giai đoạn 16 giờ làm việc vượt thời hạn cam kết" in response.content.decode()
    response = admin_client.post(
        change_url(version),
        form_data(
            version,
            **{"committed_duration_value": 1, "steps-0-parallel_group": "p", "steps-1-parallel_group": "p"},
        ),
    )
    assert response.status_code == 302
    assert list(version.steps.order_by("order").values_list("stage", flat=True)) == [0, 0]


def test_saving_and_deleting_a_calendar_override_invalidate_the_cached_calendar(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr("procedures.admin.invalidate_calendar", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:procedures_calendaroverride_add"),
            {"date": "2026-08-22", "is_working_day": "on", "reason": "Làm bù"},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert calls == [1]
    override = CalendarOverride.objects.get(date=dt.date(2026, 8, 22))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:procedures_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
        )
    assert calls == [1, 1] and not CalendarOverride.objects.exists()


def test_procedure_list_shows_the_cut(admin_client):
    make_procedure(legal=(10, "working_days"), committed=(7, "working_days"))
    assert "30%" in admin_client.get(reverse("admin:procedures_procedure_changelist")).content.decode()
    assert Procedure.objects.count() == 1
