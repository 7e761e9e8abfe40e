"""The plain data each printed form is drawn from. The selectors fill them from the database; the
layouts read nothing else, so the UI, the API and the tests print the same thing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AgencyInfo:
    code: str
    name: str
    parent_name: str = ""


@dataclass(frozen=True)
class FormHeader:
    agency: AgencyInfo
    place: str
    issued_at: dt.datetime


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    is_organisation: bool = False


@dataclass(frozen=True)
class DocumentLine:
    name: str
    kind: str  # "Bản chính", "Bản sao chứng thực", "Bản sao"
    count: int = 1


@dataclass(frozen=True)
class Signature:
    title: str
    name: str = ""
    hint: str = ""


@dataclass(frozen=True)
class DossierForm:
    """What every dossier form shows: header, code, procedure, applicant, the QR payload."""

    header: FormHeader
    code: str
    procedure_code: str
    procedure_name: str
    applicant: Applicant
    received_at: dt.datetime
    qr: str


@dataclass(frozen=True)
class Receipt(DossierForm):
    documents: tuple[DocumentLine, ...] = ()
    sets: int = 1
    legal_duration: str = ""
    committed_duration: str = ""
    due_at: dt.datetime | None = None
    collect_at: str = ""
    fee: int = 0
    lookup_key: str | None = None  # the plain key, only when the caller proved it knows it
    officer: str = ""


@dataclass(frozen=True)
class SupplementRequest(DossierForm):
    requested_at: dt.datetime | None = None
    missing: tuple[DocumentLine, ...] = ()
    reason: str = ""
    officer: str = ""
    officer_agency: str = ""


@dataclass(frozen=True)
class Refusal(DossierForm):
    at_intake: bool = True
    refused_at: dt.datetime | None = None
    reasons: tuple[str, ...] = ()
    officer: str = ""


@dataclass(frozen=True)
class Apology(DossierForm):
    original_due_at: dt.datetime | None = None
    new_due_at: dt.datetime | None = None
    reason: str = ""
    head: str = ""
    signed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Withdrawal(DossierForm):
    withdrawn_at: dt.datetime | None = None
    reason: str = ""
    documents: tuple[DocumentLine, ...] = ()
    officer: str = ""


@dataclass(frozen=True)
class HandOff:
    """One row of the process control sheet."""

    giver_agency: str
    receiver_agency: str
    at: dt.datetime
    giver: str = ""
    receiver: str = ""
    received_at: dt.datetime | None = None
    verdict: str = ""
    note: str = ""


@dataclass(frozen=True)
class ControlSheet(DossierForm):
    due_at: dt.datetime | None = None
    handling_agencies: tuple[str, ...] = ()
    rows: tuple[HandOff, ...] = ()


@dataclass(frozen=True)
class TrackingBook:
    """The tracking book of one agency and period; ``rows`` is a one-pass iterator of dicts
    (``.values()`` of a streamed queryset, see ``selectors.TRACKING_COLUMNS``)."""

    header: FormHeader
    date_from: dt.date
    date_to: dt.date
    qr: str = ""
    rows: Iterable[dict] = field(default_factory=tuple)
