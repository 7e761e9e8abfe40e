"""Periodic report packages: ``GET /api/v1/reports/periodic/`` (list), ``POST`` (rebuild a past
period by hand: a new version), ``GET /api/v1/reports/periodic/{id}/{xlsx|pdf}`` (the stored file).

Supervisors and admins see every package; a head the packages of their own agency; anyone else
403, anonymous 401. Rebuilding is ``Action.BUILD_PERIODIC_REPORTS`` (supervisors, admins).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import InvalidInput, NotAllowed, NotFound
from periodic.models import PeriodicPackage, PeriodKind
from periodic.selectors import visible_packages
from periodic.services import package_build
from procedures.models import Agency
from reports.exports import XLSX_TYPE
from workflows.permissions import Action, report_agency_ids, require

from .schema import ERROR_RESPONSES

FILES = {"xlsx": XLSX_TYPE, "pdf": "application/pdf"}
LIST_FIELDS = (
    "id", "kind", "year", "number", "label", "date_from", "date_to", "scope", "agency_id", "version",
    "built_at", "xlsx_sha256", "pdf_sha256",
)  # fmt: skip


def _visible(user):
    return visible_packages(report_agency_ids(user))


def _item(request, package: PeriodicPackage) -> dict:
    item = {name: getattr(package, name) for name in LIST_FIELDS}
    item["files"] = {
        name: request.build_absolute_uri(reverse("api:report-periodic-file", args=[package.pk, name]))
        for name in FILES
    }
    return item


class PackageOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    label = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    scope = serializers.CharField(help_text='"province" or "agency:<id>"')
    agency_id = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField()
    built_at = serializers.DateTimeField()
    xlsx_sha256 = serializers.CharField()
    pdf_sha256 = serializers.CharField()
    files = inline_serializer(
        "PeriodicFiles", {"xlsx": serializers.URLField(), "pdf": serializers.URLField()}
    )


class RebuildIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.IntegerField()
    number = serializers.IntegerField(required=False, default=1)
    agency = serializers.CharField(
        required=False, allow_blank=True, help_text="Agency code; empty: the province."
    )


class PeriodicListView(APIView):
    @extend_schema(
        tags=["reports"],
        summary="Periodic report packages (quarter, six months, year), newest first, with download links",
        responses={200: PackageOut(many=True), **ERROR_RESPONSES(401, 403)},
    )
    def get(self, request):
        return Response([_item(request, p) for p in _visible(request.user)])

    @extend_schema(
        tags=["reports"],
        summary="Rebuild a past period's package by hand (a new version; the old ones are kept)",
        request=RebuildIn,
        responses={201: PackageOut, **ERROR_RESPONSES(400, 401, 403)},
    )
    def post(self, request):
        require(request.user, Action.BUILD_PERIODIC_REPORTS)
        body = RebuildIn(data=request.data)
        if not body.is_valid():
            raise InvalidInput(
                "Dữ liệu không hợp lệ.", fields={k: [str(e) for e in v] for k, v in body.errors.items()}
            )
        data = body.validated_data
        agency = None
        if data.get("agency"):
            agency = Agency.objects.filter(code=data["agency"]).first()
            if agency is None:
                raise InvalidInput("Không có đơn vị này.", fields={"agency": ["Mã đơn vị không tồn tại."]})
        package, _built = package_build(
            kind=data["kind"],
            year=data["year"],
            number=data["number"],
            agency=agency,
            rebuild=True,
            by=request.user,
        )
        return Response(_item(request, package), status=201)


class PeriodicFileView(APIView):
    @extend_schema(
        tags=["reports"],
        summary="A package's stored file, byte for byte (its SHA-256 is in the list)",
        responses={
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="file=xlsx"),
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="file=pdf"),
            **ERROR_RESPONSES(401, 403, 404),
        },
    )
    def get(self, request, pk: int, file: str):
        if file not in FILES:
            raise NotFound("Không có tệp này.")
        visible = _visible(request.user)
        package = PeriodicPackage.objects.filter(pk=pk).only("id", "scope", "label", "version").first()
        if package is None:
            raise NotFound("Không tìm thấy gói báo cáo.")
        if not visible.filter(pk=pk).exists():
            raise NotAllowed("Gói báo cáo này thuộc đơn vị khác.")
        data = bytes(PeriodicPackage.objects.values_list(file, flat=True).get(pk=pk))
        response = HttpResponse(data, content_type=FILES[file])
        response["Content-Disposition"] = (
            f'attachment; filename="bao-cao-dinh-ky-{pk}-v{package.version}.{file}"'
        )
        return response
