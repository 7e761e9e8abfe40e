"""Serializers of the dossier and task API: input shapes (the services check the meaning) and
output representations. Output serializers read only what the selectors fetched."""

from django.utils import timezone
from rest_framework import serializers

from core import limits
from procedures.models import DocumentKind
from workflows.applicants import validate_applicant
from workflows.models import ApplicantKind, Channel, Decision, DossierStatus

from .fields import AwareDateTime, BoundedDate, Integer, Text
from .procedures import CodeNameSerializer as CodeName

# --- input -----------------------------------------------------------------------------------------
# Every text is a ``Text`` (NFC), every time an ``AwareDateTime`` (offset required, sane year), every
# list bounded; the numbers live in ``core.limits`` (README "Input limits").


class ApplicantIn(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ApplicantKind.choices, required=False, default=ApplicantKind.PERSON
    )
    name = Text(max_length=limits.MAX_NAME_CHARS)
    id_number = Text(max_length=32)
    phone = Text(max_length=20, required=False, allow_blank=True, default="")
    email = Text(max_length=254, required=False, allow_blank=True, default="")
    address = Text(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        """The applicant rules are ``workflows.applicants.validate_applicant``'s, the services' own:
        its ``InvalidInput`` is the same 400 the service would give."""
        validate_applicant(dict(attrs))
        return attrs


class DocumentIn(serializers.Serializer):
    name = Text(max_length=limits.MAX_DOCUMENT_NAME_CHARS)
    kind = serializers.ChoiceField(
        choices=DocumentKind.choices, required=False, default=DocumentKind.ORIGINAL
    )
    count = Integer(min_value=1, max_value=1000, required=False, default=1)


def _too_many(limit: int) -> dict[str, str]:
    return {"max_length": f"Tối đa {limit} mục.", "min_length": "Cần ít nhất {min_length} mục."}


def _documents(limit: int = limits.MAX_DOCUMENTS, **kwargs) -> DocumentIn:
    return DocumentIn(many=True, max_length=limit, error_messages=_too_many(limit), **kwargs)


def _reasons(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=Text(max_length=limits.MAX_TEXT_CHARS),
        max_length=limits.MAX_REASONS,
        error_messages=_too_many(limits.MAX_REASONS),
        **kwargs,
    )


class IntakeIn(serializers.Serializer):
    procedure = Text(max_length=32, help_text="National code of the procedure, e.g. 1.001193")
    applicant = ApplicantIn()
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = AwareDateTime(
        required=False,
        help_text="Earlier time for a paper dossier entered late, with its offset; never in the future.",
    )
    documents = _documents(required=False)


class DossierCreateIn(IntakeIn):
    completed_on_spot = _documents(required=False, help_text="Documents completed at the desk.")


class RefusalIn(IntakeIn):
    reasons = _reasons(min_length=1)


class DecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = Text(max_length=limits.MAX_TEXT_CHARS, required=False, allow_blank=True, default="")
    missing_documents = _documents(
        limits.MAX_MISSING_DOCUMENTS, required=False, help_text="For request_supplement."
    )
    reasons = _reasons(required=False, help_text="For refuse.")


class ReassignIn(serializers.Serializer):
    to_user = Text(max_length=150, help_text="Username of the officer who takes the task.")


class SupplementIn(serializers.Serializer):
    documents = _documents(min_length=1)


class ExtendIn(serializers.Serializer):
    new_due_at = AwareDateTime(help_text="The new appointment, with its offset (e.g. +07:00).")
    reason = Text(max_length=limits.MAX_TEXT_CHARS)


class WithdrawIn(serializers.Serializer):
    reason = Text(max_length=limits.MAX_TEXT_CHARS, required=False, allow_blank=True, default="")


LOOKUP_KEY_HELP = "The key printed on the receipt; or send it in the X-Lookup-Key header."


class RatingIn(serializers.Serializer):
    key = Text(max_length=64, required=False, help_text=LOOKUP_KEY_HELP)
    score = Integer(min_value=1, max_value=5)
    comment = Text(max_length=limits.MAX_COMMENT_CHARS, required=False, allow_blank=True, default="")


class DossierListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=DossierStatus.choices, required=False)
    procedure = Text(max_length=32, required=False)
    agency = Text(max_length=13, required=False, help_text="Receiving agency code.")
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    received_from = BoundedDate(required=False)
    received_to = BoundedDate(required=False)
    search = Text(
        max_length=limits.MAX_SEARCH_CHARS, required=False, help_text="Code prefix or applicant name."
    )

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_to")
        if start and end and start > end:
            raise serializers.ValidationError({"received_to": ["Phải sau hoặc bằng received_from."]})
        return attrs


