"""Who may do what: the one module that decides it.

Every way in (the services, the selectors, the API, the admin, the staff UI, the reports and the
printed forms) asks this module and nothing else. Each named action has a one-line description;
``can(user, action, obj)`` answers yes or no, ``require(...)`` raises ``NotAllowed`` with the
message a person can act on, and the ``visible_*`` querysets say what a user may see.

The predicates read only the user's roles and agency (cached on the user) and the object's own
columns, so a page can ask them for every row without a query per row. The one exception is
``VIEW_DOSSIER`` for staff of an agency that neither received the dossier nor holds a task of it
in the prefetched ``tasks``: then one indexed query answers.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, QuerySet, When

from core.exceptions import NotAllowed
from core.roles import Role, agency_id_of, has_role, roles_of

from .models import Dossier, DossierAgency, DossierTask, TaskStatus
from .rules import CLOCK_RUNNING_STATUS as RUNNING


class Action(enum.StrEnum):
    """A thing a user may or may not do. The value is stable (it appears in the UI and the logs)."""

    REGISTER = "register"  # receive a dossier of a procedure at its receiving agency (or refuse it at intake)
    RECEIVE_SUPPLEMENT = "receive_supplement"  # record the completed documents brought back
    WITHDRAW = "withdraw"  # record the applicant's request to withdraw
    RETURN_RESULT = "return_result"  # hand the result over to the applicant
    CLAIM = "claim"  # take an open task of one's agency and role from the queue
    COMPLETE = "complete"  # decide a task (approve, send back, request a supplement, refuse)
    RELEASE = "release"  # put a claimed task back in the queue
    REASSIGN = "reassign"  # hand a task to another officer (supervisors)
    EXTEND = "extend"  # sign the apology letter with a new appointment (heads)
    VIEW_DOSSIER = "view_dossier"  # see a dossier, its tasks and its timeline
    VIEW_PERSONAL_DATA = "view_personal_data"  # see the applicant's name, ID number, phone, e-mail
    VIEW_MONITORING = "view_monitoring"  # the province-wide overdue / due-soon board
    VIEW_AGENCY_REPORTS = "view_agency_reports"  # the statistics of one agency
    VIEW_PROVINCE_REPORTS = "view_province_reports"  # the statistics of every agency
    MANAGE_CATALOG = "manage_catalog"  # edit procedures, calendars, users in the admin
    PRINT_TRACKING_BOOK = "print_tracking_book"  # print an agency's tracking book (sổ theo dõi hồ sơ)
    MANAGE_PORTAL_SYNC = "manage_portal_sync"  # see the national portal's outbox and retry its rows
    BUILD_PERIODIC_REPORTS = "build_periodic_reports"  # (re)build a period's report package by hand


DESCRIPTIONS: dict[Action, str] = {
    Action.REGISTER: "Tiếp nhận hồ sơ (hoặc từ chối tiếp nhận) của thủ tục do cơ quan mình tiếp nhận.",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung của hồ sơ do cơ quan mình tiếp nhận.",
    Action.WITHDRAW: "Nhận đơn rút hồ sơ do cơ quan mình tiếp nhận.",
    Action.RETURN_RESULT: "Trả kết quả hồ sơ do cơ quan mình tiếp nhận.",
    Action.CLAIM: "Nhận xử lý một bước của cơ quan mình, đúng vai trò của bước.",
    Action.COMPLETE: "Cho ý kiến xử lý một bước của cơ quan mình, đúng vai trò của bước.",
    Action.RELEASE: "Trả bước về hàng chờ (người đang xử lý hoặc quản lý Một cửa).",
    Action.REASSIGN: "Điều chuyển bước cho cán bộ khác (quản lý Một cửa).",
    Action.EXTEND: "Ký văn bản xin lỗi và hẹn lại (lãnh đạo cơ quan tiếp nhận hoặc xử lý).",
    Action.VIEW_DOSSIER: "Xem hồ sơ do cơ quan mình tiếp nhận hoặc xử lý (quản lý, quản trị: mọi hồ sơ).",
    Action.VIEW_PERSONAL_DATA: "Xem thông tin cá nhân của người nộp hồ sơ (như xem hồ sơ).",
    Action.VIEW_MONITORING: "Xem bảng theo dõi quá hạn, sắp đến hạn toàn tỉnh.",
    Action.VIEW_AGENCY_REPORTS: "Xem báo cáo thống kê của một cơ quan (lãnh đạo cơ quan đó).",
    Action.VIEW_PROVINCE_REPORTS: "Xem báo cáo thống kê toàn tỉnh (quản lý Một cửa, quản trị).",
    Action.MANAGE_CATALOG: "Quản trị danh mục thủ tục, lịch làm việc và người dùng.",
    Action.PRINT_TRACKING_BOOK: "In sổ theo dõi hồ sơ của cơ quan mình (quản lý Một cửa: mọi cơ quan).",
    Action.MANAGE_PORTAL_SYNC: "Xem và gửi lại hàng chờ đồng bộ lên Cổng dịch vụ công quốc gia.",
    Action.BUILD_PERIODIC_REPORTS: "Lập lại gói báo cáo định kỳ của kỳ đã qua (quản lý Một cửa, quản trị).",
}


def sees_everything(user) -> bool:
    """Supervisors and admins see every dossier of the province."""
    return has_role(user, Role.SUPERVISOR, Role.ADMIN)


def _agency_of(obj: Any) -> int | None:
    """The agency an object belongs to for the reception actions: a dossier's or a procedure's
    receiving agency, or an agency itself."""
    for attribute in ("receiving_agency_id", "agency_id"):
        value = getattr(obj, attribute, None)
        if value is not None:
            return value
    return getattr(obj, "pk", None)


def _reception_at(user, obj) -> bool:
    return has_role(user, Role.RECEPTION) and agency_id_of(user) == _agency_of(obj)


def _officer_of(user, task: DossierTask) -> bool:
    return agency_id_of(user) == task.agency_id and has_role(user, task.role)


def _involves_agency(dossier: Dossier, agency_id: int | None) -> bool:
    if agency_id is None:
        return False
    if dossier.receiving_agency_id == agency_id:
        return True
    prefetched = getattr(dossier, "_prefetched_objects_cache", {}).get("tasks")
    if prefetched is not None:
        return any(task.agency_id == agency_id for task in prefetched)
    return DossierTask.objects.filter(dossier_id=dossier.pk, agency_id=agency_id).exists()


def _view_dossier(user, dossier: Dossier) -> bool:
    return sees_everything(user) or _involves_agency(dossier, agency_id_of(user))


def _agency_reports(user, agency: Any = None) -> bool:
    if sees_everything(user):
        return True
    own = agency_id_of(user)
    return has_role(user, Role.HEAD) and own is not None and (agency is None or _agency_of(agency) == own)


def _tracking_book(user, agency: Any = None) -> bool:
    if sees_everything(user):
        return True
    own = agency_id_of(user)
    return has_role(user, Role.RECEPTION, Role.HEAD) and own is not None and _agency_of(agency) == own


_PREDICATES = {
    Action.REGISTER: _reception_at,
    Action.RECEIVE_SUPPLEMENT: _reception_at,
    Action.WITHDRAW: _reception_at,
    Action.RETURN_RESULT: _reception_at,
    Action.CLAIM: _officer_of,
    Action.COMPLETE: _officer_of,
    Action.RELEASE: lambda user, task: task.owner_id == user.pk or has_role(user, Role.SUPERVISOR),
    Action.REASSIGN: lambda user, task=None: has_role(user, Role.SUPERVISOR),
    Action.EXTEND: lambda user, dossier: (
        has_role(user, Role.HEAD) and _involves_agency(dossier, agency_id_of(user))
    ),
    Action.VIEW_DOSSIER: _view_dossier,
    Action.VIEW_PERSONAL_DATA: _view_dossier,
    Action.VIEW_MONITORING: lambda user, obj=None: sees_everything(user),
    Action.VIEW_AGENCY_REPORTS: _agency_reports,
    Action.VIEW_PROVINCE_REPORTS: lambda user, obj=None: sees_everything(user),
    Action.MANAGE_CATALOG: lambda user, obj=None: (
        bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ADMIN)
    ),
    Action.PRINT_TRACKING_BOOK: _tracking_book,
    Action.MANAGE_PORTAL_SYNC: lambda user, obj=None: sees_everything(user),
    Action.BUILD_PERIODIC_REPORTS: lambda user, obj=None: sees_everything(user),
}

# The message ``require`` raises, per action; a callable gets the user and the object.
_REFUSALS = {
    Action.REGISTER: "Chỉ cán bộ tiếp nhận (một cửa) của cơ quan có thẩm quyền mới được tiếp nhận hồ sơ.",
    Action.RECEIVE_SUPPLEMENT: "Chỉ cán bộ tiếp nhận (một cửa) của cơ quan có thẩm quyền mới được "
    "nhận hồ sơ bổ sung.",
    Action.WITHDRAW: "Chỉ cán bộ tiếp nhận (một cửa) của cơ quan có thẩm quyền mới được nhận đơn rút hồ sơ.",
    Action.RETURN_RESULT: "Chỉ cán bộ tiếp nhận (một cửa) của cơ quan có thẩm quyền mới được trả kết quả.",
    Action.CLAIM: lambda user, task: (
        "Bước này thuộc cơ quan khác."
        if agency_id_of(user) != task.agency_id
        else f"Bước này cần vai trò {Role(task.role).label}."
    ),
    Action.RELEASE: "Chỉ người đang xử lý hoặc quản lý Một cửa được trả lại bước này.",
    Action.REASSIGN: "Chỉ quản lý Một cửa được điều chuyển.",
    Action.EXTEND: lambda user, dossier: (
        "Chỉ lãnh đạo được ký văn bản xin lỗi và hẹn lại."
        if not has_role(user, Role.HEAD)
        else "Hồ sơ không thuộc cơ quan của bạn."
    ),
    Action.VIEW_DOSSIER: "Bạn không có quyền xem hồ sơ này.",
    Action.VIEW_PERSONAL_DATA: "Bạn không có quyền xem thông tin người nộp hồ sơ này.",
    Action.VIEW_MONITORING: "Chỉ quản lý Một cửa và quản trị được xem bảng theo dõi toàn tỉnh.",
    Action.VIEW_AGENCY_REPORTS: "Chỉ lãnh đạo, quản lý Một cửa và quản trị được xem báo cáo.",
    Action.VIEW_PROVINCE_REPORTS: "Chỉ quản lý Một cửa và quản trị được xem báo cáo toàn tỉnh.",
    Action.MANAGE_CATALOG: "Chỉ quản trị hệ thống được quản lý danh mục.",
    Action.PRINT_TRACKING_BOOK: "Chỉ cán bộ tiếp nhận, lãnh đạo của cơ quan, quản lý Một cửa và quản trị "
    "được in sổ theo dõi hồ sơ của cơ quan.",
    Action.MANAGE_PORTAL_SYNC: "Chỉ quản lý Một cửa và quản trị được xem và gửi lại hàng chờ đồng bộ Cổng.",
    Action.BUILD_PERIODIC_REPORTS: "Chỉ quản lý Một cửa và quản trị được lập lại báo cáo định kỳ.",
}
_REFUSALS[Action.COMPLETE] = _REFUSALS[Action.CLAIM]


def can(user, action: Action | str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (on ``obj``: a dossier, a task, a procedure or an agency)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(_PREDICATES[Action(action)](user, obj))


def require(user, action: Action | str, obj: Any = None) -> None:
    """Raise ``NotAllowed`` (403) with a message that says why, unless ``can(user, action, obj)``."""
    if can(user, action, obj):
        return
    message = _REFUSALS[Action(action)]
    if callable(message):
        message = message(user, obj)
    raise NotAllowed(message)


def allowed_actions(user, obj: Any, actions: list[Action] | tuple[Action, ...]) -> set[Action]:
    """The subset of ``actions`` the user may do on ``obj``: what a page shows buttons for."""
    return {action for action in actions if can(user, action, obj)}


# --- what a user may see, as querysets on indexed columns --------------------------------------


class _ProbedExists(Exists):
    """``EXISTS (…)`` that PostgreSQL keeps as one index probe per candidate row: with OFFSET 0
    it can neither become a join nor a hashed subplan, both of which read every visibility row of
    the agency (its whole history) to answer for a few candidates."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def running_due() -> Case:
    """A running dossier's due time, NULL for the others: the expression of the partial index
    ``dossier_running_due`` (PostgreSQL, migration 0018, with its statistics). Filtering the
    province's running dossiers on ``due_at`` itself, the planner judged the due times by the
    whole table's, nearly all past, and walked every running dossier to find the late ones
    (12,385 buffers at 10 M); the expression has statistics of its own (539 late: 547 buffers)."""
    return Case(When(status=RUNNING, then=F("due_at")), output_field=DateTimeField())


