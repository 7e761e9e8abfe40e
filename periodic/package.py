"""The contents of a periodic package: the figures (from the report functions, the same the report
endpoints serve), and the Excel and PDF made from them.

Figures: form II.06a by agency and by field, the cutting progress per procedure, the Decision 766
indicators, and the dossiers resolved late in the period with and without an apology letter (code,
procedure, agency, appointment, finish; no personal data).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.core.serializers.json import DjangoJSONEncoder
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from printing import toolkit as T
from reports import columns as C
from reports import exports, selectors
from reports.periods import Period
from workflows.models import Dossier, Result, Verdict

LATE_COLUMNS = (
    ("code", "Mã hồ sơ"),
    ("procedure_code", "Mã thủ tục"),
    ("agency_code", "Mã đơn vị"),
    ("due_at", "Ngày hẹn trả"),
    ("finished_at", "Ngày có kết quả"),
    ("apology", "Có văn bản xin lỗi"),
)
PROCESSING_PAIRS = tuple((c.key, f"{c.group}: {c.header}") for c in C.PROCESSING_COLUMNS)


def late_dossiers(period: Period, agency_ids: Sequence[int] | None) -> list[dict]:
    qs = Dossier.objects.filter(
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        result__in=[Result.APPROVED, Result.REFUSED],
        verdict=Verdict.LATE,
    )
    if agency_ids is not None:
        qs = qs.filter(receiving_agency_id__in=list(agency_ids))
    rows = qs.order_by("finished_at", "code").values_list(
        "code", "procedure__code", "receiving_agency__code", "due_at", "finished_at", "extended"
    )
    return [
        {
            "code": code,
            "procedure_code": procedure,
            "agency_code": agency,
            "due_at": T.moment(due),
            "finished_at": T.moment(finished),
            "apology": "Có" if extended else "Không",
        }
        for code, procedure, agency, due, finished, extended in rows
    ]


def collect(*, period: Period, agency_ids: Sequence[int] | None, unit: str) -> dict:
    """Every figure of the package, as JSON-ready data (what the report endpoints return)."""
    figures = {
        "period": period.as_dict(),
        "unit": unit,
        "processing_by_agency": selectors.processing_report(
            period=period, group_by="agency", agency_ids=agency_ids, unit=unit
        ).as_dict(),
        "processing_by_field": selectors.processing_report(
            period=period, group_by="field", agency_ids=agency_ids, unit=unit
        ).as_dict(),
        "cutting": selectors.cutting_report(period=period, agency_ids=agency_ids, unit=unit).as_dict(),
        "indicators": selectors.indicators_report(period=period, agency_ids=agency_ids, unit=unit).as_dict(),
        "late_dossiers": late_dossiers(period, agency_ids),
    }
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))


def _sheets(figures: dict) -> list[tuple]:
    late = figures["late_dossiers"]
    with_apology = [r for r in late if r["apology"] == "Có"]
    without = [r for r in late if r["apology"] != "Có"]
    return [
        ("II.06a theo đơn vị", "Đơn vị", PROCESSING_PAIRS, *_rt(figures["processing_by_agency"])),
        ("II.06a theo lĩnh vực", "Lĩnh vực", PROCESSING_PAIRS, *_rt(figures["processing_by_field"])),
        ("Cắt giảm thời gian", "Thủ tục", C.CUTTING_COLUMNS, *_rt(figures["cutting"])),
        ("Chỉ số 766", "Đơn vị", C.INDICATOR_COLUMNS, *_rt(figures["indicators"])),
        ("Quá hạn có xin lỗi", "Hồ sơ", LATE_COLUMNS, with_apology, None),
        ("Quá hạn không xin lỗi", "Hồ sơ", LATE_COLUMNS, without, None),
    ]


def _rt(report: dict) -> tuple[list, dict]:
    return report["rows"], report["totals"]


def to_xlsx(figures: dict) -> bytes:
    return exports.table_xlsx(
        form="Báo cáo định kỳ tình hình giải quyết TTHC",
        title="GÓI BÁO CÁO ĐỊNH KỲ",
        report_label=figures["period"]["label"],
        unit=figures["unit"],
        sheets=_sheets(figures),
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def to_pdf(figures: dict) -> bytes:
    """One section per sheet, on A4 landscape, with the printing app's toolkit."""
    width = T.content_width(T.A4_LANDSCAPE)
    story: list = T.title(
        "Gói báo cáo định kỳ", subtitle=f"{figures['period']['label']} · {figures['unit'] or 'Toàn tỉnh'}"
    )
    for index, (name, label, columns, rows, totals) in enumerate(_sheets(figures)):
        if index:
            story.append(PageBreak())
        story += [Spacer(1, 3 * mm), T.para(T.esc(name), "subtitle"), Spacer(1, 2 * mm)]
        headers = ["STT", label, *[h for _k, h in columns]]
        body = [
            [str(i), row.get("name") or row.get("code") or "", *[_cell(row.get(k)) for k, _h in columns]]
            for i, row in enumerate(rows, start=1)
        ]
        if totals:
            body.append(["", "Tổng cộng", *[_cell(totals.get(k)) for k, _h in columns]])
        first = 8 * mm
        second = 40 * mm
        rest = (width - first - second) / max(len(columns), 1)
        story.append(T.table(headers, body or [[""] * len(headers)], [first, second, *[rest] * len(columns)]))
    return T.render(
        story, pagesize=T.A4_LANDSCAPE, footer=figures["period"]["label"], title_text="Báo cáo định kỳ"
    )
