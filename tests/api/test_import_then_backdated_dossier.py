"""Issue 10 #16: after a plain catalog import, a paper dossier received yesterday can be registered."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from procedures.models import IN_FORCE_FROM_THE_BEGINNING, Procedure
from tests.procedures.catalog_docs import doc

from .conftest import registration

pytestmark = pytest.mark.django_db


def import_file(tmp_path, data, *args) -> str:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("import_procedures", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_dossier_received_yesterday_registers_after_an_import_without_a_date(tmp_path, staff, as_user):
    out = import_file(tmp_path, doc())
    assert "phiên bản đầu tiên có hiệu lực từ: luôn luôn" in out
    version = Procedure.objects.get(code="1.001234").current_version
    assert version.effective_from == IN_FORCE_FROM_THE_BEGINNING

    yesterday = (timezone.now() - dt.timedelta(days=1)).isoformat()
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234", received_at=yesterday, channel="postal"), format="json"
    )
    assert response.status_code == 201, response.json()


def test_a_later_version_takes_effect_from_the_import_and_the_command_says_when(tmp_path, db):
    import_file(tmp_path, doc())
    changed = doc()
    changed["procedures"][0]["committed_duration"]["value"] = 8
    before = timezone.now()
    out = import_file(tmp_path, changed)
    procedure = Procedure.objects.get(code="1.001234")
    new = procedure.current_version
    assert new.number == 2 and new.effective_from >= before
    assert f"phiên bản mới có hiệu lực từ: {timezone.localtime(new.effective_from):%d/%m/%Y %H:%M}" in out
    assert procedure.versions.get(number=1).effective_from == IN_FORCE_FROM_THE_BEGINNING


def test_the_file_or_the_command_dates_the_first_versions(tmp_path, db):
    data = doc()
    data["meta"] = {"effective_from": "2026-03-01"}
    out = import_file(tmp_path, data)
    version = Procedure.objects.get(code="1.001234").current_version
    assert timezone.localtime(version.effective_from).date() == dt.date(2026, 3, 1)
    assert "phiên bản đầu tiên có hiệu lực từ: 01/03/2026 00:00" in out

    other = doc()
    other["procedures"] = other["procedures"][1:]
    code = other["procedures"][0]["code"]
    Procedure.objects.filter(code=code).delete()
    import_file(tmp_path, other, "--effective-from", "2026-05-04")
    assert timezone.localtime(Procedure.objects.get(code=code).current_version.effective_from).date() == (
        dt.date(2026, 5, 4)
    )


def test_a_bad_date_in_the_file_is_reported_and_nothing_is_written(tmp_path, db):
    from django.core.management import CommandError

    data = doc()
    data["meta"] = {"effective_from": "mùng 1 tết"}
    with pytest.raises(CommandError, match="1 lỗi"):
        import_file(tmp_path, data)
    assert not Procedure.objects.exists()