def _due_bounds(passing: str | None, due_before=None, due_window=None) -> dict:
    """``{comparison: instant}`` of the due time that ``passing`` lists ask for: before
    ``due_before`` (``lt``), within ``due_window`` (after ``gt``, until ``lte``). Empty without a
    ``passing`` status."""
    bounds = {}
    if passing and due_before is not None:
        bounds["lt"] = due_before
    if passing and due_window is not None:
        bounds["gt"], bounds["lte"] = due_window
    return bounds


def _lookups(column: str, bounds: dict) -> dict:
    """``_due_bounds`` as filter keywords on ``column`` (``due_at``, a visibility row's, …)."""
    return {f"{column}__{comparison}": instant for comparison, instant in bounds.items()}


def visible_dossiers(
    user, *, probe: bool = False, passing: str | None = None, due_before=None, due_window=None
) -> QuerySet[Dossier]:
    """Dossiers the user may see: all for supervisors and admins; for other staff those received
    by their agency or with a task at their agency (the ``DossierAgency`` rows that
    ``workflows.visibility`` writes when that happens); none for anyone else.

    Each dossier carries ``listed_at``, its receipt time as the index that serves the user's
    lists holds it: ordering and date filters on ``listed_at`` read an agency's dossiers as one
    range of ``dossier_agency_listed`` (the dossier's own ``received_at`` indexes for supervisors).
    With ``probe=True``, for lists whose other filters select few dossiers on the dossier's own
    indexes (an open status, a narrow search), each candidate is tested by one probe of the
    visibility index instead, and ``listed_at`` is the dossier's ``received_at`` (the same value).
    With ``passing`` (a status of ``PASSING_STATUSES``), and ``due_before`` (an instant: due
    before it), only the dossiers of that status (due before it): for agency staff, those whose
    visibility rows say so, one range of the partial index ``dossier_agency_passing`` (see
    ``DossierAgency``) whatever the province's number of open dossiers; for supervisors, the
    dossier's own columns (``dossier_passing_received``). ``due_window`` (after, until), with
    ``passing``: due after the first instant and by the second, read off the same rows.
    """
    due = _due_bounds(passing, due_before, due_window)
    if sees_everything(user):
        everything = Dossier.objects.all()
        if passing == RUNNING and due:
            # The running dossiers' due times by their own expression index (see ``running_due``).
            everything = everything.alias(running_due=running_due())
            everything = everything.filter(status=passing, **_lookups("running_due", due))
        elif passing:
            everything = everything.filter(status=passing, **_lookups("due_at", due))
        return everything.annotate(listed_at=F("received_at"))
    agency_id = agency_id_of(user)
    if agency_id is None:
        return Dossier.objects.none().annotate(listed_at=F("received_at"))
    if passing:
        # One filter() call: the conditions apply to the same visibility row (one join).
        row = {"visibility__agency_id": agency_id, "visibility__passing_status": passing}
        row.update(_lookups("visibility__due_at", due))
        return Dossier.objects.filter(**row).annotate(listed_at=F("visibility__received_at"))
    if probe:
        seen = DossierAgency.objects.filter(agency_id=agency_id, dossier_id=OuterRef("pk"))
        return Dossier.objects.filter(_ProbedExists(seen)).annotate(listed_at=F("received_at"))
    return Dossier.objects.filter(visibility__agency_id=agency_id).annotate(
        listed_at=F("visibility__received_at")
    )


