import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.notifications.factories import make_dossier, make_task

pytestmark = pytest.mark.django_db


def test_sweep_deadlines_command_runs_one_sweep_at_the_given_instant():
    dossier = make_dossier(due_at=dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC))
    out = StringIO()

    call_command("sweep_deadlines", "--as-of", "2026-03-02T09:00+07:00", stdout=out)

    assert "dossiers_overdue: 1" in out.getvalue()
    dossier.refresh_from_db()
    assert dossier.overdue_notified_at is not None
    with pytest.raises(CommandError):
        call_command("sweep_deadlines", "--as-of", "yesterday")


def test_deadline_queue_command_prints_the_queue():
    dossier = make_dossier(due_at=timezone.now() - dt.timedelta(hours=3))
    make_task(dossier=dossier, due_at=timezone.now() - dt.timedelta(hours=4))
    out = StringIO()

    call_command("deadline_queue", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[1].startswith("overdue   task") and dossier.code in lines[1]
    assert lines[2].startswith("overdue   dossier")
    assert lines[-1] == "2 item(s)"
