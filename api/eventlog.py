"""``/api/v1/reports/event-log/`` (XES or OCEL 2.0, streamed) and ``/api/v1/reports/conformance/``.

Supervisors and admins only (``Action.VIEW_PROVINCE_REPORTS``): a trace crosses agencies.
"""

from django.http import StreamingHttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dbrouter import iterate_from_replica, reads_from_replica
from reports import conformance, eventlog
from workflows.permissions import Action, require

from .pagination import Pagination
from .reports import JSONOnly, _choice, parse_period, procedure_code
from .schema import ERROR_RESPONSES

LOG_FORMATS = ("xes", "ocel")
XES_TYPE = "application/xml"
OCEL_TYPE = "application/json"

_PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Dossiers received from this local date."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="… to this one, included."),
    OpenApiParameter("procedure", str, description="Only this procedure's code."),
]


class EventLogView(APIView):
    content_negotiation_class = JSONOnly

    @extend_schema(
        tags=["reports"],
        summary="The audit trail as an event log (XES or OCEL 2.0 JSON), streamed",
        description=(
            "Case = dossier (its code); activity = step and decision (or the action outside a step); "
            "`time:timestamp`; agency code as `org:group`; resource = the role (`org:resource`, "
            "`org:role`), never a person. No personal data. Dossiers received in the period. "
            "See README › Event log."
        ),
        parameters=[
            *_PERIOD,
            OpenApiParameter("format", str, enum=list(LOG_FORMATS), description="xes (default) or ocel."),
        ],
        responses={
            (200, XES_TYPE): OpenApiResponse(OpenApiTypes.STR, description="XES 1.0 (`format=xes`)"),
            (200, OCEL_TYPE): OpenApiResponse(
                OpenApiTypes.OBJECT, description="OCEL 2.0 JSON (`format=ocel`)"
            ),
            **ERROR_RESPONSES(400, 401, 403),
        },
    )
    def get(self, request):
        require(request.user, Action.VIEW_PROVINCE_REPORTS)
        query = request.query_params
        fmt = _choice(query, "format", LOG_FORMATS, "xes")
        period = parse_period(query)
        events = eventlog.log_events(period=period, procedure=procedure_code(query))
        chunks = eventlog.xes_chunks(events) if fmt == "xes" else eventlog.ocel_chunks(events)
        extension, content_type = ("xes", XES_TYPE) if fmt == "xes" else ("jsonocel", OCEL_TYPE)
        response = StreamingHttpResponse(
            (chunk.encode() for chunk in iterate_from_replica(chunks)),
            content_type=f"{content_type}; charset=utf-8",
        )
        name = f"event-log-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


Deviations = inline_serializer(
    "ConformanceDeviation",
    many=True,
    fields={
        "kind": serializers.ChoiceField(choices=list(conformance.KINDS)),
        "position": serializers.IntegerField(help_text="Index of the event in the dossier's trace."),
        "step_id": serializers.IntegerField(allow_null=True),
    },
)
ConformancePage = inline_serializer(
    "ConformancePage",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "checked": serializers.IntegerField(help_text="Dossiers whose traces were checked."),
        "per_kind": serializers.DictField(child=serializers.IntegerField()),
        "results": inline_serializer(
            "ConformanceDossier",
            many=True,
            fields={
                "code": serializers.CharField(),
                "procedure": serializers.CharField(),
                "version": serializers.IntegerField(),
                "deviations": Deviations,
            },
        ),
    },
)


class ConformanceView(APIView):
    content_negotiation_class = JSONOnly
    pagination_class = Pagination

    @extend_schema(
        tags=["reports"],
        summary="Dossiers whose events do not follow their procedure version's steps",
        description=(
            "Kinds: " + ", ".join(conformance.KINDS) + ". Zero on a healthy system. "
            "Dossiers received in the period; see README › Event log."
        ),
        parameters=[
            *_PERIOD,
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="At most 200."),
        ],
        responses={200: ConformancePage, **ERROR_RESPONSES(400, 401, 403, 404)},
    )
    def get(self, request):
        require(request.user, Action.VIEW_PROVINCE_REPORTS)
        period = parse_period(request.query_params)
        with reads_from_replica():
            report = conformance.conformance_report(
                period=period, procedure=procedure_code(request.query_params)
            )
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(report["dossiers"], request, view=self)
        response = paginator.get_paginated_response(page)
        response.data["checked"] = report["checked"]
        response.data["per_kind"] = report["per_kind"]
        return Response(response.data)


urlpatterns = [
    path("event-log/", EventLogView.as_view(), name="report-event-log"),
    path("conformance/", ConformanceView.as_view(), name="report-conformance"),
]
