"""Factories for tests. ``make_procedure`` builds a procedure with one version and its steps."""

import datetime as dt

import factory
from django.utils import timezone

from procedures.models import Agency, DurationUnit, Field, Level, Procedure, ProcedureVersion, Step
from procedures.stages import stage_numbers


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.{n // 100 % 100:02d}.{n % 100:02d}.H57")
    name = factory.Sequence(lambda n: f"Cơ quan {n}")
    level = Level.PROVINCE


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


_procedure_counter = iter(range(100000, 999999))


def make_procedure(
    *,
    code: str | None = None,
    agency: Agency | None = None,
    steps: list[dict] | None = None,
    legal: tuple[int, str] = (10, DurationUnit.WORKING_DAYS),
    committed: tuple[int, str] = (7, DurationUnit.WORKING_DAYS),
    supplement_mode: str = "pause",
    online_level: str = "partial",
    effective_from: dt.datetime | None = None,
    field: Field | None = None,
) -> Procedure:
    """A procedure, its version 1 and steps. Each step dict: name, budget_hours, optional agency,
    role and parallel_group. Defaults to one 8-hour specialist step at the receiving agency."""
    agency = agency or AgencyFactory()
    procedure = Procedure.objects.create(
        code=code or f"1.{next(_procedure_counter):06d}",
        name="Thủ tục thử nghiệm",
        field=field or FieldFactory(),
        level=Level.PROVINCE,
        receiving_agency=agency,
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        effective_from=effective_from or timezone.make_aware(dt.datetime(2020, 1, 1)),
        legal_duration_value=legal[0],
        legal_duration_unit=legal[1],
        committed_duration_value=committed[0],
        committed_duration_unit=committed[1],
        supplement_mode=supplement_mode,
        online_level=online_level,
    )
    specs = steps or [{"name": "Thẩm định", "budget_hours": 8}]
    rows = [
        Step(
            version=version,
            order=index + 1,
            name=spec["name"],
            agency=spec.get("agency") or agency,
            role=spec.get("role", "specialist"),
            budget_hours=spec["budget_hours"],
            parallel_group=spec.get("parallel_group", ""),
        )
        for index, spec in enumerate(specs)
    ]
    for row, stage in zip(rows, stage_numbers(rows), strict=True):
        row.stage = stage
    Step.objects.bulk_create(rows)
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return procedure
