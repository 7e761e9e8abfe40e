import base64
import binascii
import datetime as dt
import json

from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db import connections
from django.db.models import Q
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.exceptions import InvalidInput

ESTIMATE_ABOVE = 100_000

# The desk's lists count at most this many rows; past it they say "more than COUNT_CAP"
# (``count_capped``). An exact count reads every matching row: a broad search or an agency's
# whole history would cost more than the page (a joined row costs 5–20 µs: 10,000 rows took
# 30–55 ms on the shared benchmark machine). Bounded, it costs at most COUNT_CAP index entries,
# whatever the size of the history.
COUNT_CAP = 1_000


def bounded_count(rows, limit: int) -> int:
    """How many rows ``rows`` has, counted up to ``limit`` (``SELECT COUNT(*) FROM (… LIMIT n)``:
    the scan stops there). Unordered, so the planner may use whichever index is cheapest."""
    if hasattr(rows, "order_by"):
        return rows.order_by()[:limit].count()
    return min(len(rows), limit)


class EstimatingPaginator(Paginator):
    """An unfiltered list of a big table (a supervisor's dossiers: a million rows) is counted from
    PostgreSQL's statistics (``pg_class.reltuples``, kept by ANALYZE/autovacuum) instead of a
    ``COUNT(*)`` that reads the whole table; it is approximate, and only used above
    ``ESTIMATE_ABOVE`` rows. Any other list is counted exactly, up to ``cap`` rows when the
    paginator has one (``CappedPaginator``): past it, ``count`` is ``cap`` and ``capped`` is set.
    A caller that has a cheaper count gives it with ``use_count`` (counted up to ``cap + 1``)."""

    estimated = False
    capped = False
    cap: int | None = None
    # The same rows as a queryset of model instances, counted instead of ``object_list`` when that
    # is ``.values()`` of related columns: Django keeps the joins of a values list in a count's
    # subquery, and PostgreSQL cannot drop inner joins, so counting an inbox up to 1,001 tasks
    # also read 1,001 dossiers (4,000 buffers, 9.4 ms of a 35 ms request at 1 M dossiers).
    count_rows = None
    # Set for a list whose count would read every match (a broad search): the page says how
    # many rows it has shown so far, and ``capped`` when there are more.
    uncounted = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list if self.count_rows is None else self.count_rows
        query = getattr(rows, "query", None)
        if query is not None and not query.where and not query.is_sliced and not query.combinator:
            connection = connections[rows.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [rows.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] > ESTIMATE_ABOVE:
                    self.estimated = True
                    return int(row[0])
        if self.cap is None:
            return super().count if self.count_rows is None else rows.count()
        return self._bounded(bounded_count(rows, self.cap + 1))

    def use_count(self, counted: int) -> None:
        """A count the caller made itself, up to ``cap + 1`` rows."""
        self.__dict__["count"] = self._bounded(counted)

    def _bounded(self, counted: int) -> int:
        if self.cap is not None and counted > self.cap:
            self.capped = True
            return self.cap
        return counted

    @property
    def exact(self) -> bool:
        self.count  # noqa: B018 - sets ``estimated`` and ``capped``
        return not (self.estimated or self.capped)

    def page(self, number) -> Page:
        """With an estimated or a capped count, a page is cut at ``per_page`` rows, not at the
        count, and a page past the counted end is still read: statistics that lag behind the
        table, or a cap, must not make rows unreachable. ``has_next`` then asks the rows, not the
        count."""
        if not self.uncounted and self.exact:
            return super().page(number)
        number = self.validate_number_estimated(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        more = len(rows) > self.per_page
        if self.uncounted:
            self.seen(bottom + min(len(rows), self.per_page), more=more)
        return _EstimatedPage(rows[: self.per_page], number, self, more=more)

    def seen(self, rows: int, *, more: bool) -> None:
        """An uncounted list: ``rows`` shown up to this page, ``more`` after it."""
        self.__dict__["count"] = rows
        self.capped = more

    def validate_number_estimated(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise InvalidPage("That page number is not an integer") from None
        if number < 1:
            raise InvalidPage("That page number is less than 1")
        return number


class CappedPaginator(EstimatingPaginator):
    """Counts up to ``COUNT_CAP`` rows (the dossier lists, the inbox, the staff UI's pages)."""

    cap = COUNT_CAP


class _EstimatedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self) -> bool:
        return self._more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 200); the body has count, next, previous, results.

    A view that can count its list more cheaply than ``COUNT(*)`` over the filtered queryset sets
    ``known_count`` before paginating (see the dossier list); a view paginating ``.values()`` of
    related columns sets ``count_rows`` to the queryset they come from (``EstimatingPaginator``).
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    known_count: int | None = None
    count_rows = None
    uncounted = False  # see EstimatingPaginator.uncounted
    paginator_class = EstimatingPaginator

    def django_paginator_class(self, object_list, per_page):
        paginator = self.paginator_class(object_list, per_page)
        paginator.uncounted = self.uncounted
        paginator.count_rows = self.count_rows
        if self.known_count is not None:
            paginator.use_count(self.known_count)
        return paginator


# Deeper than this many rows, ``?page=`` is refused (OFFSET reads and throws away every row before
# the page: page 600 of a reception list took 3.5 s at a million dossiers); ``?cursor=`` goes on.
MAX_OFFSET_ROWS = 10_000


class KeysetPagination(Pagination):
    """``?page=`` for the first pages (``page × page_size`` ≤ ``MAX_OFFSET_ROWS``, else 400) and
    ``?cursor=`` (the ``next`` / ``previous`` links) for any depth: the cursor holds the last row's
    ordering key and id, so a page is one index range read, whatever its depth. The body keeps its
    shape: count, next, previous, results, plus two flags: ``count_capped`` (there are more than
    ``count`` rows: counting stops at ``COUNT_CAP``; an ``uncounted`` list gives the rows shown so
    far) and ``count_is_estimate`` (``count`` comes
    from the table's statistics: an unfiltered list of a big table).

    The view names its ordering as ``cursor_ordering``: (key field, id field), each with ``-`` for
    descending, e.g. ``("-received_at", "-id")``; the queryset must be ordered the same way, and its
    rows (model instances or ``.values()`` dicts) must have both fields.
    """

    cursor_query_param = "cursor"
    paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.ordering = view.cursor_ordering
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            self._check_depth(request)
            self.cursor_mode = False
            page = super().paginate_queryset(queryset, request, view)
            self.counted = self.page.paginator
            self.rows = list(page)
            self.has_more = self.page.has_next()
            self.reverse = False
            self.first_page = self.page.number == 1
            return self.rows
        self.cursor_mode = True
        key, pk, self.reverse = decode_cursor(raw)
        size = self.get_page_size(request)
        self.counted = self.django_paginator_class(queryset, size)
        rows = list(_after(queryset, self.ordering, key, pk, reverse=self.reverse)[: size + 1])
        self.has_more = len(rows) > size
        rows = rows[:size]
        if self.uncounted:
            self.counted.seen(len(rows), more=True)  # a cursor page has rows before or after it
        if self.reverse:
            rows.reverse()
        self.rows = rows
        self.first_page = False
        return rows

    def _check_depth(self, request) -> None:
        try:
            number = int(request.query_params.get(self.page_query_param, 1))
        except (TypeError, ValueError):
            return  # the base class answers an invalid page number
        if number > 1 and number * self.get_page_size(request) > MAX_OFFSET_ROWS:  # page 1 reads no offset
            raise InvalidInput(
                f"Trang quá sâu: ?page= chỉ dùng cho {MAX_OFFSET_ROWS:,} dòng đầu;"
                " hãy dùng liên kết next (?cursor=).",
                fields={"page": [f"page × page_size phải ≤ {MAX_OFFSET_ROWS}."]},
            )

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.counted.count,
                "count_capped": self.counted.capped,
                "count_is_estimate": self.counted.estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def _link(self, row, *, reverse: bool) -> str:
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.page_query_param)
        key, pk = (_field(row, name.lstrip("-")) for name in self.ordering)
        return replace_query_param(url, self.cursor_query_param, encode_cursor(key, pk, reverse=reverse))

    def get_next_link(self):
        forward_more = self.has_more if not self.reverse else True
        if not self.rows or not forward_more:
            return None
        if not self.cursor_mode:
            number = self.page.number + 1
            if number * self.get_page_size(self.request) <= MAX_OFFSET_ROWS:
                return super().get_next_link()
        return self._link(self.rows[-1], reverse=False)

    def get_previous_link(self):
        if not self.cursor_mode:
            return super().get_previous_link()
        backward_more = self.has_more if self.reverse else True
        if not self.rows or not backward_more:
            return None
        return self._link(self.rows[0], reverse=True)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_capped"] = {
            "type": "boolean",
            "description": (
                f"True: there are more than ``count`` rows. Counting stops at {COUNT_CAP:,} rows,"
                " and a broad search is not counted: ``count`` is then the rows shown so far."
            ),
        }
        response["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "True: ``count`` is the table's estimate (an unfiltered list of a big table).",
        }
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a next/previous link (any depth).",
                "schema": {"type": "string"},
            },
        ]


