"""One selector per printed form: a dossier (or an agency and a period) to the form's plain data.

The API, the staff UI and the tests all call these, so they print the same thing. Each dossier
selector first checks that its form applies to the dossier as it is now and raises
``FormNotApplicable`` (404, with a message that says why) otherwise. Who may print is the caller's
business (``workflows.permissions``); the selectors take a dossier the caller may see.
"""

from __future__ import annotations

import datetime as dt
import hmac
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from core.exceptions import InvalidInput, NotFound
from procedures.models import Agency, DocumentKind, DurationUnit
from workflows.models import (
    Channel,
    Dossier,
    DossierExtension,
    DossierStatus,
    DossierTask,
    EventAction,
    Result,
    TaskStatus,
    Verdict,
)
from workflows.services import hash_lookup_key

from . import data as d

TRACKING_COLUMNS = (
    "code", "applicant_name", "applicant_address", "applicant_phone", "procedure__name", "received_at",
    "due_at", "finished_at", "returned_at", "status", "result", "extended", "verdict",
)  # fmt: skip
DOSSIER_RELATED = ("procedure", "version", "receiving_agency__parent", "created_by")


class FormNotApplicable(NotFound):
    """The form does not apply to the dossier yet (e.g. an apology without an extension)."""

    default_code = "form_not_applicable"

    def __init__(self, message: str):
        super().__init__(message, code="form_not_applicable")


# --- which form applies when (one home for the rule; ``printing.urls_for`` asks the same) ---------

APPLIES = {
    "receipt": (
        lambda o: o.status != DossierStatus.REJECTED,
        "Hồ sơ bị từ chối tiếp nhận, không có giấy tiếp nhận.",
    ),
    "supplement-request": (lambda o: o.pauses.exists(), "Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện."),
    "refusal": (
        lambda o: o.status == DossierStatus.REJECTED or o.result == Result.REFUSED,
        "Hồ sơ không bị từ chối tiếp nhận hay từ chối giải quyết.",
    ),
    "apology": (
        lambda o: o.extended,
        "Hồ sơ chưa gia hạn: chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả.",
    ),
    "withdrawal": (
        lambda o: o.status == DossierStatus.WITHDRAWN,
        "Hồ sơ chưa rút: chưa có thông báo dừng giải quyết.",
    ),
    "control-sheet": (
        lambda o: o.status != DossierStatus.REJECTED,
        "Hồ sơ bị từ chối tiếp nhận, không có quá trình giải quyết.",
    ),
}


def applies(dossier: Dossier, form: str) -> bool:
    return bool(APPLIES[form][0](dossier))


def _require(dossier: Dossier, form: str) -> None:
    if not applies(dossier, form):
        raise FormNotApplicable(APPLIES[form][1])


# --- shared pieces --------------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _agency(agency: Agency) -> d.AgencyInfo:
    parent = agency.parent.name if agency.parent_id else ""
    return d.AgencyInfo(code=agency.code, name=agency.name, parent_name=parent)


def _header(agency: Agency, at: dt.datetime) -> d.FormHeader:
    return d.FormHeader(agency=_agency(agency), place=settings.ONESTOP_FORMS_PLACE, issued_at=at)


def _documents(items) -> tuple[d.DocumentLine, ...]:
    return tuple(
        d.DocumentLine(
            name=item.get("name", ""),
            kind=str(DocumentKind(item.get("kind") or DocumentKind.ORIGINAL).label),
            count=int(item.get("count") or 1),
        )
        for item in items or []
    )


def _duration(value: int, unit: str) -> str:
    return f"{value} {DurationUnit(unit).label}"


def stamp(at: dt.datetime) -> str:
    """``yyyyMMddHHmmss`` on the office clock, as the national portal writes times."""
    return f"{timezone.localtime(at):%Y%m%d%H%M%S}"


def form_qr(*, code: str, procedure_code: str, form: str, at: dt.datetime) -> str:
    """The QR payload of a form other than the receipt (Circular 01/2023/TT-VPCP)."""
    return f"MHS:{code}\nTTHC:{procedure_code}\nPHIEU:{form}\nTG:{stamp(at)}"


def lookup_url(code: str, key: str | None = None) -> str:
    """The citizen's status page; with the key, it opens the dossier without typing it."""
    url = f"{settings.ONESTOP_PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/{quote(code)}/"
    return f"{url}?key={quote(key)}" if key else url


def load(code: str, queryset=None) -> Dossier:
    """The dossier with what every form reads, from ``queryset`` (what the user may see)."""
    queryset = Dossier.objects.all() if queryset is None else queryset
    dossier = queryset.select_related(*DOSSIER_RELATED).filter(code=code).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return dossier


