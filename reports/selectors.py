"""Leadership statistics: form II.06a (``processing``), cutting of processing time and bottlenecks
(``performance``, ``bottlenecks``), service indicators and the dashboard (``indicators``).

Every figure is one SQL aggregation over indexed columns of ``workflows.Dossier`` /
``DossierTask`` (a constant number of queries per report, whatever the number of dossiers); the
pure assembly (derived columns, totals, labels, changes) lives in ``reports.assembly``. The
definitions of each column are in ``reports.processing``. Callers import from here.
"""

from ._query import CUTTING_GROUPS, GROUP_FIELDS, PERCENTILES, without_jit
from .bottlenecks import bottleneck_report
from .indicators import INDICATOR_COUNTS, dashboard, indicators_report, monthly_counts
from .performance import cutting_report
from .processing import processing_counts, processing_queryset, processing_report

__all__ = [
    "CUTTING_GROUPS",
    "GROUP_FIELDS",
    "INDICATOR_COUNTS",
    "PERCENTILES",
    "bottleneck_report",
    "cutting_report",
    "dashboard",
    "indicators_report",
    "monthly_counts",
    "processing_counts",
    "processing_queryset",
    "processing_report",
    "without_jit",
]
