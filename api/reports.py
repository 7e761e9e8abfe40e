"""Leadership reports: ``/api/v1/reports/{processing,cutting,bottlenecks,indicators,dashboard}/``.

Thin: parse the period and options, check who may see what, call one selector, render JSON, Excel
or CSV. ``?format=`` chooses the rendering here, so DRF's own ``format`` override is bypassed
(errors always come back as JSON). Supervisors and admins see every agency; a head sees only their
own agency's figures; anyone else gets 403, an anonymous caller 401.
"""

import datetime as dt

from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dbrouter import reads_from_replica
from core.exceptions import InvalidInput
from procedures.models import Agency
from reports import columns as C
from reports import exports, selectors
from reports.limits import report_time_limit
from reports.periods import PERIOD_KINDS, Period, make_period, shortcut_dates
from workflows.permissions import report_agency_ids

from .schema import ERROR_RESPONSES

FORMATS = ("json", "xlsx", "csv")


class JSONOnly(BaseContentNegotiation):
    """Always JSON: ``?format=xlsx|csv`` is handled by the view and must not select a renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = JSONRenderer()
        return renderer, renderer.media_type


def _date(query, name: str) -> dt.date:
    raw = query.get(name)
    if not raw:
        raise InvalidInput(f"Thiếu tham số {name}.", fields={name: ["Bắt buộc (YYYY-MM-DD)."]})
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"{name} không phải ngày YYYY-MM-DD.", fields={name: ["Ngày dạng YYYY-MM-DD."]}
        ) from None


def _int(query, name: str, *, required: bool) -> int | None:
    raw = query.get(name)
    if raw in (None, ""):
        if required:
            raise InvalidInput(f"Thiếu tham số {name}.", fields={name: ["Bắt buộc."]})
        return None
    try:
        if not raw.isascii():  # int() also reads full-width and Arabic-Indic digits
            raise ValueError(raw)
        return int(raw)
    except ValueError:
        raise InvalidInput(f"{name} phải là số nguyên.", fields={name: ["Số nguyên."]}) from None


def procedure_code(query) -> str:
    """The ``procedure`` parameter as a code ("" when absent). A NUL byte is refused with a 400:
    PostgreSQL refuses it in text, so it would otherwise be a 500 (or break a streamed answer)."""
    code = (query.get("procedure") or "").strip()[:64]
    if "\x00" in code:
        raise InvalidInput("Mã thủ tục không hợp lệ.", fields={"procedure": ["Không được chứa ký tự NUL."]})
    return code


def parse_period(query) -> Period:
    """``from``/``to`` (local dates, both included) or ``period`` + ``year`` (+ ``number``)."""
    tz = timezone.get_default_timezone()
    kind = query.get("period")
    if kind:
        first, last, label = shortcut_dates(
            kind=kind, year=_int(query, "year", required=True), number=_int(query, "number", required=False)
        )
        return make_period(date_from=first, date_to=last, tz=tz, label=label)
    return make_period(date_from=_date(query, "from"), date_to=_date(query, "to"), tz=tz)


def _choice(query, name: str, choices, default: str) -> str:
    value = query.get(name) or default
    if value not in choices:
        raise InvalidInput(
            f"{name} phải là một trong {', '.join(choices)}.",
            fields={name: [f"Giá trị hợp lệ: {', '.join(choices)}."]},
        )
    return value


PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (local date), with `to`."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included."),
    OpenApiParameter("period", str, enum=list(PERIOD_KINDS), description="Shortcut instead of from/to."),
    OpenApiParameter("year", int, description="Year of the shortcut."),
    OpenApiParameter("number", int, description="Month 1–12, quarter 1–4 or half 1–2."),
    OpenApiParameter(
        "format", str, enum=list(FORMATS), description="json (default), xlsx (official layout) or csv."
    ),
]
FILE_RESPONSES = {
    (200, exports.XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="`?format=xlsx`"),
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="`?format=csv`"),
}
ERRORS = ERROR_RESPONSES(400, 401, 403)
PERIOD_SCHEMA = inline_serializer(
    "ReportPeriod",
    {"from": serializers.DateField(), "to": serializers.DateField(), "label": serializers.CharField()},
)


class ReportView(APIView):
    content_negotiation_class = JSONOnly
    filename = "bao-cao"

    def get(self, request):
        agency_ids = report_agency_ids(request.user)
        query = request.query_params
        fmt = _choice(query, "format", FORMATS, "json")
        period = parse_period(query)
        unit = (
            ", ".join(Agency.objects.filter(id__in=agency_ids).values_list("name", flat=True))
            if agency_ids
            else ""
        )
        with reads_from_replica(), report_time_limit():  # the replica first: the limit is set there
            payload, xlsx, csv_sections = self.build(
                query=query, period=period, agency_ids=agency_ids, unit=unit
            )
        if fmt == "json":
            return Response(payload)
        name = f"{self.filename}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
        if fmt == "xlsx":
            response = HttpResponse(xlsx(), content_type=exports.XLSX_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        else:
            response = HttpResponse(exports.table_csv(csv_sections), content_type=exports.CSV_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response


_COUNT_FIELDS = {key: serializers.IntegerField() for key in C.PROCESSING_KEYS}
ProcessingRows = inline_serializer(
    "ProcessingReportRow",
    many=True,
    fields={
        "no": serializers.IntegerField(),
        "key": serializers.CharField(help_text="agency/field/procedure id, or the level"),
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        **_COUNT_FIELDS,
    },
)
ProcessingReport = inline_serializer(
    "ProcessingReport",
    {
        "period": PERIOD_SCHEMA,
        "group_by": serializers.ChoiceField(choices=list(selectors.GROUP_FIELDS)),
        "unit": serializers.CharField(),
        "rows": ProcessingRows,
        "totals": inline_serializer("ProcessingReportTotals", dict(_COUNT_FIELDS)),
    },
)
_EXAMPLE_ROW = {
    "received_total": 12, "received_online": 3, "received_direct": 6, "carried_over": 3,
    "resolved_total": 4, "resolved_early": 1, "resolved_on_time": 1, "resolved_late": 2,
    "in_progress_total": 6, "in_progress_within_due": 4, "in_progress_overdue": 2,
    "received_in_person": 4, "received_postal": 2, "rejected": 1, "withdrawn": 2, "resolved_refused": 1,
    "waiting_supplement": 2, "late_with_apology": 1, "late_without_apology": 1,
}  # fmt: skip


class ProcessingReportView(ReportView):
    filename = "bieu-II.06a"

    @extend_schema(
        tags=["reports"],
        summary="Form II.06a: dossiers received, resolved and in progress",
        description=(
            "One row per receiving agency (or field, procedure, level) and the totals row. "
            "Definitions: see README › Reports. "
            "received_total = received_online + received_direct + carried_over."
        ),
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter(
                "group_by", str, enum=list(selectors.GROUP_FIELDS), description="Default agency."
            ),
        ],
        responses={200: ProcessingReport, **FILE_RESPONSES, **ERRORS},
        examples=[
            OpenApiExample(
                "Tháng 7/2026",
                response_only=True,
                value={
                    "period": {"from": "2026-07-01", "to": "2026-07-31", "label": "Tháng 7 năm 2026"},
                    "group_by": "agency",
                    "unit": "",
                    "rows": [
                        {"no": 1, "key": 1, "code": "000.00.01.H57", "name": "Sở Tư pháp", **_EXAMPLE_ROW}
                    ],
                    "totals": _EXAMPLE_ROW,
                },
            )
        ],
    )
    def get(self, request):
        return super().get(request)

    def build(self, *, query, period, agency_ids, unit):
        group_by = _choice(query, "group_by", tuple(selectors.GROUP_FIELDS), "agency")
        report = selectors.processing_report(
            period=period, group_by=group_by, agency_ids=agency_ids, unit=unit
        )
        return (
            report.as_dict(),
            lambda: exports.processing_xlsx(report),
            [("II.06a", [(c.key, c.header) for c in C.PROCESSING_COLUMNS], report.rows, report.totals)],
        )


def _object_response(name: str, description: str) -> dict:
    return {200: OpenApiResponse(OpenApiTypes.OBJECT, description=description), **FILE_RESPONSES, **ERRORS}


class CuttingReportView(ReportView):
    filename = "cat-giam-thoi-gian"

    @extend_schema(
        tags=["reports"],
        summary="Processing time against legal and committed durations",
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter(
                "group_by", str, enum=list(selectors.CUTTING_GROUPS), description="Default procedure."
            ),
        ],
        responses=_object_response(
            "cutting",
            "`rows` per group: resolved, legal_hours, committed_hours, cut_percent, mean_hours, "
            "median_hours, p90_hours, within_committed_share; `versions`: the same per procedure "
            "version with `change` from the previous version; `totals`.",
        ),
    )
    def get(self, request):
        return super().get(request)

    def build(self, *, query, period, agency_ids, unit):
        group_by = _choice(query, "group_by", selectors.CUTTING_GROUPS, "procedure")
        report = selectors.cutting_report(period=period, group_by=group_by, agency_ids=agency_ids, unit=unit)
        label = C.GROUP_LABELS[group_by]
        return (
            report.as_dict(),
            lambda: exports.table_xlsx(
                form="Báo cáo cắt giảm thời gian giải quyết TTHC",
                title="THỜI GIAN GIẢI QUYẾT THỰC TẾ SO VỚI QUY ĐỊNH VÀ CAM KẾT",
                report_label=period.label,
                unit=unit,
                sheets=[
                    ("Tổng hợp", label, C.CUTTING_COLUMNS, report.rows, report.totals),
                    ("Theo phiên bản", "Thủ tục", C.VERSION_COLUMNS, report.extra["versions"], None),
                ],
            ),
            [
                ("rows", C.CUTTING_COLUMNS, report.rows, report.totals),
                ("versions", C.VERSION_COLUMNS, report.extra["versions"], None),
            ],
        )


class BottleneckReportView(ReportView):
    filename = "diem-nghen"

    @extend_schema(
        tags=["reports"],
        summary="Steps: waiting and working time against their budgets, late shares",
        parameters=PERIOD_PARAMETERS,
        responses=_object_response(
            "bottlenecks",
            "`rows` per step and agency: tasks, late_tasks, late_share, late_dossiers, budget_hours, "
            "median/p90 wait_hours and work_hours; `top_late_steps` ranked by late tasks.",
        ),
    )
    def get(self, request):
        return super().get(request)

    def build(self, *, query, period, agency_ids, unit):
        report = selectors.bottleneck_report(period=period, agency_ids=agency_ids, unit=unit)
        rows = [{**r, "name": r["step_name"], "code": r["procedure_code"]} for r in report.rows]
        return (
            report.as_dict(),
            lambda: exports.table_xlsx(
                form="Báo cáo điểm nghẽn",
                title="THỜI GIAN CHỜ VÀ XỬ LÝ THEO BƯỚC, CƠ QUAN",
                report_label=period.label,
                unit=unit,
                sheets=[("Theo bước", "Bước xử lý", C.BOTTLENECK_COLUMNS, rows, report.totals)],
            ),
            [("rows", C.BOTTLENECK_COLUMNS, rows, report.totals)],
        )


class IndicatorsReportView(ReportView):
    filename = "chi-so-phuc-vu"

    @extend_schema(
        tags=["reports"],
        summary="Service indicators per agency and for the province (Decision 766 style)",
        parameters=PERIOD_PARAMETERS,
        responses=_object_response(
            "indicators",
            "`rows` per agency and `totals` for the province: on_time_rate, online_share, online_full_share, "
            "online_partial_share, rating_mean, rating_good_share and the counts behind them.",
        ),
    )
    def get(self, request):
        return super().get(request)

    def build(self, *, query, period, agency_ids, unit):
        report = selectors.indicators_report(period=period, agency_ids=agency_ids, unit=unit)
        return (
            report.as_dict(),
            lambda: exports.table_xlsx(
                form="Bộ chỉ số phục vụ người dân, doanh nghiệp",
                title="CHỈ SỐ PHỤC VỤ THEO ĐƠN VỊ",
                report_label=period.label,
                unit=unit,
                sheets=[("Chỉ số", "Đơn vị", C.INDICATOR_COLUMNS, report.rows, report.totals)],
            ),
            [("rows", C.INDICATOR_COLUMNS, report.rows, report.totals)],
        )


class DashboardView(ReportView):
    filename = "dashboard"

    @extend_schema(
        tags=["reports"],
        summary="Leadership dashboard series",
        parameters=PERIOD_PARAMETERS,
        responses=_object_response(
            "dashboard",
            "`months`: received and resolved per month; `on_time_by_agency`; `slowest_procedures` "
            "(median processing hours / committed hours, highest first).",
        ),
    )
    def get(self, request):
        return super().get(request)

    def build(self, *, query, period, agency_ids, unit):
        data = selectors.dashboard(period=period, agency_ids=agency_ids)
        months = [{**m, "name": m["month"]} for m in data["months"]]
        sections = [
            ("months", C.MONTH_COLUMNS, months, None),
            ("on_time_by_agency", C.ON_TIME_COLUMNS, data["on_time_by_agency"], None),
            ("slowest_procedures", C.SLOWEST_COLUMNS, data["slowest_procedures"], None),
        ]
        return (
            {**data, "unit": unit},
            lambda: exports.table_xlsx(
                form="Số liệu điều hành",
                title="TIẾP NHẬN, GIẢI QUYẾT VÀ TỶ LỆ ĐÚNG HẠN",
                report_label=period.label,
                unit=unit,
                sheets=[
                    ("Theo tháng", "Tháng", C.MONTH_COLUMNS, months, None),
                    ("Đúng hạn theo đơn vị", "Đơn vị", C.ON_TIME_COLUMNS, data["on_time_by_agency"], None),
                    ("Thủ tục chậm nhất", "Thủ tục", C.SLOWEST_COLUMNS, data["slowest_procedures"], None),
                ],
            ),
            sections,
        )


urlpatterns = [
    path("processing/", ProcessingReportView.as_view(), name="report-processing"),
    path("cutting/", CuttingReportView.as_view(), name="report-cutting"),
    path("bottlenecks/", BottleneckReportView.as_view(), name="report-bottlenecks"),
    path("indicators/", IndicatorsReportView.as_view(), name="report-indicators"),
    path("dashboard/", DashboardView.as_view(), name="report-dashboard"),
]
