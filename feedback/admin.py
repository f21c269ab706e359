from django.contrib import admin

from feedback.models import Media, UserFeedback, ViewingHistory


class UserFeedbackInline(admin.TabularInline):
    model = UserFeedback
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "watched_completion", "would_watch_again", "rating", "timestamp"]


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ["title", "media_id", "media_type", "duration", "movie", "last_updated"]
    list_select_related = ["movie"]
    list_filter = ["media_type"]
    search_fields = ["title", "=media_id", "movie__title"]
    autocomplete_fields = ["movie"]
    readonly_fields = ["last_updated"]
    inlines = [UserFeedbackInline]


@admin.register(UserFeedback)
class UserFeedbackAdmin(admin.ModelAdmin):
    list_display = [
        "media",
        "user",
        "watched_completion",
        "would_watch_again",
        "rating",
        "timestamp",
    ]
    list_select_related = ["media", "user"]
    list_filter = ["watched_completion", "would_watch_again", "rating"]
    search_fields = ["media__title", "=media__media_id", "user__username"]
    autocomplete_fields = ["media", "user"]
    date_hierarchy = "timestamp"


@admin.register(ViewingHistory)
class ViewingHistoryAdmin(admin.ModelAdmin):
    list_display = ["media", "user", "started_at", "minutes_watched", "completed"]
    list_select_related = ["media", "user"]
    list_filter = ["completed"]
    search_fields = ["media__title", "=media__media_id", "user__username"]
    autocomplete_fields = ["media", "user"]
    date_hierarchy = "started_at"
