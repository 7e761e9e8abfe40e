"""The list endpoints' plain rows (api.rows) give exactly what the DRF serializers give."""

import datetime as dt

from api import rows
from api import serializers as s
from workflows import selectors, services
from workflows.models import Dossier, DossierTask

from .conftest import APPLICANT


def test_plain_rows_equal_the_serializers(staff, procedure):
    reception, specialist = staff[(0, "reception")], staff[(0, "specialist")]
    for i in range(3):
        services.dossier_register(
            procedure=procedure,
            applicant={**APPLICANT, "name": f"Người nộp {i}"},
            channel="online",
            received_at=dt.datetime(2026, 3, 2, 8, i, 30, 123456, tzinfo=dt.UTC),
            by=reception,
        )
    tasks = list(DossierTask.objects.order_by("id"))
    services.task_claim(task=tasks[0], by=specialist)  # an owner, assigned_at
    services.task_complete(task=tasks[1], by=specialist, decision="approve")  # finished, a verdict
    inbox = list(selectors.inbox_for(user=specialist).select_related("dossier__procedure"))
    all_tasks = list(DossierTask.objects.select_related("dossier__procedure", "step", "agency", "owner"))
    assert any(t.owner_id for t in all_tasks) and any(t.finished_at for t in all_tasks)
    for task in inbox + all_tasks:
        assert rows.task_row(task) == s.TaskOut(task).data
    # The inbox's own path: ``.values()`` dicts of the same query, in the same order.
    values = selectors.inbox_for(user=specialist).values(*rows.TASK_VALUES)
    assert rows.task_rows(values) == [s.TaskOut(task).data for task in inbox]
    all_values = DossierTask.objects.order_by("id").values(*rows.TASK_VALUES)
    assert rows.task_rows(all_values) == [s.TaskOut(t).data for t in sorted(all_tasks, key=lambda t: t.id)]
    dossiers = list(selectors.dossier_list(user=staff["supervisor"]))
    assert len(dossiers) == 3
    Dossier.objects.filter(pk=dossiers[0].pk).update(due_at=None)
    for user in (staff["supervisor"], reception):
        dossiers = list(selectors.dossier_list(user=user))
        for dossier in dossiers:
            assert rows.dossier_summary_row(dossier) == s.DossierSummaryOut(dossier).data
        values = selectors.dossier_list(user=user).values(*rows.DOSSIER_SUMMARY_VALUES, "listed_at", "id")
        assert rows.dossier_summary_rows(values) == [s.DossierSummaryOut(d).data for d in dossiers]


def test_a_utc_time_is_written_with_z(settings):
    from django.utils import timezone

    with timezone.override(dt.UTC):
        assert rows.iso(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) == "2026-01-01T00:00:00Z"
    assert rows.iso(None) is None
