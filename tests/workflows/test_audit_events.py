"""Each transition writes exactly one event with who, when, what, from/to, step, agency, due, verdict."""

from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT, local
from workflows import services, signals
from workflows.models import DossierEvent, DossierTask


def test_one_event_per_transition(
    clock, agency, reception, specialist, head, django_capture_on_commit_callbacks
):
    procedure = make_procedure(
        agency=agency,
        committed=(5, "working_days"),
        steps=[
            {"name": "Thẩm định", "budget_hours": 8},
            {"name": "Phê duyệt", "budget_hours": 4, "role": "head"},
        ],
    )
    received = []
    signals.dossier_transition.connect(
        lambda **kw: received.append(kw["action"]), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            clock.set(2026, 3, 2, 9, 0)
            dossier, _ = services.dossier_register(
                procedure=procedure,
                applicant=APPLICANT,
                channel="in_person",
                by=reception,
                received_at=local(2026, 3, 2, 7, 30),
            )
            first = DossierTask.objects.get(dossier=dossier)
            services.task_claim(task=first, by=specialist)
            services.task_complete(
                task=first, by=specialist, decision="request_supplement", missing_documents=["A"]
            )
            clock.set(2026, 3, 3, 9, 0)
            services.dossier_supplement_received(dossier=dossier, by=reception, documents=["A"])
            again = DossierTask.objects.get(dossier=dossier, status="open")
            services.task_complete(task=again, by=specialist, decision="approve", note="OK")
            approval = DossierTask.objects.get(dossier=dossier, status="open")
            services.dossier_extend(
                dossier=dossier, by=head, new_due_at=local(2026, 3, 20, 17, 0), reason="Chậm"
            )
            services.task_complete(task=approval, by=head, decision="approve")
            services.dossier_return_result(dossier=dossier, by=reception)
    finally:
        signals.dossier_transition.disconnect(dispatch_uid="t")

    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("id"))
    assert [(e.action, e.from_status, e.to_status, e.actor) for e in events] == [
        ("registered", "", "processing", reception),
        ("claimed", "processing", "processing", specialist),
        ("supplement_requested", "processing", "waiting_supplement", specialist),
        ("supplement_received", "waiting_supplement", "processing", reception),
        ("approved", "processing", "processing", specialist),
        ("extended", "processing", "processing", head),
        ("approved", "processing", "result_ready", head),
        ("result_returned", "result_ready", "returned", reception),
    ]
    assert received == [e.action for e in events]
    registered = events[0]
    assert registered.at == local(2026, 3, 2, 9, 0)
    assert registered.data["entered_late"] is True
    assert registered.data["received_at"] == local(2026, 3, 2, 7, 30).isoformat()
    assert registered.due_at == dossier.original_due_at and registered.agency_id == agency.pk
    done = events[4]
    assert (done.step_id, done.agency_id, done.task_id, done.verdict, done.reason) == (
        again.step_id,
        agency.pk,
        again.pk,
        "early",
        "OK",
    )
    assert done.due_at == again.due_at
    assert done.data["next_stage"] == 1 and done.data["opened"] == [approval.pk]
