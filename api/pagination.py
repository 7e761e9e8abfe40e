from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

ESTIMATE_ABOVE = 100_000


class EstimatingPaginator(Paginator):
    """An unfiltered list of a big table (a supervisor's dossiers: a million rows) is counted from
    PostgreSQL's statistics (``pg_class.reltuples``, kept by ANALYZE/autovacuum) instead of a
    ``COUNT(*)`` that reads the whole table; it is approximate, and only used above
    ``ESTIMATE_ABOVE`` rows. Any filtered list, and every list on other databases, is counted exactly."""

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
                    return int(row[0])
        return super().count


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
