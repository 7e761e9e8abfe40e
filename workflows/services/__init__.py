"""Every change to a dossier, one function per use case (README "Dossiers and the workflow").

The API, the admin, the staff UI and Celery all call these, so the rules cannot drift apart. Each
function runs in one transaction, checks who may act (viewflow does not: docs/viewflow.md, note 1), locks the
dossier row before reading its state (so two officers acting at once are serialised and the loser
gets ``Conflict``), sets the dossier's new state, drives the viewflow process, and writes exactly
one ``DossierEvent``. Notifications hook in through ``workflows.signals`` after commit.

One module per use case (intake, tasks, supplement, extension, closing); shared locking and
auditing in ``_common``. Everything public is re-exported here, so callers import ``workflows.services``.
"""

from ..applicants import validate_applicant
from ..keys import LOOKUP_KEY_ALPHABET, LOOKUP_KEY_LENGTH, hash_lookup_key
from ..rules import DECISION_ACTIONS
from .closing import dossier_rate, dossier_return_result, dossier_withdraw
from .extension import dossier_extend
from .intake import (
    dossier_refuse_at_intake,
    dossier_register,
)
from .supplement import dossier_supplement_received
from .tasks import task_claim, task_complete, task_reassign, task_release

__all__ = [
    "DECISION_ACTIONS",
    "LOOKUP_KEY_ALPHABET",
    "LOOKUP_KEY_LENGTH",
    "dossier_extend",
    "dossier_rate",
    "dossier_refuse_at_intake",
    "dossier_register",
    "dossier_return_result",
    "dossier_supplement_received",
    "dossier_withdraw",
    "hash_lookup_key",
    "task_claim",
    "task_complete",
    "task_reassign",
    "task_release",
    "validate_applicant",
]
