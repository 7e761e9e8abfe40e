"""``GET /api/v1/reports/what-if/``: replay a procedure's dossiers under a proposed duration.

Thin: parse the query, check who may see the procedure's figures (``workflows.permissions``), call
``reports.whatif_query.what_if_report``. Supervisors and admins: any procedure; a head: the
procedures their agency receives, over their agency's dossiers; anyone else 403, anonymous 401.
"""

from __future__ import annotations

from dataclasses import dataclass

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dbrouter import reads_from_replica
from core.exceptions import InvalidInput, NotAllowed, NotFound
from procedures.models import DurationUnit, Procedure
from reports.periods import Period
from reports.whatif import Proposal
from reports.whatif_query import what_if_report
from workflows import deadlines
from workflows.permissions import Action, can, report_agency_ids

from .reports import PERIOD_PARAMETERS, _int, parse_period, procedure_code
from .schema import ERROR_RESPONSES

MAX_VALUE = 10_000


@dataclass(frozen=True)
class WhatIfQuery:
    procedure: Procedure
    period: Period
    proposal: Proposal
    step: int | None
    budget_hours: int | None


def _procedure(query) -> Procedure:
    code = procedure_code(query)
    if not code:
        raise InvalidInput("Thiếu tham số procedure.", fields={"procedure": ["Bắt buộc (mã thủ tục)."]})
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
    if procedure is None or procedure.current_version is None:
        raise NotFound("Không tìm thấy thủ tục.", code="procedure_not_found")
    return procedure


def _positive(query, name: str, *, required: bool) -> int | None:
    value = _int(query, name, required=required)
    if value is not None and not 1 <= value <= MAX_VALUE:
        raise InvalidInput(f"{name} phải từ 1 đến {MAX_VALUE}.", fields={name: [f"Từ 1 đến {MAX_VALUE}."]})
    return value


def parse_what_if(query, user) -> tuple[WhatIfQuery, list[int] | None]:
    """The validated query and the agencies whose dossiers are replayed (None: all); raises
    ``NotAllowed`` for a user who may not see the procedure's reports."""
    agency_ids = report_agency_ids(user)
    procedure = _procedure(query)
    if not can(user, Action.VIEW_AGENCY_REPORTS, procedure.receiving_agency):
        raise NotAllowed("Chỉ xem được thủ tục do cơ quan mình tiếp nhận.")
    value = _positive(query, "value", required=True)
    unit = query.get("unit") or procedure.current_version.committed_duration_unit
    if unit not in DurationUnit.values:
        raise InvalidInput(
            f"unit phải là một trong {', '.join(DurationUnit.values)}.",
            fields={"unit": [f"Giá trị hợp lệ: {', '.join(DurationUnit.values)}."]},
        )
    step = _positive(query, "step", required=False)
    budget = _positive(query, "budget_hours", required=step is not None)
    if budget is not None and step is None:
        raise InvalidInput(
            "budget_hours cần đi cùng step.", fields={"step": ["Bắt buộc khi có budget_hours."]}
        )
    if step is not None and not procedure.current_version.steps.filter(order=step).exists():
        raise InvalidInput("Thủ tục không có bước này.", fields={"step": ["Không có bước với thứ tự này."]})
    return WhatIfQuery(procedure, parse_period(query), Proposal(value, unit), step, budget), agency_ids


def run_what_if(query, user) -> dict:
    parsed, agency_ids = parse_what_if(query, user)
    with reads_from_replica():  # who may ask was decided above, on the primary
        return what_if_report(
            procedure=parsed.procedure,
            period=parsed.period,
            proposal=parsed.proposal,
            agency_ids=agency_ids,
            calendar=deadlines.calendar(),
            step=parsed.step,
            budget_hours=parsed.budget_hours,
        )


class WhatIfView(APIView):
    @extend_schema(
        tags=["reports"],
        summary="What-if of a proposed cut: late dossiers today and under a proposed duration",
        description=(
            "Replays the finished dossiers of `procedure` received in the period on the working-time "
            "calendar with the proposed duration (their real receipt, waits for supplements in both "
            "modes, apology extensions and finish times). `totals` and `agencies`: replayed, "
            "late_today, late_proposed (count and share), turn_late, turn_in_time, p50/p90 of the "
            "processing time in working hours and days against limit_hours; `steps`: per step, tasks "
            "late today and under the proposed budget (every budget scaled by proposed/current, or "
            "`step`'s set to `budget_hours`), p50/p90 hours and faster_by_hours; `cut`: the cut "
            "against the legal duration today and proposed, and the 30 % target (Resolution 66/NQ-CP)."
        ),
        parameters=[
            OpenApiParameter("procedure", str, required=True, description="Procedure code."),
            OpenApiParameter("value", int, required=True, description="Proposed duration."),
            OpenApiParameter(
                "unit", str, enum=list(DurationUnit.values), description="Default: the current unit."
            ),
            OpenApiParameter("step", int, description="A step's order, with budget_hours."),
            OpenApiParameter("budget_hours", int, description="That step's proposed budget."),
            *[p for p in PERIOD_PARAMETERS if p.name != "format"],
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The what-if figures."),
            **ERROR_RESPONSES(400, 401, 403, 404),
        },
    )
    def get(self, request):
        return Response(run_what_if(request.query_params, request.user))
