"""Who sees which dossier, through the visibility rows (``workflows.visibility``), and the search
plan: the same answers as the plain conditions they replace, on random data."""

import random

import pytest
from django.db.models import Exists, OuterRef, Q

from core.roles import agency_id_of
from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import permissions, selectors, services, visibility
from workflows.models import Dossier, DossierAgency, DossierTask


def _two_agency_procedure(a, b):
    return make_procedure(
        agency=a, steps=[{"name": "A", "budget_hours": 8}, {"name": "B", "budget_hours": 8, "agency": b}]
    )


def _plain_visible(user):
    """The rule as it reads: received by the user's agency or with a task there."""
    agency_id = agency_id_of(user)
    at_agency = DossierTask.objects.filter(dossier=OuterRef("pk"), agency_id=agency_id)
    return Dossier.objects.filter(Q(receiving_agency_id=agency_id) | Exists(at_agency))


def test_an_agency_sees_what_it_received_or_holds_a_task_of_and_nothing_else(clock, make_staff):
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    procedure = _two_agency_procedure(a, b)
    reception, officer_a = make_staff(a, "reception"), make_staff(a, "specialist")
    officer_b, outsider = make_staff(b, "specialist"), make_staff(c, "head")
    first, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    refused = services.dossier_refuse_at_intake(
        procedure=procedure, applicant=APPLICANT, channel="online", reasons=["Thiếu tờ khai."], by=reception
    )

    assert set(permissions.visible_dossiers(reception)) == {first, refused}
    assert set(permissions.visible_dossiers(officer_a)) == {first, refused}
    assert list(permissions.visible_dossiers(officer_b)) == []  # no task at B yet
    assert list(permissions.visible_dossiers(outsider)) == []

    # The step at B is opened later: from then on B sees the dossier, C still does not.
    services.task_complete(task=first.tasks.get(), by=officer_a, decision="approve")
    assert list(permissions.visible_dossiers(officer_b)) == [first]
    assert list(selectors.dossier_list(user=officer_b)) == [first]
    assert list(permissions.visible_dossiers(outsider)) == []
    # Sent back and forth: still one row per agency (no duplicates in the lists).
    services.task_complete(task=first.tasks.get(status="open"), by=officer_b, decision="send_back", note="x")
    services.task_complete(task=first.tasks.get(status="open"), by=officer_a, decision="approve")
    assert list(selectors.dossier_list(user=officer_b)) == [first]
    assert DossierAgency.objects.filter(dossier=first).count() == 2
    for user in (reception, officer_a, officer_b, outsider):
        assert set(permissions.visible_dossiers(user)) == set(_plain_visible(user))


def test_rebuild_gives_the_rows_the_services_wrote(clock, make_staff):
    a, b = AgencyFactory(), AgencyFactory()
    procedure = _two_agency_procedure(a, b)
    reception, officer_a = make_staff(a, "reception"), make_staff(a, "specialist")
    for n in range(4):
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANT, channel="online", by=reception
        )
        if n % 2:
            services.task_complete(task=dossier.tasks.get(), by=officer_a, decision="approve")
    written = set(DossierAgency.objects.values_list("agency_id", "dossier_id", "received_at"))
    DossierAgency.objects.all().delete()

    assert visibility.rebuild() == len(written) == 4 + 2
    assert set(DossierAgency.objects.values_list("agency_id", "dossier_id", "received_at")) == written


def test_nobody_without_an_agency_sees_anything(clock, make_staff, django_user_model):
    agency = AgencyFactory()
    reception = make_staff(agency, "reception")
    services.dossier_register(
        procedure=make_procedure(agency=agency), applicant=APPLICANT, channel="online", by=reception
    )
    loner = django_user_model.objects.create_user("loner")
    assert list(permissions.visible_dossiers(loner)) == []
    assert list(selectors.dossier_list(user=loner, search="x", received_from=None)) == []


WORDS = ["Nguyễn", "Trần", "Lê", "Văn", "Thị", "An", "Bình", "Minh", "Người nộp", "Đức"]


@pytest.mark.parametrize("probe_rows", [1_000, 3])  # narrow plans, then broad ones
def test_search_finds_exactly_what_the_plain_condition_finds(clock, make_staff, monkeypatch, probe_rows):
    monkeypatch.setattr(selectors, "CODE_PROBE_ROWS", probe_rows)
    monkeypatch.setattr(selectors, "NAME_PROBE_ROWS", probe_rows)
    rng = random.Random(14)
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    procedures = [_two_agency_procedure(a, b), make_procedure(agency=c)]
    staff = [make_staff(a, "reception"), make_staff(b, "specialist"), make_staff(c, "reception")]
    officer_a = make_staff(a, "specialist")
    supervisor = make_staff(c, "supervisor")
    for _ in range(40):
        procedure = rng.choice(procedures)
        name = " ".join(rng.sample(WORDS, 3)) + f" {rng.randrange(100)}"
        receiver = staff[0] if procedure is procedures[0] else staff[2]
        clock.set(2026, 3, rng.randrange(2, 28), 9, rng.randrange(60))
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant={**APPLICANT, "name": name}, channel="online", by=receiver
        )
        if procedure is procedures[0] and rng.random() < 0.5:
            services.task_complete(task=dossier.tasks.get(), by=officer_a, decision="approve")
    codes = list(Dossier.objects.values_list("code", flat=True))
    terms = ["nguyễn", "THỊ", "người nộp", "văn an", "1", "zzz", codes[0][:4], codes[3][:-1], codes[5]]
    terms += [rng.choice(codes)[: rng.randrange(3, 18)] for _ in range(4)]
    for user in [*staff, supervisor]:
        plain = Dossier.objects.all() if user is supervisor else _plain_visible(user)
        for term in terms:
            expected = list(
                plain.filter(selectors.search_condition(term))
                .order_by("-received_at", "-id")
                .values_list("pk", flat=True)
            )
            got = list(selectors.dossier_list(user=user, search=term).values_list("pk", flat=True))
            assert got == expected, (user, term)
            assert [d.pk for d in selectors.dossier_list(user=user, search=term)] == expected
    assert any(not selectors.search_plan(t).narrow for t in terms) == (probe_rows == 3)
