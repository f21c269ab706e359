"""Admin lists of tables of millions of rows show the planner's estimate of their rows,
not a count of every row, when nothing narrows them.

Django's admin counts the rows of a list on every page (its paginator's COUNT(*)), even
with `show_full_result_count = False`. Unfiltered, that reads the whole table: on
PostgreSQL half a second at five million ratings (docs/benchmarks.md, "Admin lists"),
ten times that at MovieLens' 25 million, on every page of the list. PostgreSQL keeps an
estimate of each table's rows (pg_class.reltuples, refreshed by ANALYZE and autovacuum):
an unfiltered list on PostgreSQL shows that, as "about 5,000,000 ratings", when it is
big. A filtered or searched list still counts its rows: no estimate is kept for those,
and they are what someone reads the number of. SQLite counts too: it has no estimate
(ANALYZE's sqlite_stat1 holds an index's rows only), and its count of five million rows
took 72 ms, beside a list that takes twice that to draw.

An estimate can be a little above the rows there are: the pages past the last row are
then empty, not errors, and a page number past the estimate gives the last page, as on
every list of the project (config/pagination.py).
"""

from functools import cached_property

from django.contrib.admin.views.main import ChangeList
from django.db import connections

from config.pagination import NearestPagePaginator

# Up to this many rows the list counts: about 10 ms on PostgreSQL (5 million took 470),
# and exact, where an estimate can lag a bulk import or delete until autovacuum's next
# ANALYZE. Above it the count costs more than the page, and an estimate a few percent
# off is still more rows than anyone pages through.
ESTIMATED_ABOVE = 100_000


# The estimate when it is big, else the count, in one query: PostgreSQL runs the count's
# subquery only when the CASE reaches it, so the list runs as many queries as before.
COUNT_OR_ESTIMATE = """
    SELECT CASE WHEN reltuples > %(above)s THEN reltuples::bigint
                ELSE (SELECT COUNT(*) FROM {table}) END,
           reltuples > %(above)s
    FROM pg_class WHERE oid = to_regclass(%(table)s)
"""


def counted_or_estimated(queryset, above: int) -> tuple[int, bool] | None:
    """On PostgreSQL, for a queryset that reads every row of its table (no WHERE: nothing
    filtered, nothing searched; no slice, no distinct): the planner's estimate of the
    table's rows and True when it is over `above`, else the count and False. The estimate
    of a table never analyzed, -1 from PostgreSQL 14 on (0 before), is never over it.
    None for other querysets and databases: they count as Django does."""
    query = queryset.query
    connection = connections[queryset.db]
    if (
        connection.vendor != "postgresql"
        or query.where
        or query.distinct
        or query.is_sliced
        or query.combinator
    ):
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(COUNT_OR_ESTIMATE.format(table=table), {"above": above, "table": table})
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


class EstimatedCountPaginator(NearestPagePaginator):
    """The paginator of the admin lists of big tables (ModelAdmin.paginator)."""

    # Whether `count` is the planner's estimate; the list's template says "about".
    estimated = False
    estimated_above = ESTIMATED_ABOVE

    @cached_property
    def count(self):
        found = counted_or_estimated(self.object_list, self.estimated_above)
        if found is None:
            return super().count
        count, self.estimated = found
        return count

    def page(self, number):
        # The admin's list asks for page() itself, and answers one past the end with an
        # error: with an estimate, the last page counted may be past the rows.
        return super().page(self.nearest_page(number))


class NearestPageChangeList(ChangeList):
    """An admin list whose paginator answers with the nearest page (above) shows that
    page's number: its page links are drawn around it, and failed for one past the end."""

    def get_results(self, request):
        super().get_results(request)
        if isinstance(self.paginator, NearestPagePaginator) and self.multi_page:
            self.page_num = self.paginator.nearest_page(self.page_num)
        if getattr(self.paginator, "estimated", False):
            # An estimate is of the whole table: the list is all of it. Without a full
            # count (show_full_result_count = False) the search bar would say the
            # estimate, ungrouped, as the rows a search found: "25000000 results (Show
            # all)".
            self.full_result_count = self.result_count
