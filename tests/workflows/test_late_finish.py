"""Verdicts: on the due date is on time, the day after is late, for the step and the dossier."""

from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import DossierTask


def register(agency, reception):
    procedure = make_procedure(agency=agency, committed=(1, "working_days"))
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    assert dossier.due_at == local(2026, 3, 3, 8, 0)
    return dossier


def test_late_finish(clock, agency, reception, specialist):
    dossier = register(agency, reception)
    clock.set(2026, 3, 4, 9, 0)  # Wednesday, a day after the due date
    task = services.task_complete(
        task=DossierTask.objects.get(dossier=dossier), by=specialist, decision="approve"
    )
    dossier.refresh_from_db()
    assert task.verdict == "late" and dossier.verdict == "late"
    assert dossier.processing_hours == 17.0  # Mon 7 + Tue 8 + Wed 2
    assert dossier.events.last().verdict == "late"


def test_later_on_the_due_date_is_on_time(clock, agency, reception, specialist):
    dossier = register(agency, reception)
    clock.set(2026, 3, 3, 16, 30)  # after the due hour, but on the due date
    task = services.task_complete(
        task=DossierTask.objects.get(dossier=dossier), by=specialist, decision="approve"
    )
    dossier.refresh_from_db()
    assert task.verdict == "on_time" and dossier.verdict == "on_time"
