"""Public catalog endpoints: list and detail of procedures. No login; thin views over selectors."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from core.roles import STEP_ROLES
from procedures.durations import version_cut_percent
from procedures.models import DocumentKind, DurationUnit, Level, OnlineLevel, SupplementMode
from procedures.selectors import procedure_get, procedure_list

from .fields import Text
from .schema import ERROR_RESPONSES
from .throttling import PublicThrottle


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DurationSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=DurationUnit.choices)


class DocumentSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    count = serializers.IntegerField()


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    stage = serializers.IntegerField(help_text="0-based; steps of one stage run at the same time.")
    name = serializers.CharField()
    agency = CodeNameSerializer()
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in STEP_ROLES])
    budget_hours = serializers.IntegerField(help_text="Working hours.")
    parallel_group = serializers.CharField(allow_blank=True)


class ProcedureSerializer(serializers.Serializer):
    """A procedure with its current version's durations (what a list row shows)."""

    code = serializers.CharField()
    name = serializers.CharField()
    field = CodeNameSerializer()
    level = serializers.ChoiceField(choices=Level.choices)
    receiving_agency = CodeNameSerializer()
    legal_duration = serializers.SerializerMethodField()
    committed_duration = serializers.SerializerMethodField()
    cut_percent = serializers.SerializerMethodField()
    fee = serializers.IntegerField(source="current_version.fee", help_text="Đồng.")
    online_level = serializers.ChoiceField(source="current_version.online_level", choices=OnlineLevel.choices)

    @extend_schema_field(DurationSerializer)
    def get_legal_duration(self, obj) -> dict:
        version = obj.current_version
        return {"value": version.legal_duration_value, "unit": version.legal_duration_unit}

    @extend_schema_field(DurationSerializer)
    def get_committed_duration(self, obj) -> dict:
        version = obj.current_version
        return {"value": version.committed_duration_value, "unit": version.committed_duration_unit}

    def get_cut_percent(self, obj) -> float:
        """How much shorter the committed duration is than the legal one, compared in working hours."""
        return version_cut_percent(obj.current_version)


class ProcedureDetailSerializer(ProcedureSerializer):
    supplement_mode = serializers.ChoiceField(
        source="current_version.supplement_mode", choices=SupplementMode.choices
    )
    legal_basis = serializers.CharField(source="current_version.legal_basis")
    version = serializers.IntegerField(source="current_version.number")
    effective_from = serializers.DateTimeField(source="current_version.effective_from")
    documents = DocumentSerializer(source="current_version.documents", many=True)
    steps = StepSerializer(source="current_version.steps", many=True)


class ListParams(serializers.Serializer):
    search = Text(required=False, allow_blank=True, max_length=200)
    field = Text(required=False, allow_blank=True, max_length=32)
    level = serializers.ChoiceField(required=False, allow_blank=True, choices=Level.choices)
    agency = Text(required=False, allow_blank=True, max_length=13)


class CatalogPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(
    tags=["catalog"],
    summary="Danh mục thủ tục hành chính",
    responses={200: ProcedureSerializer(many=True), **ERROR_RESPONSES(400, 429)},
    parameters=[
        OpenApiParameter("search", str, description="Tìm theo tên hoặc mã thủ tục."),
        OpenApiParameter("field", str, description="Mã lĩnh vực."),
        OpenApiParameter("level", str, enum=Level.values, description="Cấp thực hiện."),
        OpenApiParameter("agency", str, description="Mã cơ quan: tiếp nhận hoặc xử lý một bước của thủ tục."),
    ],
)
class ProcedureListView(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicThrottle]
    serializer_class = ProcedureSerializer
    pagination_class = CatalogPagination
    filter_backends: list = []

    def get_queryset(self):
        params = ListParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return procedure_list(**params.validated_data)


@extend_schema(
    tags=["catalog"],
    summary="Chi tiết thủ tục: thành phần hồ sơ, các bước, thời hạn",
    responses={200: ProcedureDetailSerializer, **ERROR_RESPONSES(404, 429)},
)
class ProcedureDetailView(RetrieveAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicThrottle]
    serializer_class = ProcedureDetailSerializer

    def get_object(self):
        return procedure_get(code=self.kwargs["code"])


urlpatterns = [
    path("procedures/", ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<code:code>/", ProcedureDetailView.as_view(), name="procedure-detail"),
]
