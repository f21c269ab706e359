from django.contrib import admin

from recommendations.models import RecommendationLog


@admin.register(RecommendationLog)
class RecommendationLogAdmin(admin.ModelAdmin):
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