def _field(row, name: str):
    """A row's ``name``: a ``.values()`` dict's item or a model instance's attribute."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


def encode_cursor(key, pk: int, *, reverse: bool) -> str:
    value = key.isoformat() if isinstance(key, dt.datetime) else key
    raw = json.dumps({"k": value, "i": pk, "r": int(reverse)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> tuple[dt.datetime, int, bool]:
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        key = dt.datetime.fromisoformat(data["k"])
        pk = int(data["i"])
        reverse = bool(data.get("r"))
        if key.tzinfo is None:
            raise ValueError("naive")
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, AttributeError) as exc:
        raise InvalidInput(
            "Con trỏ trang không hợp lệ.", fields={"cursor": ["Dùng đúng liên kết next/previous."]}
        ) from exc
    return key, pk, reverse


def _after(queryset, ordering, key, pk, *, reverse: bool):
    """The rows after (key, pk) in ``ordering`` (before it, in reverse order, when ``reverse``)."""
    (key_name, pk_name) = (name.lstrip("-") for name in ordering)
    descending = ordering[0].startswith("-")
    forward_lt = descending != reverse  # walking towards smaller keys
    op = "lt" if forward_lt else "gt"
    bound = "lte" if forward_lt else "gte"
    condition = Q(**{f"{key_name}__{op}": key}) | Q(**{key_name: key, f"{pk_name}__{op}": pk})
    # The redundant bound lets the (key) index be read as a range, not filtered row by row.
    rows = queryset.filter(condition, **{f"{key_name}__{bound}": key})
    if reverse:
        rows = rows.reverse()
    return rows
