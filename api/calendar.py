"""Public due-date quotes on the office's working-time calendar."""

import datetime
import re

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import Integer, Text
from api.throttling import PublicThrottle
from core.limits import MAX_YEAR, MIN_YEAR
from procedures.calendar import Duration
from procedures.calendar_loader import get_calendar
from procedures.due_dates import quote_due_at
from procedures.models import DurationUnit

# About ten years of each unit: enough for any procedure, small enough to stay a sane date.
MAX_VALUE = {
    DurationUnit.WORKING_DAYS: 2600,
    DurationUnit.WORKING_HOURS: 2600 * 8,
    DurationUnit.CALENDAR_DAYS: 3660,
}
# An unencoded "+07:00" in a query string arrives as " 07:00".
_SPACE_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")


class DueDateQuerySerializer(serializers.Serializer):
    start = Text(max_length=64)
    value = Integer(required=False, min_value=1)
    unit = serializers.ChoiceField(choices=DurationUnit.choices, required=False)
    procedure = Text(required=False, max_length=32)

    def validate_start(self, text: str) -> datetime.datetime:
        text = _SPACE_OFFSET.sub(r"+\1", text.strip())
        try:
            parsed = parse_datetime(text)
        except ValueError:
            parsed = None
        if parsed is None:
            raise serializers.ValidationError(
                "Thời điểm bắt đầu phải theo ISO 8601, ví dụ 2026-02-13T10:00:00+07:00."
            )
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            raise serializers.ValidationError("Thời điểm bắt đầu phải có múi giờ, ví dụ +07:00 hoặc Z.")
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise serializers.ValidationError(f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.")
        return parsed

    def validate(self, attrs: dict) -> dict:
        has_value, has_procedure = "value" in attrs, "procedure" in attrs
        if has_value == has_procedure:
            message = "Cho biết value và unit, hoặc procedure (chỉ một trong hai)."
            raise serializers.ValidationError({"value": [message], "procedure": [message]})
        if has_procedure:
            if "unit" in attrs:
                raise serializers.ValidationError({"unit": ["Không dùng unit cùng với procedure."]})
            return attrs
        if "unit" not in attrs:
            raise serializers.ValidationError({"unit": ["Cần unit khi có value."]})
        limit = MAX_VALUE[attrs["unit"]]
        if attrs["value"] > limit:
            raise serializers.ValidationError({"value": [f"Tối đa {limit} cho đơn vị {attrs['unit']}."]})
        return attrs


class DueDateSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="The start, on the office clock.")
    due_at = serializers.DateTimeField(help_text="The due time (appointment), on the office clock.")


class DueDateErrorSerializer(serializers.Serializer):
    """The project's error shape: ``{"error": {"code", "message", "fields"}}``."""

    error = serializers.DictField(help_text='{"code": str, "message": str, "fields": {param: [messages]}}')


class DueDateView(APIView):
    """Due date of a duration, or of a procedure's committed duration, from a start time."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicThrottle]

    @extend_schema(
        operation_id="calendar_due_date",
        summary="Tính ngày hẹn trả (due date on the working-time calendar)",
        description=(
            "Counts a duration on the office's working-time calendar: working periods "
            "(default 07:00–11:30 and 13:30–17:00, Monday–Friday, Asia/Ho_Chi_Minh), Vietnamese "
            "public holidays with their compensatory days and swapped working Saturdays, and the "
            "province's overrides. A start outside working time counts from the next working "
            "period; `working_days` are 8 working hours each; a `calendar_days` due date that "
            "falls on a non-working day moves to the next working day. Give `value` and `unit`, "
            "or `procedure` (its committed duration in force), not both. No login needed."
        ),
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATETIME,
                required=True,
                description="ISO 8601 with a UTC offset, e.g. 2026-02-13T10:00:00+07:00 (encode + as %2B).",
            ),
            OpenApiParameter(
                "value", OpenApiTypes.INT, description="Duration, a positive integer (with unit)."
            ),
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                enum=list(DurationUnit.values),
                description="Duration unit (with value).",
            ),
            OpenApiParameter(
                "procedure", OpenApiTypes.STR, description="National procedure code, e.g. 1.001234."
            ),
        ],
        responses={
            200: DueDateSerializer,
            400: OpenApiResponse(DueDateErrorSerializer, description="Invalid parameter, named in fields."),
            404: OpenApiResponse(DueDateErrorSerializer, description="Unknown or inactive procedure."),
        },
        examples=[
            OpenApiExample(
                "Five working days across Tết 2026",
                value={"start": "2026-02-13T10:00:00+07:00", "due_at": "2026-02-27T10:00:00+07:00"},
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Missing start",
                value={
                    "error": {
                        "code": "invalid",
                        "message": "Dữ liệu không hợp lệ: start",
                        "fields": {"start": ["This field is required."]},
                    }
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Unknown procedure",
                value={
                    "error": {
                        "code": "procedure_not_found",
                        "message": "Không tìm thấy thủ tục đang áp dụng có mã 1.999999.",
                        "fields": {"procedure": ["Không tìm thấy thủ tục."]},
                    }
                },
                response_only=True,
                status_codes=["404"],
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        query = DueDateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        duration = Duration(data["value"], data["unit"]) if "value" in data else None
        due = quote_due_at(start=data["start"], duration=duration, procedure_code=data.get("procedure"))
        start = data["start"].astimezone(get_calendar().tz)
        return Response({"start": start.isoformat(), "due_at": due.isoformat()})
