from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

ESTIMATE_ABOVE = 100_000


class EstimatingPaginator(Paginator):
    """An unfiltered list of a big table (a supervisor's dossiers: a million rows) is counted from
    PostgreSQL's statistics (``pg_class.reltuples``, kept by ANALYZE/autovacuum) instead of a
    ``COUNT(*)`` that reads the whole table; it is approximate, and only used above
    ``ESTIMATE_ABOVE`` rows. Any filtered list, and every list on other databases, is counted exactly."""

    estimated = False

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and not query.is_sliced and not query.combinator:
            connection = connections[self.object_list.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [self.object_list.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] > ESTIMATE_ABOVE:
                    self.estimated = True
                    return int(row[0])
        return super().count

    def page(self, number) -> Page:
        """With an estimated count, a page is cut at ``per_page`` rows, not at the estimate, and a
        page past the estimated end is still read: statistics that lag behind the table must not
        make its newest rows unreachable. ``has_next`` then asks the rows, not the count."""
        self.count  # noqa: B018 - sets ``estimated``
        if not self.estimated:
            return super().page(number)
        number = self.validate_number_estimated(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return _EstimatedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def validate_number_estimated(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise InvalidPage("That page number is not an integer") from None
        if number < 1:
            raise InvalidPage("That page number is less than 1")
        return number


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
    ``known_count`` before paginating (see the dossier list).
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    known_count: int | None = None

    def django_paginator_class(self, object_list, per_page):
        paginator = EstimatingPaginator(object_list, per_page)
        if self.known_count is not None:
            paginator.count = self.known_count
        return paginator
