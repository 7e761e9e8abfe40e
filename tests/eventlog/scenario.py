"""A healthy scenario driven through ``workflows.services`` (the real audit trail): a four-stage
inter-agency procedure with a parallel stage, a send-back, a supplement, a withdrawal, a result
returned. Applicants have distinct, recognisable personal data (scanned for in the exports)."""

from types import SimpleNamespace

from tests.factories import AgencyFactory, make_procedure
from workflows import services
from workflows.models import DossierTask, TaskStatus

APPLICANTS = [
    {
        "kind": "person",
        "name": f"Lê Thị Hoa {n}",
        "id_number": f"07919000{n:04d}",
        "phone": f"09051{n:05d}",
        "email": f"hoa{n}@example.vn",
        "address": f"{n} Trần Hưng Đạo, Huế",
    }
    for n in range(1, 6)
]


def _open(dossier):
    return list(DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN).order_by("step__order"))


def _do(dossier, staff, decision="approve", **kwargs):
    """Decide the first open task with the user of its agency and role."""
    task = _open(dossier)[0]
    services.task_complete(task=task, by=staff[(task.agency_id, task.role)], decision=decision, **kwargs)


def build(clock, make_staff) -> SimpleNamespace:
    a, b, c = AgencyFactory(code="000.00.41.H57"), AgencyFactory(code="000.00.42.H57"), AgencyFactory()
    procedure = make_procedure(
        code="2.000001",
        agency=a,
        committed=(5, "working_days"),
        steps=[
            {"name": "Thẩm định", "budget_hours": 8, "agency": a},
            {"name": "Ý kiến Sở Xây dựng", "budget_hours": 16, "agency": b, "parallel_group": "y-kien"},
            {"name": "Ý kiến Sở Tài nguyên", "budget_hours": 8, "agency": c, "parallel_group": "y-kien"},
            {"name": "Phê duyệt", "budget_hours": 4, "agency": a, "role": "head"},
        ],
    )
    staff = {(ag.pk, role): make_staff(ag, role) for ag in (a, b, c) for role in ("specialist", "head")}
    reception = make_staff(a, "reception")
    supervisor = make_staff(a, "supervisor")

    def register(n):
        dossier, _ = services.dossier_register(
            procedure=procedure, applicant=APPLICANTS[n], channel="online", by=reception
        )
        return dossier

    clock.set(2026, 3, 2, 8, 0)
    done = register(0)  # straight through, the parallel steps in reverse order, result returned
    _do(done, staff)
    services.task_complete(task=_open(done)[1], by=staff[(c.pk, "specialist")], decision="approve")
    _do(done, staff)
    _do(done, staff)
    services.dossier_return_result(dossier=done, by=reception)

    clock.set(2026, 3, 3, 9, 0)
    sent_back = register(1)  # sent back from the parallel stage, then through
    _do(sent_back, staff)
    _do(sent_back, staff, decision="send_back", note="Thiếu ý kiến")
    for _ in range(4):
        _do(sent_back, staff)

    clock.set(2026, 3, 4, 9, 0)
    supplement = register(2)  # a supplement asked and brought, then through
    _do(supplement, staff, decision="request_supplement", missing_documents=["Bản vẽ"])
    clock.set(2026, 3, 5, 9, 0)
    services.dossier_supplement_received(dossier=supplement, by=reception, documents=["Bản vẽ"])
    for _ in range(4):
        _do(supplement, staff)

    waiting = register(3)  # still waiting for a supplement
    _do(waiting, staff, decision="request_supplement", missing_documents=["Giấy phép"])

    withdrawn = register(4)
    _do(withdrawn, staff)
    services.dossier_withdraw(dossier=withdrawn, by=reception, reason="Người nộp xin rút")
    return SimpleNamespace(
        procedure=procedure,
        supervisor=supervisor,
        reception=reception,
        head_a=staff[(a.pk, "head")],
        dossiers=[done, sent_back, supplement, waiting, withdrawn],
    )
