"""Request for supplement in both modes, with exact due dates on the real 2026 calendar."""

import pytest

from core.exceptions import Conflict, InvalidInput, NotAllowed
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services
from workflows.models import DossierPause, DossierStatus, DossierTask, TaskStatus


def register(agency, reception, mode):
    procedure = make_procedure(agency=agency, committed=(5, "working_days"), supplement_mode=mode)
    dossier, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="in_person", by=reception
    )
    # Received Monday 2 March 2026 08:00: 40 working hours → Monday 9 March 08:00.
    assert dossier.due_at == local(2026, 3, 9, 8, 0)
    return dossier


def request_and_return(clock, dossier, specialist, reception):
    task = DossierTask.objects.get(dossier=dossier)
    clock.set(2026, 3, 3, 10, 0)
    with pytest.raises(InvalidInput):
        services.task_complete(task=task, by=specialist, decision="request_supplement")
    services.task_complete(
        task=task,
        by=specialist,
        decision="request_supplement",
        missing_documents=["Bản vẽ mặt bằng"],
        note="Thiếu bản vẽ",
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WAITING_SUPPLEMENT
    assert dossier.paused_at == local(2026, 3, 3, 10, 0)
    assert not DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN).exists()
    pause = DossierPause.objects.get(dossier=dossier)
    assert pause.missing_documents == [{"name": "Bản vẽ mặt bằng", "kind": "original", "count": 1}]
    with pytest.raises(Conflict):
        services.task_complete(task=task, by=specialist, decision="approve")

    # Back on Thursday 5 March 15:00: Tue 5 h + Wed 8 h + Thu 6 h = 19 working hours waited.
    clock.set(2026, 3, 5, 15, 0)
    with pytest.raises(NotAllowed):
        services.dossier_supplement_received(dossier=dossier, by=specialist, documents=["Bản vẽ mặt bằng"])
    services.dossier_supplement_received(dossier=dossier, by=reception, documents=["Bản vẽ mặt bằng"])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.paused_hours == 19.0 and dossier.paused_at is None
    [resumed] = DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN)
    assert resumed.stage == 0 and resumed.pk != task.pk
    assert resumed.due_at == local(2026, 3, 6, 15, 0)  # 8 h from Thursday 15:00
    pause.refresh_from_db()
    assert pause.ended_at == local(2026, 3, 5, 15, 0)
    with pytest.raises(Conflict):
        services.dossier_supplement_received(dossier=dossier, by=reception, documents=["x"])
    return resumed


def test_pause_mode_moves_the_due_date_by_the_waiting_time(clock, agency, reception, specialist):
    dossier = register(agency, reception, "pause")
    resumed = request_and_return(clock, dossier, specialist, reception)
    dossier.refresh_from_db()
    # Monday 9 March 08:00 + 19 working hours = Wednesday 11 March 11:00.
    assert dossier.due_at == local(2026, 3, 11, 11, 0)
    assert dossier.original_due_at == local(2026, 3, 9, 8, 0)

    clock.set(2026, 3, 6, 10, 0)
    services.task_complete(task=resumed, by=specialist, decision="approve")
    dossier.refresh_from_db()
    # Mon 7 + Tue 8 + Wed 8 + Thu 8 + Fri 3 = 34 working hours, minus 19 paused.
    assert dossier.processing_hours == 15.0
    assert dossier.verdict == "early"


def test_restart_mode_counts_the_whole_duration_again_from_the_return(clock, agency, reception, specialist):
    dossier = register(agency, reception, "restart")
    request_and_return(clock, dossier, specialist, reception)
    dossier.refresh_from_db()
    # 40 working hours from Thursday 5 March 15:00 = Thursday 12 March 15:00.
    assert dossier.due_at == local(2026, 3, 12, 15, 0)
