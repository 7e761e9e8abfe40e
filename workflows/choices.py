"""The choices of the workflow's tables: statuses, channels, results, verdicts, decisions, the
audit trail's actions. Kept apart from the tables (``workflows.models`` imports them from here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    PROCESSING = "processing", _("Đang xử lý")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Chờ bổ sung hồ sơ")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REJECTED = "rejected", _("Từ chối tiếp nhận")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


OPEN_STATUSES = (DossierStatus.PROCESSING, DossierStatus.WAITING_SUPPLEMENT)
# Statuses a dossier passes through: their dossiers do not pile up with the years, so a list of
# one of them reads a bounded set (the partial index ``dossier_passing_received``).
PASSING_STATUSES = (*OPEN_STATUSES, DossierStatus.RESULT_READY)


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Result(models.TextChoices):
    APPROVED = "approved", _("Giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")


class Verdict(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Decision(models.TextChoices):
    """What a processing officer decides on a step."""

    APPROVE = "approve", _("Đồng ý, chuyển bước tiếp theo")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối giải quyết")


class EventAction(models.TextChoices):
    """The kinds of rows in the process control sheet; one per transition."""

    REGISTERED = "registered", _("Tiếp nhận hồ sơ")
    REFUSED_AT_INTAKE = "refused_at_intake", _("Từ chối tiếp nhận")
    CLAIMED = "claimed", _("Nhận xử lý")
    RELEASED = "released", _("Trả lại hàng chờ")
    REASSIGNED = "reassigned", _("Điều chuyển")
    APPROVED = "approved", _("Đồng ý, chuyển tiếp")
    SENT_BACK = "sent_back", _("Trả lại bước trước")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    REFUSED = "refused", _("Từ chối giải quyết")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Nhận hồ sơ bổ sung")
    EXTENDED = "extended", _("Gia hạn, xin lỗi")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    RESULT_RETURNED = "result_returned", _("Trả kết quả")
    RATED = "rated", _("Đánh giá mức độ hài lòng")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    DONE = "done", _("Đã xử lý")
    CANCELLED = "cancelled", _("Đã hủy")