def _base(
    dossier: Dossier,
    form: str,
    at: dt.datetime | None,
    qr: str | None = None,
    dated: dt.datetime | None = None,
) -> dict:
    """The common fields. ``at`` is when the form is printed (the QR code's time); ``dated`` the
    date of the act the form records (the receipt's registration, the apology's signature, …)."""
    at = at or timezone.now()
    applicant = d.Applicant(
        name=dossier.applicant_name,
        id_number=dossier.applicant_id_number,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        is_organisation=dossier.applicant_kind == "organisation",
    )
    return {
        "header": _header(dossier.receiving_agency, dated or at),
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "applicant": applicant,
        "received_at": dossier.received_at,
        "qr": qr or form_qr(code=dossier.code, procedure_code=dossier.procedure.code, form=form, at=at),
    }


def _last_event(dossier: Dossier, action: str):
    return dossier.events.filter(action=action).select_related("actor").order_by("-at", "-id").first()


# --- the selectors, one per form ------------------------------------------------------------------

COLLECT_AT = {
    Channel.IN_PERSON: "Tại Bộ phận tiếp nhận và trả kết quả – {agency}",
    Channel.POSTAL: "Qua dịch vụ bưu chính công ích, theo địa chỉ người nộp",
    Channel.ONLINE: "Trực tuyến (bản điện tử) hoặc tại Bộ phận tiếp nhận và trả kết quả – {agency}",
}


def check_key(dossier: Dossier, key: str) -> str:
    """The plain lookup key, if it is this dossier's (it is stored only hashed); else 400."""
    if not key or not hmac.compare_digest(hash_lookup_key(key), dossier.lookup_key_hash or ""):
        raise InvalidInput("Mã tra cứu không đúng với hồ sơ này.", fields={"key": ["Mã tra cứu không đúng."]})
    return key.strip().upper()


def receipt(dossier: Dossier, *, key: str | None = None, at: dt.datetime | None = None) -> d.Receipt:
    """The receipt; with the plain ``key`` (checked against the hash) it prints the key and a QR
    code that opens the dossier, without it a QR code to the lookup page and a note."""
    _require(dossier, "receipt")
    plain = check_key(dossier, key) if key is not None else None
    version = dossier.version
    template = COLLECT_AT.get(dossier.channel, COLLECT_AT[Channel.IN_PERSON])
    return d.Receipt(
        **_base(dossier, "receipt", at, qr=lookup_url(dossier.code, plain), dated=dossier.received_at),
        documents=_documents(dossier.documents),
        sets=1,
        legal_duration=_duration(version.legal_duration_value, version.legal_duration_unit),
        committed_duration=_duration(version.committed_duration_value, version.committed_duration_unit),
        due_at=dossier.original_due_at or dossier.due_at,
        collect_at=template.format(agency=dossier.receiving_agency.name),
        fee=version.fee,
        lookup_key=plain,
        officer=_person(dossier.created_by),
    )


def supplement_request(dossier: Dossier, *, at: dt.datetime | None = None) -> d.SupplementRequest:
    """The latest request to complete the dossier."""
    _require(dossier, "supplement-request")
    pause = (
        dossier.pauses.select_related("requested_by__staff__agency").order_by("-started_at", "-id").first()
    )
    officer = pause.requested_by
    staff = getattr(officer, "staff", None) if officer else None
    return d.SupplementRequest(
        **_base(dossier, "supplement-request", at, dated=pause.started_at),
        requested_at=pause.started_at,
        missing=_documents(pause.missing_documents),
        reason=pause.note,
        officer=_person(officer),
        officer_agency=staff.agency.name if staff else dossier.receiving_agency.name,
    )


def refusal(dossier: Dossier, *, at: dt.datetime | None = None) -> d.Refusal:
    """Refused at the desk (the dossier's reasons) or refused on a step (that step's reasons)."""
    _require(dossier, "refusal")
    if dossier.status == DossierStatus.REJECTED:
        when, officer, reasons = dossier.received_at, dossier.created_by, dossier.reasons
    else:
        task = (
            dossier.tasks.filter(decision="refuse")
            .select_related("owner")
            .order_by("-finished_at", "-id")
            .first()
        )
        when = task.finished_at if task else dossier.finished_at
        officer = task.owner if task else None
        reasons = (task.reasons if task else None) or dossier.reasons
    return d.Refusal(
        **_base(dossier, "refusal", at, dated=when),
        at_intake=dossier.status == DossierStatus.REJECTED,
        refused_at=when,
        reasons=tuple(str(r) for r in reasons or ()),
        officer=_person(officer),
    )


def apology(dossier: Dossier, *, at: dt.datetime | None = None) -> d.Apology:
    _require(dossier, "apology")
    extension = DossierExtension.objects.select_related("created_by").get(dossier=dossier)
    return d.Apology(
        **_base(dossier, "apology", at, dated=extension.created_at),
        original_due_at=extension.previous_due_at,
        new_due_at=extension.new_due_at,
        reason=extension.reason,
        head=_person(extension.created_by),
        signed_at=extension.created_at,
    )


