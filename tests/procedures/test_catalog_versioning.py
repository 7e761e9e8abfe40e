"""Re-importing changes nothing; a changed procedure gets a new version; old versions stay intact."""

import datetime as dt

import pytest
from django.utils import timezone

from procedures.models import Procedure, ProcedureVersion, Step
from procedures.selectors import version_in_force
from procedures.services import CatalogInvalid, procedure_import, version_clone, version_finalize

from .catalog_docs import A2, doc

JAN = timezone.make_aware(dt.datetime(2026, 1, 1))
JUL = timezone.make_aware(dt.datetime(2026, 7, 1))


@pytest.mark.django_db
def test_first_import_creates_version_one_with_stages_and_a_content_hash():
    result = procedure_import(data=doc(), effective_from=JAN)
    assert (result.procedures_created, result.versions_created, result.agencies_created) == (2, 2, 3)
    procedure = Procedure.objects.get(code="1.001234")
    version = procedure.current_version
    assert (version.number, version.effective_from) == (1, JAN)
    assert list(version.steps.order_by("order").values_list("order", "stage")) == [
        (1, 0),
        (2, 1),
        (3, 1),
        (4, 2),
    ]
    assert len(version.content_hash) == 64


@pytest.mark.django_db
def test_reimporting_the_same_document_is_a_no_op():
    procedure_import(data=doc(), effective_from=JAN)
    result = procedure_import(data=doc(), effective_from=JUL)
    assert not result.changed
    assert result.procedures_unchanged == 2
    assert ProcedureVersion.objects.count() == 2
    assert Procedure.objects.get(code="1.001234").current_version.effective_from == JAN


@pytest.mark.django_db
def test_a_changed_procedure_gets_a_new_version_and_the_old_one_is_kept_unchanged():
    procedure_import(data=doc(), effective_from=JAN)
    old = Procedure.objects.get(code="1.001234").current_version
    old_steps = list(old.steps.order_by("order").values_list("name", "budget_hours"))
    changed = doc()
    changed["procedures"][0]["committed_duration"]["value"] = 8
    changed["procedures"][0]["steps"][0]["budget_hours"] = 40
    result = procedure_import(data=changed, effective_from=JUL)
    assert (result.versions_created, result.procedures_unchanged) == (1, 1)
    assert result.new_versions == ["1.001234 v2"]
    procedure = Procedure.objects.get(code="1.001234")
    new = procedure.current_version
    assert (new.number, new.effective_from, new.committed_duration_value) == (2, JUL, 8)
    assert new.content_hash != old.content_hash
    old.refresh_from_db()
    assert old.committed_duration_value == 7
    assert list(old.steps.order_by("order").values_list("name", "budget_hours")) == old_steps
    assert version_in_force(procedure=procedure, at=JAN + dt.timedelta(days=30)) == old
    assert version_in_force(procedure=procedure, at=JUL) == new
    assert version_in_force(procedure=procedure, at=JAN - dt.timedelta(seconds=1)) is None


@pytest.mark.django_db
def test_identity_fields_change_in_place_without_a_new_version():
    procedure_import(data=doc(), effective_from=JAN)
    changed = doc()
    changed["procedures"][0]["name"] = "Tên mới"
    changed["procedures"][0]["receiving_agency"] = A2
    result = procedure_import(data=changed, effective_from=JUL)
    assert (result.procedures_updated, result.versions_created) == (1, 0)
    procedure = Procedure.objects.get(code="1.001234")
    assert (procedure.name, procedure.receiving_agency.code, procedure.current_version.number) == (
        "Tên mới",
        A2,
        1,
    )


@pytest.mark.django_db
def test_a_new_version_cannot_take_effect_before_the_current_one():
    procedure_import(data=doc(), effective_from=JUL)
    changed = doc()
    changed["procedures"][1]["fee"] = 5000
    with pytest.raises(CatalogInvalid) as caught:
        procedure_import(data=changed, effective_from=JAN)
    assert [p.path for p in caught.value.problems] == ["procedures[1]"]
    assert ProcedureVersion.objects.count() == 2


@pytest.mark.django_db
def test_one_bad_procedure_leaves_the_whole_import_unwritten():
    procedure_import(data=doc(), effective_from=JAN)
    changed = doc()
    changed["procedures"][0]["fee"] = 1
    changed["agencies"].append({"code": "000.00.40.H57", "name": "Sở mới", "level": "province"})
    changed["procedures"][1]["steps"][0]["role"] = "boss"
    with pytest.raises(CatalogInvalid):
        procedure_import(data=changed, effective_from=JUL)
    assert ProcedureVersion.objects.count() == 2
    assert not Procedure.objects.get(code="1.001234").versions.filter(number=2).exists()
    assert not Procedure.objects.filter(receiving_agency__code="000.00.40.H57").exists()


@pytest.mark.django_db
def test_clone_then_edit_then_finalize_makes_a_new_current_version_and_reimport_sees_the_change():
    procedure_import(data=doc(), effective_from=JAN)
    procedure = Procedure.objects.get(code="1.001234")
    clone = version_clone(version=procedure.current_version, effective_from=JUL)
    assert clone.number == 2 and clone.content_hash == procedure.current_version.content_hash
    Step.objects.filter(version=clone, order=3).update(parallel_group="")
    version_finalize(version=clone)
    clone.refresh_from_db()
    assert list(clone.steps.order_by("order").values_list("stage", flat=True)) == [0, 1, 2, 3]
    procedure.refresh_from_db()
    assert procedure.current_version == clone
    # The file still describes the parallel stage: importing it creates version 3 again.
    assert procedure_import(data=doc(), effective_from=JUL).new_versions == ["1.001234 v3"]