class TaskListQuery(serializers.Serializer):
    assigned = serializers.ChoiceField(choices=["me", "none"], required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    dossier = Text(max_length=40, required=False, help_text="Dossier code (or its prefix).")


class PublicLookupQuery(serializers.Serializer):
    key = Text(max_length=64, required=False, help_text=LOOKUP_KEY_HELP)


# --- output ----------------------------------------------------------------------------------------


class StepOut(serializers.Serializer):
    order = serializers.IntegerField()
    stage = serializers.IntegerField()
    name = serializers.CharField()
    budget_hours = serializers.IntegerField()


def _overdue(due_at, finished) -> bool:
    return not finished and due_at is not None and due_at < timezone.now()


class TaskOut(serializers.Serializer):
    id = serializers.IntegerField()
    dossier = serializers.CharField(source="dossier.code")
    procedure = CodeName(source="dossier.procedure")
    step = StepOut()
    agency = CodeName()
    role = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField()
    assigned_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    decision = serializers.CharField()
    verdict = serializers.CharField()

    def get_overdue(self, task) -> bool:
        return task.status == "open" and _overdue(task.due_at, task.finished_at)


class DossierTaskOut(TaskOut):
    """A task inside a dossier's representation (the dossier is the parent)."""

    dossier = None
    procedure = None


class ApplicantOut(serializers.Serializer):
    kind = serializers.CharField(source="applicant_kind")
    name = serializers.CharField(source="applicant_name")
    id_number = serializers.CharField(source="applicant_id_number")
    phone = serializers.CharField(source="applicant_phone")
    email = serializers.CharField(source="applicant_email")
    address = serializers.CharField(source="applicant_address")


class DossierSummaryOut(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    procedure = CodeName()
    receiving_agency = CodeName()
    channel = serializers.CharField()
    applicant = ApplicantOut(source="*")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()
    verdict = serializers.CharField()
    extended = serializers.BooleanField()

    def get_overdue(self, dossier) -> bool:
        return dossier.status in ("processing",) and _overdue(dossier.due_at, dossier.finished_at)


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    step = serializers.CharField(source="step.name", allow_null=True, default=None)
    agency = serializers.CharField(source="agency.code", allow_null=True, default=None)
    due_at = serializers.DateTimeField(allow_null=True)
    verdict = serializers.CharField()
    reason = serializers.CharField()


class PauseOut(serializers.Serializer):
    stage = serializers.IntegerField()
    mode = serializers.CharField()
    missing_documents = serializers.JSONField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class DossierDetailOut(DossierSummaryOut):
    original_due_at = serializers.DateTimeField(allow_null=True)
    documents = serializers.JSONField()
    reasons = serializers.JSONField()
    current_stage = serializers.IntegerField()
    stage_count = serializers.IntegerField()
    version = serializers.IntegerField(source="version.number")
    processing_hours = serializers.FloatField(allow_null=True)
    paused_hours = serializers.FloatField()
    tasks = DossierTaskOut(many=True)
    events = EventOut(many=True)
    pauses = PauseOut(many=True)


class DossierCreatedOut(DossierSummaryOut):
    lookup_key = serializers.CharField(help_text="Printed on the receipt; shown only in this response.")
    open_tasks = DossierTaskOut(many=True)


class RefusalOut(DossierSummaryOut):
    reasons = serializers.JSONField()


# --- the citizen's view: no personal data, no staff names -------------------------------------------
# They describe ``workflows.public_status.dossier_public_status``'s dict (the schema's source of
# truth); the endpoint renders it with ``api.rows.public_dossier_row``, which gives the same.


class PublicStepOut(serializers.Serializer):
    step = serializers.CharField()
    agency = serializers.CharField()
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    verdict = serializers.CharField()


class PublicPauseOut(serializers.Serializer):
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    missing_documents = serializers.ListField(child=serializers.CharField())


class PublicExtensionOut(serializers.Serializer):
    previous_due_at = serializers.DateTimeField()
    new_due_at = serializers.DateTimeField()


class PublicDossierOut(serializers.Serializer):
    code = serializers.CharField()
    procedure = CodeName()
    receiving_agency = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()
    current_steps = PublicStepOut(many=True)
    history = PublicStepOut(many=True)
    pauses = PublicPauseOut(many=True)
    extension = PublicExtensionOut(allow_null=True)
    rated = serializers.BooleanField()


class RatingOut(serializers.Serializer):
    dossier = serializers.CharField(source="dossier.code")
    score = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
