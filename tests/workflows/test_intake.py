"""Registration: applicant validation, received_at rules, the version in force, codes and keys."""

import datetime as dt

import pytest

from core.exceptions import InvalidInput
from procedures.models import ProcedureVersion, Step
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import DossierSequence


def register(procedure, reception, **overrides):
    kwargs = {"procedure": procedure, "applicant": APPLICANT, "channel": "in_person", "by": reception}
    kwargs.update(overrides)
    return services.dossier_register(**kwargs)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": " "}, "applicant.name"),
        ({"id_number": "12345"}, "applicant.id_number"),
        ({"phone": "12345", "email": ""}, "applicant.phone"),
        ({"email": "not-an-email"}, "applicant.email"),
        ({"phone": "", "email": ""}, "applicant.phone"),
        ({"kind": "organisation", "id_number": "001090012345"}, "applicant.id_number"),
    ],
)
def test_bad_applicant(clock, agency, reception, change, field):
    procedure = make_procedure(agency=agency)
    with pytest.raises(InvalidInput) as error:
        register(procedure, reception, applicant={**APPLICANT, **change})
    assert field in error.value.fields
    assert not procedure.dossier_set.exists()
    assert not DossierSequence.objects.exists()


def test_organisation_and_normalisation(clock, agency, reception):
    procedure = make_procedure(agency=agency)
    applicant = {
        "kind": "organisation",
        "name": "Công ty TNHH A",
        "id_number": "0101234567-001",
        "phone": "+84 912 345 678",
    }
    dossier, _ = register(
        procedure, reception, applicant=applicant, documents=[{"name": "Đơn", "kind": "copy", "count": 2}]
    )
    assert (dossier.applicant_id_number, dossier.applicant_phone) == ("0101234567001", "0912345678")
    assert dossier.documents == [{"name": "Đơn", "kind": "copy", "count": 2}]
    with pytest.raises(InvalidInput):
        register(procedure, reception, documents=[{"name": "Đơn", "count": 0}])
    with pytest.raises(InvalidInput):
        register(procedure, reception, channel="fax")


def test_received_at_never_in_the_future_earlier_allowed(clock, agency, reception):
    procedure = make_procedure(agency=agency, committed=(1, "working_days"))
    with pytest.raises(InvalidInput):
        register(procedure, reception, received_at=local(2026, 3, 2, 8, 1))
    with pytest.raises(InvalidInput):
        register(procedure, reception, received_at=dt.datetime(2026, 3, 1, 8, 0))  # naive
    # A paper dossier received on Friday afternoon, entered on Monday: Friday's code and clock.
    dossier, _ = register(procedure, reception, received_at=local(2026, 2, 27, 16, 0))
    assert dossier.code.endswith("-260227-0001")
    assert dossier.due_at == local(2026, 3, 2, 16, 0)


def test_version_in_force_at_receipt(clock, agency, reception):
    procedure = make_procedure(agency=agency, committed=(1, "working_days"))
    v2 = ProcedureVersion.objects.create(
        procedure=procedure,
        number=2,
        effective_from=local(2026, 3, 1, 0, 0),
        legal_duration_value=3,
        legal_duration_unit="working_days",
        committed_duration_value=2,
        committed_duration_unit="working_days",
    )
    Step.objects.create(version=v2, order=1, stage=0, name="Mới", agency=agency, budget_hours=4)
    new, _ = register(procedure, reception)
    old, _ = register(procedure, reception, received_at=local(2026, 2, 27, 8, 0))
    assert new.version == v2 and new.due_at == local(2026, 3, 4, 8, 0)
    assert old.version.number == 1 and old.due_at == local(2026, 3, 2, 8, 0)


def test_codes_run_per_agency_and_day(clock, agency, reception, make_staff):
    procedure = make_procedure(agency=agency)
    codes = [register(procedure, reception)[0].code for _ in range(3)]
    assert [code[-4:] for code in codes] == ["0001", "0002", "0003"]
    other = make_procedure()
    other_reception = make_staff(other.receiving_agency, "reception")
    assert register(other, other_reception)[0].code.endswith("-260302-0001")
    clock.set(2026, 3, 3, 8, 0)
    assert register(procedure, reception)[0].code == f"{agency.code}-260303-0001"


def test_unknown_procedure(clock, reception):
    with pytest.raises(InvalidInput):
        services.dossier_register(
            procedure_code="9.999999", applicant=APPLICANT, channel="online", by=reception
        )
