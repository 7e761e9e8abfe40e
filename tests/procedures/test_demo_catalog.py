"""The shipped demo catalog loads, idempotently, and meets what the issue asks of it."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.db.models import Count

from procedures import demo
from procedures.durations import version_cut_percent
from procedures.models import Agency, Procedure, Step
from procedures.stages import stage_numbers

DEMO = Path(demo.__file__).resolve().parent
BUSINESS_FIELDS = {"DN", "HKD", "DT", "XD", "PCCC", "MT", "ATTP", "DUOC"}


@pytest.fixture
def loaded(db):
    demo.load(io.StringIO())


def test_loading_twice_changes_nothing(loaded):
    out = io.StringIO()
    demo.load(out)
    assert out.getvalue() == ""
    assert Procedure.objects.filter(versions__number=2).count() == 0


def test_size_and_agencies(loaded):
    assert Procedure.objects.count() >= 25
    assert Agency.objects.filter(procedures__isnull=False).distinct().count() >= 8
    assert Agency.objects.count() >= 8


def test_inter_agency_and_parallel_procedures(loaded):
    agencies_per_version = (
        Step.objects.values("version").annotate(n=Count("agency", distinct=True)).filter(n__gte=2)
    )
    assert agencies_per_version.count() >= 5
    with_parallel_stage = [
        p.code
        for p in Procedure.objects.select_related("current_version")
        if len(set(stage_numbers(list(p.current_version.steps.order_by("order")))))
        < p.current_version.steps.count()
    ]
    assert len(with_parallel_stage) >= 2


def test_codes_and_legal_durations_come_from_the_reference_csv(loaded):
    with (DEMO / "reference.csv").open(encoding="utf-8") as handle:
        reference = {row["code"]: row for row in csv.DictReader(handle)}
    units = {"ngày làm việc": "working_days", "ngày": "calendar_days"}
    for procedure in Procedure.objects.select_related("current_version"):
        row = reference[procedure.code]
        version = procedure.current_version
        assert (version.legal_duration_value, version.legal_duration_unit) == (
            int(row["legal_value"]),
            units[row["legal_unit"]],
        )
        assert row["legal_basis"] in version.legal_basis and "Nguồn:" in version.legal_basis


def test_business_procedures_are_cut_by_at_least_30_percent_where_the_law_allows_more_than_a_day(loaded):
    cuts = {
        p.code: version_cut_percent(p.current_version)
        for p in Procedure.objects.select_related("current_version", "field").filter(
            field__code__in=BUSINESS_FIELDS
        )
    }
    assert cuts and all(cut >= 30 for cut in cuts.values()), cuts


def test_the_generator_reproduces_the_shipped_file():
    from procedures.demo.build_catalog import build

    assert build() == json.loads((DEMO / "catalog.json").read_text(encoding="utf-8"))
