"""Staff endpoints for dossiers and tasks: each view parses input, calls one service or selector,
and serializes the result. Who may do what is decided by the services (``workflows.services``)."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import InvalidInput, NotFound
from procedures.models import Agency
from workflows import clock, selectors, services
from workflows.models import Dossier, DossierTask, TaskStatus

from . import rows
from . import serializers as s
from .detail_rows import dossier_detail_row
from .pagination import COUNT_CAP, KeysetPagination
from .schema import ERROR_RESPONSES

APPLICANT_EXAMPLE = {
    "procedure": "1.001193",
    "applicant": {
        "kind": "person",
        "name": "Nguyễn Văn An",
        "id_number": "001090012345",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "12 Lê Lợi, phường Trung Tâm",
    },
    "channel": "in_person",
    "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "count": 1}],
}


def _parse(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _renamed(exc: InvalidInput, names: dict[str, str]) -> InvalidInput:
    """The services name the procedure ``procedure_code``; the API's field is ``procedure``."""
    exc.fields = {names.get(key, key): value for key, value in exc.fields.items()}
    return exc


def _dossier_id(code: str) -> int:
    pk = Dossier.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return pk


def _open_tasks(dossier: Dossier) -> list[DossierTask]:
    return list(
        DossierTask.objects.filter(dossier=dossier, status=TaskStatus.OPEN)
        .select_related("step", "agency", "owner")
        .order_by("id")
    )


def _task_out(task_id: int) -> dict:
    task = DossierTask.objects.select_related("dossier__procedure", "step", "agency", "owner").get(pk=task_id)
    return s.TaskOut(task).data


def _dossier_out(user, dossier_id: int) -> dict:
    return dossier_detail_row(selectors.dossier_detail(user=user, pk=dossier_id))


LIST_PARAMETERS = [
    OpenApiParameter("status", str, enum=[c for c, _ in s.DossierStatus.choices]),
    OpenApiParameter("procedure", str, description="Procedure code."),
    OpenApiParameter("agency", str, description="Receiving agency code."),
    OpenApiParameter("overdue", bool, description="true: open and past due; false: the others."),
    OpenApiParameter("received_from", str, description="YYYY-MM-DD (inclusive)."),
    OpenApiParameter("received_to", str, description="YYYY-MM-DD (inclusive)."),
    OpenApiParameter(
        "search",
        str,
        description="Dossier code prefix or part of the applicant's name; a term written as the start "
        "of a dossier code through its second dot (000.00.…) matches codes only.",
    ),
]


class DossierListCreateView(GenericAPIView):
    serializer_class = s.DossierSummaryOut
    pagination_class = KeysetPagination
    cursor_ordering = ("-listed_at", "-id")  # as selectors.dossier_list orders
    queryset = Dossier.objects.none()  # for the schema; the selector builds the real one

    @extend_schema(
        tags=["dossiers"],
        summary="List dossiers the user may see",
        parameters=LIST_PARAMETERS,
        responses={200: s.DossierSummaryOut(many=True), **ERROR_RESPONSES(400, 401)},
    )
    def get(self, request):
        query = _parse(s.DossierListQuery, request.query_params)
        agency_id = None
        if query.get("agency"):
            agency_id = Agency.objects.filter(code=query["agency"]).values_list("pk", flat=True).first()
            if agency_id is None:
                raise InvalidInput("Không có cơ quan này.", fields={"agency": ["Không tồn tại."]})
        search = selectors.search_plan(query.get("search"))
        # A broad term is not counted: its count would read every match (the page says "more").
        self.paginator.uncounted = search is not None and not search.narrow
        filters = {
            "status": query.get("status"),
            "procedure": query.get("procedure"),
            "agency": agency_id,
            "overdue": query.get("overdue"),
            "received_from": query.get("received_from"),
            "received_to": query.get("received_to"),
            "search": search,
            "as_of": clock.now(),
        }
        dossiers = selectors.dossier_list(user=request.user, **filters)
        # Counted on the visibility rows alone where they answer (no join to each dossier).
        self.paginator.known_count = selectors.dossier_list_count(
            user=request.user, limit=COUNT_CAP + 1, **filters
        )
        # Plain dicts of the shown columns, not three model instances a row (see api.rows), counted
        # without the joins of those columns.
        self.paginator.count_rows = dossiers
        page = self.paginate_queryset(dossiers.values(*rows.DOSSIER_SUMMARY_VALUES, "listed_at", "id"))
        return self.get_paginated_response(rows.dossier_summary_rows(page))

    @extend_schema(
        tags=["dossiers"],
        summary="Register a dossier at the one-stop desk (reception)",
        request=s.DossierCreateIn,
        responses={201: s.DossierCreatedOut, **ERROR_RESPONSES(400, 401, 403, 409)},
        examples=[OpenApiExample("Birth registration", value=APPLICANT_EXAMPLE, request_only=True)],
    )
    def post(self, request):
        data = _parse(s.DossierCreateIn, request.data)
        try:
            dossier, key = services.dossier_register(
                procedure_code=data["procedure"],
                applicant=dict(data["applicant"]),
                channel=data["channel"],
                documents=[dict(d) for d in data.get("documents", [])],
                completed_on_spot=[dict(d) for d in data.get("completed_on_spot", [])],
                received_at=data.get("received_at"),
                by=request.user,
            )
        except InvalidInput as exc:
            raise _renamed(exc, {"procedure_code": "procedure"}) from exc
        dossier = Dossier.objects.select_related("procedure", "receiving_agency").get(pk=dossier.pk)
        dossier.lookup_key = key
        dossier.open_tasks = _open_tasks(dossier)
        return Response(s.DossierCreatedOut(dossier).data, status=status.HTTP_201_CREATED)


