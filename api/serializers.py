"""Serializers of the dossier and task API: input shapes (the services check the meaning) and
output representations. Output serializers read only what the selectors fetched."""

from django.utils import timezone
from rest_framework import serializers

from procedures.models import DocumentKind
from workflows.applicants import validate_applicant
from workflows.models import ApplicantKind, Channel, Decision, DossierStatus

from .procedures import CodeNameSerializer as CodeName

# --- input -----------------------------------------------------------------------------------------


class ApplicantIn(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ApplicantKind.choices, required=False, default=ApplicantKind.PERSON
    )
    name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        """The applicant rules are ``workflows.applicants.validate_applicant``'s, the services' own:
        its ``InvalidInput`` is the same 400 the service would give."""
        validate_applicant(dict(attrs))
        return attrs


class DocumentIn(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(
        choices=DocumentKind.choices, required=False, default=DocumentKind.ORIGINAL
    )
    count = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=1)


class IntakeIn(serializers.Serializer):
    procedure = serializers.CharField(
        max_length=32, help_text="National code of the procedure, e.g. 1.001193"
    )
    applicant = ApplicantIn()
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = serializers.DateTimeField(
        required=False, help_text="Earlier time for a paper dossier entered late; never in the future."
    )
    documents = DocumentIn(many=True, required=False)


class DossierCreateIn(IntakeIn):
    completed_on_spot = DocumentIn(many=True, required=False, help_text="Documents completed at the desk.")


class RefusalIn(IntakeIn):
    reasons = serializers.ListField(child=serializers.CharField(max_length=1000), min_length=1)


class DecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    missing_documents = DocumentIn(many=True, required=False, help_text="For request_supplement.")
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=1000), required=False, help_text="For refuse."
    )


class ReassignIn(serializers.Serializer):
    to_user = serializers.CharField(max_length=150, help_text="Username of the officer who takes the task.")


class SupplementIn(serializers.Serializer):
    documents = DocumentIn(many=True, min_length=1)


class ExtendIn(serializers.Serializer):
    new_due_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=5000)


class WithdrawIn(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class RatingIn(serializers.Serializer):
    key = serializers.CharField(max_length=64)
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DossierListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=DossierStatus.choices, required=False)
    procedure = serializers.CharField(max_length=32, required=False)
    agency = serializers.CharField(max_length=13, required=False, help_text="Receiving agency code.")
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    search = serializers.CharField(max_length=255, required=False, help_text="Code prefix or applicant name.")

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_to")
        if start and end and start > end:
            raise serializers.ValidationError({"received_to": ["Phải sau hoặc bằng received_from."]})
        return attrs


class TaskListQuery(serializers.Serializer):
    assigned = serializers.ChoiceField(choices=["me", "none"], required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    dossier = serializers.CharField(max_length=40, required=False, help_text="Dossier code (or its prefix).")


class PublicLookupQuery(serializers.Serializer):
    key = serializers.CharField(max_length=64, help_text="The lookup key printed on the receipt.")


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


class PublicStepOut(serializers.Serializer):
    step = serializers.CharField(source="step.name")
    agency = serializers.CharField(source="agency.name")
    started_at = serializers.DateTimeField(source="created_at")
    due_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    verdict = serializers.CharField()


class PublicDossierOut(serializers.Serializer):
    code = serializers.CharField()
    procedure = CodeName()
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()
    current_steps = PublicStepOut(many=True)
    history = PublicStepOut(many=True)
    rated = serializers.BooleanField()


class RatingOut(serializers.Serializer):
    dossier = serializers.CharField(source="dossier.code")
    score = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
