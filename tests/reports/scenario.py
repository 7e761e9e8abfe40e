"""The fixed scenario for July 2026 (period 2026-07-01..2026-07-31, office clock).

Agency A (000.00.01.H57) receives procedures PA (field F1) and PA2 (field F2); agency B
(000.00.02.H57) receives PB (field F2). Each dossier's comment says where it must be counted; the
expected figures are written out by hand in the tests, not computed from this file.
"""

from types import SimpleNamespace

from procedures.models import OnlineLevel
from tests.factories import AgencyFactory, FieldFactory, make_procedure
from workflows.models import DossierStatus as S

from .factories import extension, local, make_dossier, pause, rating, withdrawal_event


def build() -> SimpleNamespace:
    a = AgencyFactory(code="000.00.01.H57", name="Sở Tư pháp")
    b = AgencyFactory(code="000.00.02.H57", name="Sở Xây dựng")
    f1 = FieldFactory(code="F1", name="Hộ tịch")
    f2 = FieldFactory(code="F2", name="Xây dựng")
    pa = make_procedure(code="1.000001", agency=a, field=f1)
    pa2 = make_procedure(code="1.000002", agency=a, field=f2, online_level=OnlineLevel.FULL)
    pb = make_procedure(code="1.000003", agency=b, field=f2)
    d = {}

    # --- agency A, procedure PA (field F1)
    # 1: received online in July, resolved early (an ended pause on the way).
    d[1] = make_dossier(
        procedure=pa,
        channel="online",
        received_at=local(2026, 7, 2, 9),
        due_at=local(2026, 7, 10, 17),
        finished_at=local(2026, 7, 5, 10),
        result="approved",
        verdict="early",
    )
    pause(d[1], started_at=local(2026, 7, 3, 8), ended_at=local(2026, 7, 4, 8))
    # 2: received one minute before the period: carried over; resolved on time in July.
    d[2] = make_dossier(
        procedure=pa,
        received_at=local(2026, 6, 30, 23, 59),
        due_at=local(2026, 7, 3, 17),
        finished_at=local(2026, 7, 3, 15),
        result="approved",
        verdict="on_time",
    )
    # 3a: received at the period's end instant (1 August 00:00): outside the period.
    d["3a"] = make_dossier(
        procedure=pa, channel="postal", received_at=local(2026, 8, 1, 0, 0), due_at=local(2026, 8, 10, 17)
    )
    # 3b: received one minute before the end; in progress, within due; its pause starts after the end.
    d["3b"] = make_dossier(
        procedure=pa,
        received_at=local(2026, 7, 31, 23, 59),
        due_at=local(2026, 8, 5, 17),
        status=S.WAITING_SUPPLEMENT,
        paused_at=local(2026, 8, 2, 9),
    )
    pause(d["3b"], started_at=local(2026, 8, 2, 9))
    # 4: received in June, never finished: carried over, in progress and overdue at the end.
    d[4] = make_dossier(procedure=pa, received_at=local(2026, 6, 10, 9), due_at=local(2026, 6, 25, 17))
    # 5: online in July, waiting for a supplement since 20 July, due 25 July: the clock stopped
    #    before the due time, so within due (not overdue while paused).
    d[5] = make_dossier(
        procedure=pa,
        channel="online",
        received_at=local(2026, 7, 10, 9),
        due_at=local(2026, 7, 25, 17),
        status=S.WAITING_SUPPLEMENT,
        paused_at=local(2026, 7, 20, 9),
    )
    pause(d[5], started_at=local(2026, 7, 20, 9))
    # 6: postal in July, due 8 July, paused only from 15 July: already overdue when paused.
    d[6] = make_dossier(
        procedure=pa,
        channel="postal",
        received_at=local(2026, 7, 1, 8),
        due_at=local(2026, 7, 8, 17),
        status=S.WAITING_SUPPLEMENT,
        paused_at=local(2026, 7, 15, 9),
    )
    pause(d[6], started_at=local(2026, 7, 15, 9))
    # 9: received in July, withdrawn 12 July.
    d[9] = make_dossier(
        procedure=pa, received_at=local(2026, 7, 5, 9), due_at=local(2026, 7, 20, 17), status=S.WITHDRAWN
    )
    withdrawal_event(d[9], at=local(2026, 7, 12, 10))
    # 10: received and withdrawn in June: nowhere.
    d[10] = make_dossier(
        procedure=pa, received_at=local(2026, 6, 15, 9), due_at=local(2026, 6, 30, 17), status=S.WITHDRAWN
    )
    withdrawal_event(d[10], at=local(2026, 6, 25, 10))
    # 11: refused at intake in July: only in "rejected".
    d[11] = make_dossier(procedure=pa, received_at=local(2026, 7, 7, 9), status=S.REJECTED)
    # 12: refused at intake in June: nowhere.
    d[12] = make_dossier(procedure=pa, channel="online", received_at=local(2026, 6, 7, 9), status=S.REJECTED)
    # 13: received and resolved in June: nowhere.
    d[13] = make_dossier(
        procedure=pa,
        channel="online",
        received_at=local(2026, 6, 1, 9),
        due_at=local(2026, 6, 20, 17),
        finished_at=local(2026, 6, 20, 9),
        result="approved",
        verdict="on_time",
    )
    # 14: online in July, resolved 3 August: in progress at the end, within due (an ended pause).
    d[14] = make_dossier(
        procedure=pa,
        channel="online",
        received_at=local(2026, 7, 20, 9),
        due_at=local(2026, 8, 5, 17),
        finished_at=local(2026, 8, 3, 9),
        result="approved",
        verdict="early",
    )
    pause(d[14], started_at=local(2026, 7, 22, 9), ended_at=local(2026, 7, 25, 9))
    # 16: postal in July, withdrawn with no withdrawn_at (imported): updated_at (9 July) counts.
    d[16] = make_dossier(
        procedure=pa,
        channel="postal",
        received_at=local(2026, 7, 6, 9),
        due_at=local(2026, 7, 20, 17),
        status=S.WITHDRAWN,
        updated_at=local(2026, 7, 9, 10),
    )
    # 17: received in July, withdrawn 2 August: in progress at the end, within due.
    d[17] = make_dossier(
        procedure=pa, received_at=local(2026, 7, 25, 9), due_at=local(2026, 8, 10, 17), status=S.WITHDRAWN
    )
    withdrawal_event(d[17], at=local(2026, 8, 2, 10))

    # --- agency A, procedure PA2 (field F2)
    # 7: received in July, apology letter and new date, resolved late (refused) on 28 July.
    d[7] = make_dossier(
        procedure=pa2,
        received_at=local(2026, 7, 3, 9),
        due_at=local(2026, 7, 24, 17),
        finished_at=local(2026, 7, 28, 9),
        result="refused",
        verdict="late",
        extended=True,
    )
    extension(d[7], previous_due_at=local(2026, 7, 17, 17), new_due_at=local(2026, 7, 24, 17))
    # 8: online in June, resolved late on 15 July without an apology: carried over, late.
    d[8] = make_dossier(
        procedure=pa2,
        channel="online",
        received_at=local(2026, 6, 20, 9),
        due_at=local(2026, 7, 10, 17),
        finished_at=local(2026, 7, 15, 9),
        result="approved",
        verdict="late",
    )

    # --- agency B, procedure PB (field F2)
    # 18: online, resolved on time at 23:30 on the last day.
    d[18] = make_dossier(
        procedure=pb,
        channel="online",
        received_at=local(2026, 7, 15, 9),
        due_at=local(2026, 7, 31, 23, 30),
        finished_at=local(2026, 7, 31, 23, 30),
        result="approved",
        verdict="on_time",
    )
    # 19: in person, finished exactly at the end instant: still in progress at the end, overdue.
    d[19] = make_dossier(
        procedure=pb,
        received_at=local(2026, 7, 30, 9),
        due_at=local(2026, 7, 31, 17),
        finished_at=local(2026, 8, 1, 0, 0),
        result="approved",
        verdict="late",
    )
    # 20: postal in May, extended, resolved late on 2 July: carried over, late with apology.
    d[20] = make_dossier(
        procedure=pb,
        channel="postal",
        received_at=local(2026, 5, 20, 9),
        due_at=local(2026, 6, 30, 17),
        finished_at=local(2026, 7, 2, 9),
        result="approved",
        verdict="late",
        extended=True,
    )
    extension(d[20], previous_due_at=local(2026, 6, 20, 17), new_due_at=local(2026, 6, 30, 17))

    # Ratings: three for A in July (5, 4, 2), one for B in July (3), one for A in June (not counted).
    rating(d[1], score=5, created_at=local(2026, 7, 6, 9))
    rating(d[2], score=4, created_at=local(2026, 7, 4, 9))
    rating(d[8], score=2, created_at=local(2026, 7, 16, 9))
    rating(d[18], score=3, created_at=local(2026, 7, 31, 23, 45))
    rating(d[13], score=1, created_at=local(2026, 6, 21, 9))
    return SimpleNamespace(a=a, b=b, f1=f1, f2=f2, pa=pa, pa2=pa2, pb=pb, dossiers=d)