class RefusalCreateView(APIView):
    @extend_schema(
        tags=["dossiers"],
        summary="Record a dossier refused at intake, with reasons (reception)",
        request=s.RefusalIn,
        responses={201: s.RefusalOut, **ERROR_RESPONSES(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Refusal",
                value={**APPLICANT_EXAMPLE, "reasons": ["Thiếu giấy chứng sinh."]},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        data = _parse(s.RefusalIn, request.data)
        try:
            dossier = services.dossier_refuse_at_intake(
                procedure_code=data["procedure"],
                applicant=dict(data["applicant"]),
                channel=data["channel"],
                documents=[dict(d) for d in data.get("documents", [])],
                reasons=data["reasons"],
                received_at=data.get("received_at"),
                by=request.user,
            )
        except InvalidInput as exc:
            raise _renamed(exc, {"procedure_code": "procedure"}) from exc
        dossier = Dossier.objects.select_related("procedure", "receiving_agency").get(pk=dossier.pk)
        return Response(s.RefusalOut(dossier).data, status=status.HTTP_201_CREATED)


class DossierDetailView(APIView):
    @extend_schema(
        tags=["dossiers"],
        summary="A dossier with its tasks, events and pauses",
        responses={200: s.DossierDetailOut, **ERROR_RESPONSES(401, 403, 404)},
    )
    def get(self, request, code: str):
        return Response(dossier_detail_row(selectors.dossier_detail(user=request.user, code=code)))


class _DossierActionView(APIView):
    """POST /dossiers/{code}/<action>/: one service call, then the dossier as it now is."""

    input_serializer: type | None = None

    def act(self, request, dossier_id: int, data: dict) -> None:
        raise NotImplementedError

    def handle(self, request, code: str):
        data = _parse(self.input_serializer, request.data) if self.input_serializer else {}
        dossier_id = _dossier_id(code)
        self.act(request, dossier_id, data)
        return Response(_dossier_out(request.user, dossier_id))


def _dossier_action_schema(summary: str, request=None):
    return extend_schema(
        tags=["dossiers"],
        summary=summary,
        request=request,
        responses={200: s.DossierDetailOut, **ERROR_RESPONSES(400, 401, 403, 404, 409)},
    )


class SupplementView(_DossierActionView):
    input_serializer = s.SupplementIn

    def act(self, request, dossier_id, data):
        services.dossier_supplement_received(
            dossier=dossier_id, by=request.user, documents=[dict(d) for d in data["documents"]]
        )

    @_dossier_action_schema(
        "Record the applicant's supplement; processing resumes (reception)", s.SupplementIn
    )
    def post(self, request, code: str):
        return self.handle(request, code)


class ExtendView(_DossierActionView):
    input_serializer = s.ExtendIn

    def act(self, request, dossier_id, data):
        services.dossier_extend(
            dossier=dossier_id, by=request.user, new_due_at=data["new_due_at"], reason=data["reason"]
        )

    @_dossier_action_schema("Apology letter with one new appointment date (head)", s.ExtendIn)
    def post(self, request, code: str):
        return self.handle(request, code)


class WithdrawView(_DossierActionView):
    input_serializer = s.WithdrawIn

    def act(self, request, dossier_id, data):
        services.dossier_withdraw(dossier=dossier_id, by=request.user, reason=data["reason"])

    @_dossier_action_schema("The applicant withdraws the dossier (reception)", s.WithdrawIn)
    def post(self, request, code: str):
        return self.handle(request, code)


class ReturnResultView(_DossierActionView):
    def act(self, request, dossier_id, data):
        services.dossier_return_result(dossier=dossier_id, by=request.user)

    @_dossier_action_schema("Hand the result to the applicant (reception)")
    def post(self, request, code: str):
        return self.handle(request, code)


class TaskListView(GenericAPIView):
    serializer_class = s.TaskOut
    pagination_class = KeysetPagination
    cursor_ordering = ("due_at", "id")  # as selectors.inbox_for orders
    queryset = DossierTask.objects.none()  # for the schema; the selector builds the real one

    @extend_schema(
        tags=["tasks"],
        summary="The user's inbox: open tasks of their agency and roles, and those assigned to them",
        parameters=[
            OpenApiParameter("assigned", str, enum=["me", "none"]),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("dossier", str, description="Dossier code (or its prefix)."),
        ],
        responses={200: s.TaskOut(many=True), **ERROR_RESPONSES(400, 401)},
    )
    def get(self, request):
        query = _parse(s.TaskListQuery, request.query_params)
        tasks = selectors.inbox_for(
            user=request.user,
            assigned=query.get("assigned"),
            overdue=query.get("overdue", False),
            code=query.get("dossier"),
        )
        self.paginator.count_rows = tasks  # counted without the joins of the values' columns
        page = self.paginate_queryset(tasks.values(*rows.TASK_VALUES))  # plain dicts (api.rows)
        return self.get_paginated_response(rows.task_rows(page))


class _TaskActionView(APIView):
    input_serializer: type | None = None

    def act(self, request, task_id: int, data: dict) -> None:
        raise NotImplementedError

    def handle(self, request, pk: int):
        data = _parse(self.input_serializer, request.data) if self.input_serializer else {}
        self.act(request, pk, data)
        return Response(_task_out(pk))


def _task_action_schema(summary: str, request=None):
    return extend_schema(
        tags=["tasks"],
        summary=summary,
        request=request,
        responses={200: s.TaskOut, **ERROR_RESPONSES(400, 401, 403, 404, 409)},
    )


class ClaimView(_TaskActionView):
    def act(self, request, task_id, data):
        services.task_claim(task=task_id, by=request.user)

    @_task_action_schema("Take an open task of your agency and role")
    def post(self, request, pk: int):
        return self.handle(request, pk)


class ReleaseView(_TaskActionView):
    def act(self, request, task_id, data):
        services.task_release(task=task_id, by=request.user)

    @_task_action_schema("Put a claimed task back in the agency's queue")
    def post(self, request, pk: int):
        return self.handle(request, pk)


class CompleteView(_TaskActionView):
    input_serializer = s.DecisionIn

    def act(self, request, task_id, data):
        services.task_complete(
            task=task_id,
            by=request.user,
            decision=data["decision"],
            note=data["note"],
            missing_documents=[dict(d) for d in data.get("missing_documents", [])],
            reasons=data.get("reasons", []),
        )

    @extend_schema(
        tags=["tasks"],
        summary="Finish a step: approve, send back, request a supplement or refuse",
        request=s.DecisionIn,
        responses={200: s.TaskOut, **ERROR_RESPONSES(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Approve", value={"decision": "approve", "note": "Hồ sơ hợp lệ."}, request_only=True
            ),
            OpenApiExample(
                "Request a supplement",
                value={
                    "decision": "request_supplement",
                    "note": "Thiếu bản sao giấy chứng sinh.",
                    "missing_documents": [{"name": "Giấy chứng sinh", "kind": "copy", "count": 1}],
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request, pk: int):
        return self.handle(request, pk)


class ReassignView(_TaskActionView):
    input_serializer = s.ReassignIn

    def act(self, request, task_id, data):
        to_user = get_user_model().objects.filter(username=data["to_user"], is_active=True).first()
        if to_user is None:
            raise InvalidInput("Không có cán bộ này.", fields={"to_user": ["Không tồn tại."]})
        services.task_reassign(task=task_id, by=request.user, to_user=to_user)

    @_task_action_schema("Hand an open task to another officer (supervisor)", s.ReassignIn)
    def post(self, request, pk: int):
        return self.handle(request, pk)