def visible_dossiers_count(
    user,
    *,
    limit: int,
    passing: str | None = None,
    due_before=None,
    listed_from=None,
    listed_to=None,
) -> int | None:
    """How many dossiers a staff user of one agency may see, counted up to ``limit`` on the
    visibility rows alone (an index-only scan of at most ``limit`` entries): with ``passing`` and
    ``due_before`` as in ``visible_dossiers``, and received in ``[listed_from, listed_to)``. None
    for users who see everything: their count is the table's."""
    if sees_everything(user):
        return None
    agency_id = agency_id_of(user)
    if agency_id is None:
        return 0
    rows = DossierAgency.objects.filter(agency_id=agency_id)
    if passing:
        rows = rows.filter(passing_status=passing, **_lookups("due_at", _due_bounds(passing, due_before)))
    if listed_from is not None:
        rows = rows.filter(received_at__gte=listed_from)
    if listed_to is not None:
        rows = rows.filter(received_at__lt=listed_to)
    return rows.order_by()[:limit].count()


def workable_tasks_q(user) -> Q:
    """The open tasks a user may take or holds: their agency and a role they hold, or their own."""
    scope = Q(owner=user)
    agency_id = agency_id_of(user)
    if agency_id is not None:
        scope |= Q(agency_id=agency_id, role__in=roles_of(user))
    return scope & Q(status=TaskStatus.OPEN)


def report_agency_ids(user) -> list[int] | None:
    """The agencies whose reports a user may read: None = every agency; ``[id]`` = a head's own.
    Raises ``NotAllowed`` for anyone else."""
    if sees_everything(user):
        return None
    if has_role(user, Role.HEAD):
        agency_id = agency_id_of(user)
        if agency_id is None:
            raise NotAllowed("Lãnh đạo chưa được gắn với cơ quan nào.", code="no_agency")
        return [agency_id]
    raise NotAllowed(_REFUSALS[Action.VIEW_AGENCY_REPORTS])