def withdrawal(dossier: Dossier, *, at: dt.datetime | None = None) -> d.Withdrawal:
    _require(dossier, "withdrawal")
    event = _last_event(dossier, EventAction.WITHDRAWN)
    return d.Withdrawal(
        **_base(dossier, "withdrawal", at, dated=dossier.withdrawn_at),
        withdrawn_at=dossier.withdrawn_at,
        reason=event.reason if event else "",
        documents=_documents(dossier.documents),
        officer=_person(event.actor if event else None),
    )


DESK = "Bộ phận tiếp nhận và trả kết quả"
TASK_STATE = {TaskStatus.OPEN: "Đang xử lý", TaskStatus.CANCELLED: "Đã hủy"}


def _task_rows(dossier: Dossier, tasks: list[DossierTask]) -> list[d.HandOff]:
    """A task is handed over by whoever finished last before it opened (the desk at first)."""
    rows = []
    desk = f"{DESK} – {dossier.receiving_agency.name}"
    for task in tasks:
        before = [t for t in tasks if t.finished_at and t.finished_at <= task.created_at and t is not task]
        previous = max(before, key=lambda t: (t.finished_at, t.pk), default=None)
        verdict = Verdict(task.verdict).label if task.verdict else TASK_STATE.get(task.status, "")
        decision = {"approve": "Đồng ý", "send_back": "Trả lại bước trước", "refuse": "Từ chối",
                    "request_supplement": "Yêu cầu bổ sung"}.get(task.decision, "")  # fmt: skip
        rows.append(
            d.HandOff(
                giver_agency=previous.agency.name if previous else desk,
                receiver_agency=f"{task.agency.name} ({task.step.name})",
                at=task.created_at,
                giver=_person(previous.owner) if previous else _person(dossier.created_by),
                receiver=_person(task.owner),
                received_at=task.started_at or task.assigned_at,
                verdict=str(verdict),
                note="; ".join(p for p in (decision, task.note) if p),
            )
        )
    return rows


def control_sheet(dossier: Dossier, *, at: dt.datetime | None = None) -> d.ControlSheet:
    """One row per hand-off: each step, each wait for a supplement, the result back at the desk
    and handed to the applicant; in time order."""
    _require(dossier, "control-sheet")
    tasks = list(dossier.tasks.select_related("agency", "owner", "step").order_by("created_at", "id"))
    rows = _task_rows(dossier, tasks)
    desk = f"{DESK} – {dossier.receiving_agency.name}"
    for pause in dossier.pauses.select_related("requested_by").all():
        rows.append(
            d.HandOff(
                desk,
                "Người nộp hồ sơ (bổ sung)",
                pause.started_at,
                _person(pause.requested_by),
                dossier.applicant_name,
                pause.ended_at,
                "",
                pause.note,
            )
        )
    last = max(
        (t for t in tasks if t.finished_at and t.status == TaskStatus.DONE),
        key=lambda t: t.finished_at,
        default=None,
    )
    if dossier.finished_at and last:
        verdict = Verdict(dossier.verdict).label if dossier.verdict else ""
        result = Result(dossier.result).label if dossier.result else ""
        rows.append(
            d.HandOff(
                last.agency.name,
                desk,
                dossier.finished_at,
                _person(last.owner),
                "",
                None,
                str(verdict),
                f"Có kết quả: {result}",
            )
        )
    if dossier.returned_at:
        event = _last_event(dossier, EventAction.RESULT_RETURNED)
        returner = _person(event.actor if event else None)
        rows.append(
            d.HandOff(
                desk,
                "Người nộp hồ sơ",
                dossier.returned_at,
                returner,
                dossier.applicant_name,
                None,
                "",
                "Trả kết quả",
            )
        )
    rows.sort(key=lambda r: r.at)
    agencies = tuple(dict.fromkeys(t.agency.name for t in tasks))
    return d.ControlSheet(
        **_base(dossier, "control-sheet", at),
        due_at=dossier.due_at,
        handling_agencies=agencies,
        rows=tuple(rows),
    )


def tracking_book(
    *,
    agency: Agency,
    start: dt.datetime,
    end: dt.datetime,
    date_from: dt.date,
    date_to: dt.date,
    at: dt.datetime | None = None,
) -> d.TrackingBook:
    """The dossiers received by ``agency`` in ``[start, end)``, oldest first, as a streamed
    iterator of ``.values()`` dicts (no model instance per row) over the (agency, received) index."""
    at = at or timezone.now()
    rows = (
        Dossier.objects.filter(receiving_agency=agency, received_at__gte=start, received_at__lt=end)
        .order_by("received_at", "id")
        .values(*TRACKING_COLUMNS)
        .iterator(chunk_size=1000)
    )
    qr = f"SOTHEODOI:{agency.code}\nTU:{date_from:%Y%m%d}\nDEN:{date_to:%Y%m%d}\nTG:{stamp(at)}"
    return d.TrackingBook(header=_header(agency, at), date_from=date_from, date_to=date_to, qr=qr, rows=rows)
