from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from config.admin_counts import EstimatedCountPaginator
from config.admin_lists import MarqueeModelAdmin
from recommendations.models import MoviePrior, MovieSimilarity, RecommendationLog
from recommendations.report import acceptance_charts, parse_weeks


@admin.register(RecommendationLog)
class RecommendationLogAdmin(MarqueeModelAdmin):
    list_display = [
        "timestamp",
        "user",
        "recommendation_type",
        "media",
        "score",
        "selected",
        "engine_version",
    ]
    list_select_related = ["media", "user"]
    list_filter = ["recommendation_type", "selected", "engine_version", "timestamp"]
    search_fields = ["media__title", "user__username", "=slate_id"]
    autocomplete_fields = ["media", "user"]
    date_hierarchy = "timestamp"
    change_list_template = "admin/recommendations/recommendationlog_change_list.html"
    # Unfiltered, its count is the planner's estimate (config/admin_counts.py).
    paginator = EstimatedCountPaginator

    def get_urls(self):
        report = path(
            "report/",
            self.admin_site.admin_view(self.report_view),
            name="recommendations_recommendationlog_report",
        )
        return [report, *super().get_urls()]

    def report_view(self, request):
        """Acceptance per slot type and per engine version, week by week, as charts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        weeks = parse_weeks(request.GET.get("weeks"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Recommendation acceptance",
            "opts": self.model._meta,
            "charts": acceptance_charts(weeks),
            "weeks": weeks,
        }
        return TemplateResponse(request, "admin/recommendations/report.html", context)


@admin.register(MovieSimilarity)
class MovieSimilarityAdmin(MarqueeModelAdmin):
    """Rebuilt by `manage.py build_similarities`: browse it here, do not edit it."""

    list_display = ["movie", "neighbour", "weight"]
    list_select_related = ["movie", "neighbour"]
    search_fields = ["movie__title", "neighbour__title"]
    autocomplete_fields = ["movie", "neighbour"]
    # Millions of rows: the order of the unique (movie, neighbour) index, the only one,
    # and no full count on every page. By the films' ids, not their titles: ordered by
    # "movie", the rows were sorted by the joined titles, 400,000 of them, on disk. Each
    # film's neighbours still stand together; the search finds a film's by its title.
    ordering = ["movie_id", "neighbour_id"]
    show_full_result_count = False
    sortable_by = []  # by titles or weight: no index serves either
    # Unfiltered, its count is the planner's estimate (config/admin_counts.py).
    paginator = EstimatedCountPaginator


@admin.register(MoviePrior)
class MoviePriorAdmin(MarqueeModelAdmin):
    """Rebuilt by `manage.py build_similarities`: browse it here, do not edit it."""

    list_display = [
        "movie",
        "score",
        "rating_average",
        "rating_count",
        "positive_count",
        "popularity",
    ]
    list_select_related = ["movie"]
    search_fields = ["movie__title"]
    autocomplete_fields = ["movie"]
    ordering = ["-score"]
