"""``/api/v1/open-data/``: the public catalogue (DCAT-style JSON-LD) and each dataset as CSV or JSON.

No login; throttled with the public rate; every answer is cached for
``ONESTOP_OPEN_DATA_CACHE_SECONDS`` (``core.cached``: computed on each call while Redis is down).
No personal data: see ``reports.opendata`` (suppression of small cells) and README › Open data.
"""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.cached import cached
from core.dbrouter import reads_from_replica
from core.exceptions import NotFound
from reports import opendata
from reports.opendata_meta import DATASETS, DICTIONARY_COLUMNS, LICENSE, dictionary_rows
from reports.periods import Period, make_period

from .reports import JSONOnly, parse_period
from .schema import ERROR_RESPONSES
from .throttling import PublicThrottle

COLUMNS = {
    **dict.fromkeys(opendata.MONTHLY_GROUPS, opendata.MONTHLY_COLUMNS),
    "procedures": opendata.CATALOG_COLUMNS,
    "ii06a-quarterly": opendata.II06A_COLUMNS,
    "dictionary": DICTIONARY_COLUMNS,
}
PERIODIC = (*opendata.MONTHLY_GROUPS, "ii06a-quarterly")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


def _period(query) -> Period:
    if query.get("from") or query.get("to"):
        return parse_period(query)
    first, last = opendata.default_dates(timezone.localdate())
    return make_period(date_from=first, date_to=last, tz=timezone.get_default_timezone())


def dataset_rows(dataset: str, period: Period) -> list[dict]:
    if dataset in opendata.MONTHLY_GROUPS:
        return opendata.monthly_dataset(period=period, group_by=opendata.MONTHLY_GROUPS[dataset])
    if dataset == "ii06a-quarterly":
        return opendata.ii06a_dataset(period=period)
    if dataset == "procedures":
        return opendata.catalog_dataset()
    return dictionary_rows({name: COLUMNS[name] for name in DATASETS if name != "dictionary"})


def render_csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([["" if row.get(c) is None else row.get(c) for c in columns] for row in rows])
    return out.getvalue().encode("utf-8")


def render_json(dataset: str, period: Period | None, rows) -> bytes:
    vi, en = DATASETS[dataset]["vi"], DATASETS[dataset]["en"]
    body = {
        "dataset": dataset,
        "title": {"vi": vi[0], "en": en[0]},
        "period": period.as_dict() if period else None,
        "min_cell": opendata.min_cell(),
        "license": LICENSE,
        "columns": list(COLUMNS[dataset]),
        "rows": rows,
    }
    return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")


def _url(name: str, **kwargs) -> str:
    return settings.ONESTOP_PUBLIC_BASE_URL + reverse(f"api:{name}", kwargs=kwargs)


def catalogue(period: Period) -> dict:
    """The DCAT catalogue: one ``dcat:Dataset`` per dataset, a CSV and a JSON distribution each."""
    first, last = opendata.coverage()
    dictionary = _url("open-data-dataset", dataset="dictionary", fmt="json")
    datasets = []
    for name, texts in DATASETS.items():
        periodic = name in PERIODIC
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "dct:identifier": name,
                "dct:title": [{"@language": lang, "@value": texts[lang][0]} for lang in ("vi", "en")],
                "dct:description": [{"@language": lang, "@value": texts[lang][1]} for lang in ("vi", "en")],
                "dct:license": LICENSE,
                "dct:modified": timezone.localdate().isoformat(),
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": first.isoformat() if periodic and first else None,
                    "dcat:endDate": last.isoformat() if periodic and last else None,
                },
                "describedBy": dictionary,
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:format": fmt.upper(),
                        "dcat:mediaType": media,
                        "dcat:downloadURL": _url("open-data-dataset", dataset=name, fmt=fmt),
                    }
                    for fmt, media in MEDIA_TYPES.items()
                ],
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "describedBy": {"@id": "http://www.w3.org/ns/dcat#describedBy", "@type": "@id"},
        },
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@language": "vi", "@value": "Dữ liệu mở về giải quyết thủ tục hành chính"},
            {"@language": "en", "@value": "Open data on administrative procedures"},
        ],
        "dct:license": LICENSE,
        "default_period": period.as_dict(),
        "min_cell": opendata.min_cell(),
        "dcat:dataset": datasets,
    }


class _OpenDataView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    content_negotiation_class = JSONOnly


def _cached_response(key: str, content_type: str, build) -> HttpResponse:
    body = cached(key, settings.ONESTOP_OPEN_DATA_CACHE_SECONDS, build)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={settings.ONESTOP_OPEN_DATA_CACHE_SECONDS}"
    return response


class CatalogueView(_OpenDataView):
    @extend_schema(
        tags=["open data"],
        summary="The open-data catalogue (DCAT, JSON-LD): datasets and their CSV/JSON downloads",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **ERROR_RESPONSES(429)},
        auth=[],
    )
    def get(self, request):
        period = _period({})
        key = f"opendata:v1:catalogue:{period.date_from}:{opendata.min_cell()}"

        def build() -> bytes:
            with reads_from_replica():
                return json.dumps(catalogue(period), ensure_ascii=False).encode()

        return _cached_response(key, "application/ld+json", build)


class DatasetView(_OpenDataView):
    @extend_schema(
        tags=["open data"],
        summary="One open dataset as CSV or JSON",
        description=(
            "Datasets: " + ", ".join(DATASETS) + ". Counts below `ONESTOP_OPEN_DATA_MIN_CELL` dossiers are "
            "empty, with the rates derived from them. Period: the twelve whole months before this one "
            "unless `from`/`to` are given (at most 36 months). Column definitions: the `dictionary` dataset."
        ),
        parameters=[
            OpenApiParameter("dataset", str, OpenApiParameter.PATH, enum=list(DATASETS)),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(MEDIA_TYPES)),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (local date)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included."),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="`.csv`: a header row of column names"
            ),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="`.json`: `columns`, `rows`"
            ),
            **ERROR_RESPONSES(400, 404, 429),
        },
        auth=[],
    )
    def get(self, request, dataset: str, fmt: str):
        if dataset not in DATASETS or fmt not in MEDIA_TYPES:
            raise NotFound("Không có tập dữ liệu này.")
        period = _period(request.query_params) if dataset in PERIODIC else None
        if period is not None:
            opendata.split(period)  # 400 for a too long period before anything is cached
        span = f"{period.date_from}:{period.date_to}" if period else "-"
        key = f"opendata:v1:{dataset}:{fmt}:{span}:{opendata.min_cell()}"

        def build() -> bytes:
            with reads_from_replica():
                rows = dataset_rows(dataset, period)
            return render_csv(COLUMNS[dataset], rows) if fmt == "csv" else render_json(dataset, period, rows)

        response = _cached_response(key, MEDIA_TYPES[fmt], build)
        response["Content-Disposition"] = f'inline; filename="{dataset}.{fmt}"'
        return response


urlpatterns = [
    path("open-data/", CatalogueView.as_view(), name="open-data"),
    path("open-data/<slug:dataset>.<str:fmt>", DatasetView.as_view(), name="open-data-dataset"),
]
