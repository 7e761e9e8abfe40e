"""Printed forms: ``GET /dossiers/{code}/forms/{form}.pdf`` and ``GET /reports/tracking-book/``.

Thin: find the dossier among those the user may see (``permissions.visible_dossiers``: another
agency's dossier is a 404, as in the dossier detail), call the form's one selector and its layout.
The receipt carries the lookup key only when the caller passes ``?key=`` with the plain key, which
is checked against the stored hash (the key is shown once, at registration; see README).
"""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from core.exceptions import InvalidInput
from core.roles import agency_id_of
from printing import selectors as forms
from printing.forms import tracking_book
from printing.registry import FORMS, render_form
from procedures.models import Agency
from workflows.permissions import Action, require, visible_dossiers

from .reports import JSONOnly, parse_period
from .schema import ERROR_RESPONSES

PDF = "application/pdf"
MAX_BOOK_DAYS = 366


def _file(content: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data, and the receipt's key
    return response


class DossierFormView(APIView):
    content_negotiation_class = JSONOnly

    @extend_schema(
        tags=["forms"],
        summary="A printed form of a dossier as PDF (A5)",
        description=(
            "Forms: " + ", ".join(f"`{slug}` ({spec.title})" for slug, spec in FORMS.items()) + ". "
            "404 for a dossier the user may not see, and for a form that does not apply to the "
            "dossier yet (the message says why). `key` (receipt only): the plain lookup key returned "
            "at registration; with it the receipt prints the key and a QR code that opens the "
            "dossier's status page; without it the QR code opens the lookup page and the key is not "
            "printed. A wrong key is a 400."
        ),
        parameters=[
            OpenApiParameter("form", str, OpenApiParameter.PATH, enum=list(FORMS)),
            OpenApiParameter("key", str, description="Receipt only: the plain lookup key."),
        ],
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY), **ERROR_RESPONSES(400, 401, 404)},
    )
    def get(self, request, code: str, form: str):
        if form not in FORMS:
            raise forms.FormNotApplicable(f"Không có mẫu phiếu '{form}'.")
        dossier = forms.load(code, visible_dossiers(request.user))
        key = request.query_params.get("key") if form == "receipt" else None
        pdf = render_form(dossier, form, key=key)
        return _file(pdf, PDF, f"{form}-{dossier.code}.pdf", inline=True)


def _book_agency(request) -> Agency:
    code = request.query_params.get("agency") or ""
    if not code:
        own = agency_id_of(request.user)
        if own is None:
            raise InvalidInput("Cần chọn cơ quan.", fields={"agency": ["Bắt buộc (mã cơ quan)."]})
        return Agency.objects.select_related("parent").get(pk=own)
    agency = Agency.objects.select_related("parent").filter(code=code[:20]).first()
    if agency is None:
        raise InvalidInput("Không có cơ quan này.", fields={"agency": ["Không tồn tại."]})
    return agency


class TrackingBookView(APIView):
    content_negotiation_class = JSONOnly

    @extend_schema(
        tags=["reports"],
        summary="The tracking book (sổ theo dõi hồ sơ) of an agency and a period, PDF (A4) or Excel",
        description=(
            "Dossiers received by the agency between `from` and `to` (local dates, at most "
            f"{MAX_BOOK_DAYS} days), oldest first. Reception officers and heads print their own "
            "agency's book (`agency` defaults to it); supervisors and admins any agency's."
        ),
        parameters=[
            OpenApiParameter("agency", str, description="Receiving agency code; default: your agency."),
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First day (local date)."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Last day, included."),
            OpenApiParameter("format", str, enum=["pdf", "xlsx"], description="pdf (default) or xlsx."),
        ],
        responses={
            (200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="`?format=pdf`"),
            (200, tracking_book.XLSX_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="`?format=xlsx`"
            ),
            **ERROR_RESPONSES(400, 401, 403),
        },
    )
    def get(self, request):
        query = request.query_params
        fmt = query.get("format") or "pdf"
        if fmt not in ("pdf", "xlsx"):
            raise InvalidInput("format phải là pdf hoặc xlsx.", fields={"format": ["pdf, xlsx."]})
        agency = _book_agency(request)
        require(request.user, Action.PRINT_TRACKING_BOOK, agency)
        if not query.get("from") or not query.get("to"):
            raise InvalidInput("Cần from và to.", fields={"from": ["Bắt buộc (YYYY-MM-DD)."]})
        period = parse_period({"from": query.get("from"), "to": query.get("to")})
        if period.date_to - period.date_from >= dt.timedelta(days=MAX_BOOK_DAYS):
            raise InvalidInput(
                f"Sổ theo dõi in tối đa {MAX_BOOK_DAYS} ngày một lần.",
                fields={"to": [f"Tối đa {MAX_BOOK_DAYS} ngày."]},
            )
        book = forms.tracking_book(
            agency=agency,
            start=period.start,
            end=period.end,
            date_from=period.date_from,
            date_to=period.date_to,
            at=timezone.now(),
        )
        name = f"so-theo-doi-{agency.code}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
        if fmt == "xlsx":
            return _file(
                tracking_book.render_tracking_book_xlsx(book),
                tracking_book.XLSX_TYPE,
                f"{name}.xlsx",
                inline=False,
            )
        return _file(tracking_book.render_tracking_book_pdf(book), PDF, f"{name}.pdf", inline=True)
