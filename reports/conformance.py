"""Conformance: does each dossier's audit trail follow its procedure version's steps?

``check_trace`` is pure (no database): it replays a trace of ``(action, step_id, to_status)``
tuples against the version's steps ``{step_id: stage}`` and returns the deviations found:

* ``step_skipped``: a step of a later stage decided while an earlier stage was still open, or a
  stage left out (the result ready before the last stage);
* ``stage_ended_twice``: a step of a stage that had already ended decided again (without a
  send-back reopening it), or the same step approved twice in one pass;
* ``pause_without_resume``: a supplement requested while already waiting, or a dossier still
  paused at the end of its trace though no longer waiting for a supplement;
* ``resume_without_pause``: a supplement received with no request before it;
* ``finish_before_parallel``: a stage left (next stage or result) before all its parallel steps
  were approved;
* ``decision_while_paused``: a step decided while waiting for a supplement.

The selector ``conformance_report`` reads the traces of the dossiers received in a period with
one streamed, indexed query (``reports.eventlog.log_events``) and the steps of the versions met.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from procedures.models import Step
from workflows.models import DossierStatus, EventAction

from .eventlog import log_events
from .periods import Period

KINDS = (
    "step_skipped",
    "stage_ended_twice",
    "pause_without_resume",
    "resume_without_pause",
    "finish_before_parallel",
    "decision_while_paused",
)
_DECISIONS = {
    EventAction.APPROVED,
    EventAction.SENT_BACK,
    EventAction.SUPPLEMENT_REQUESTED,
    EventAction.REFUSED,
}


@dataclass(frozen=True)
class Deviation:
    kind: str
    position: int  # index of the event in the trace (the trace's length for an end-of-trace finding)
    step_id: int | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "position": self.position, "step_id": self.step_id}


class _Replay:
    def __init__(self, steps: Mapping[int, int]):
        self.stages: dict[int, set[int]] = {}
        for step_id, stage in steps.items():
            self.stages.setdefault(stage, set()).add(step_id)
        self.steps = steps
        self.last = max(self.stages, default=0)
        self.stage = 0
        self.approved: set[int] = set()
        self.paused = False
        self.found: list[Deviation] = []

    def flag(self, kind: str, position: int, step_id=None) -> None:
        self.found.append(Deviation(kind, position, step_id))

    def decision(self, i: int, action: str, step_id, to_status: str) -> None:
        stage = self.steps.get(step_id)
        if stage is None:
            return
        if self.paused:
            self.flag("decision_while_paused", i, step_id)
        if stage > self.stage:
            # Stage k+1 reached with some of stage k approved: left before its parallel steps.
            partial = stage == self.stage + 1 and self.approved
            self.flag("finish_before_parallel" if partial else "step_skipped", i, step_id)
            self.stage, self.approved = stage, set()
        elif stage < self.stage:
            self.flag("stage_ended_twice", i, step_id)
            return
        if action == EventAction.APPROVED:
            self.approve(i, step_id, to_status)
        elif action == EventAction.SENT_BACK:
            self.stage, self.approved = max(self.stage - 1, 0), set()
        elif action == EventAction.SUPPLEMENT_REQUESTED:
            self.paused, self.approved = True, set()

    def approve(self, i: int, step_id: int, to_status: str) -> None:
        if step_id in self.approved:
            self.flag("stage_ended_twice", i, step_id)
        self.approved.add(step_id)
        complete = self.approved >= self.stages[self.stage]
        left = to_status == DossierStatus.RESULT_READY
        if left and self.stage < self.last:
            self.flag("step_skipped", i, step_id)
        if left and not complete:
            self.flag("finish_before_parallel", i, step_id)
        if complete:
            self.stage, self.approved = self.stage + 1, set()


def check_trace(
    steps: Mapping[int, int], events: Iterable[tuple[str, int | None, str]], *, final_status: str = ""
) -> list[Deviation]:
    """The deviations of one dossier's trace from its version's ``steps`` ({step_id: stage})."""
    replay = _Replay(steps)
    position = -1
    for position, (action, step_id, to_status) in enumerate(events):
        if action in _DECISIONS:
            replay.decision(position, action, step_id, to_status)
        elif action == EventAction.SUPPLEMENT_RECEIVED:
            if not replay.paused:
                replay.flag("resume_without_pause", position)
            replay.paused = False
    if _left_paused(replay, final_status):
        replay.flag("pause_without_resume", position + 1)
    return replay.found


def _left_paused(replay: _Replay, final_status: str) -> bool:
    """Still paused at the end of the trace, yet neither waiting nor closed while waiting."""
    return replay.paused and final_status not in (
        DossierStatus.WAITING_SUPPLEMENT,
        DossierStatus.WITHDRAWN,
        "",
    )


def _version_steps(version_ids) -> dict[int, dict[int, int]]:
    steps: dict[int, dict[int, int]] = {}
    for version_id, step_id, stage in Step.objects.filter(version_id__in=version_ids).values_list(
        "version_id", "id", "stage"
    ):
        steps.setdefault(version_id, {})[step_id] = stage
    return steps


def conformance_report(*, period: Period, procedure: str = "") -> dict:
    """Every dossier received in the period whose trace deviates: code, procedure, the deviations;
    and the counts (dossiers checked, dossiers deviating, per kind). The traces are streamed; the
    steps of each version are read once (one query per batch of new versions)."""
    checked, found, per_kind = 0, [], dict.fromkeys(KINDS, 0)
    steps_of: dict[int, dict[int, int]] = {}
    events = log_events(period=period, procedure=procedure)
    for _dossier_id, trace in itertools.groupby(events, key=lambda e: e.dossier_id):
        trace = list(trace)
        head = trace[0]
        version_id = head.version_id
        if version_id not in steps_of:
            steps_of.update(_version_steps([version_id]))
        checked += 1
        deviations = check_trace(
            steps_of.get(version_id, {}),
            [(e.action, e.step_id, e.to_status) for e in trace],
            final_status=head.status,
        )
        if deviations:
            for d in deviations:
                per_kind[d.kind] += 1
            found.append(
                {
                    "code": head.case,
                    "procedure": head.procedure,
                    "version": head.version,
                    "deviations": [d.as_dict() for d in deviations],
                }
            )
    return {"checked": checked, "deviating": len(found), "per_kind": per_kind, "dossiers": found}


def conformance_counts(*, period: Period) -> dict:
    """The dashboard card: dossiers checked and dossiers deviating in the period."""
    report = conformance_report(period=period)
    return {"checked": report["checked"], "deviating": report["deviating"]}
