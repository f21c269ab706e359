from itertools import product

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.urls import NoReverseMatch
from django.utils.html import format_html

from config.admin_counts import EstimatedCountPaginator
from config.admin_inlines import FixedQueriesInline
from config.admin_lists import MarqueeModelAdmin
from config.admin_stale import MarqueeModelForm
from feedback.film_list_forms import ListNameField
from feedback.models import (
    FilmList,
    FilmListEntry,
    Media,
    NotInterested,
    PendingEmailChange,
    UserFeedback,
    UserTimeZone,
    ViewingHistory,
    WatchlistEntry,
)
from feedback.not_interested import not_interested_lifted, watchlist_left
from feedback.services import (
    feedback_delete,
    feedback_follows,
    marquee_ratings_sync,
    viewing_delete,
    viewing_feedback_follows,
    viewing_watchlist_follows,
)
from feedback.services_locks import lock_people_by_id, lock_person_by_id
from feedback.watchlist import watchlist_item_watched

MEDIA_ID_IS_FIXED = (
    "The media id is the id the media server gives the item, and cannot change once the "
    "item is saved. To move what an item holds to another id, add an item with that id, "
    "then give each of its feedback, viewings and recommendation log entries the new item "
    "(on their own pages); the old item can then be deleted."
)


class UserFeedbackInline(FixedQueriesInline):
    model = UserFeedback
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "watched_completion", "would_watch_again", "rating", "timestamp"]
    ordering = ["-timestamp", "-pk"]  # the first rows shown: the most recent

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "media")  # the labels


@admin.register(Media)
class MediaAdmin(MarqueeModelAdmin):
    list_display = ["title", "media_id", "media_type", "duration", "movie", "last_updated"]
    list_select_related = ["movie"]
    list_filter = ["media_type"]
    search_fields = ["title", "=media_id", "movie__title"]
    autocomplete_fields = ["movie"]
    fieldsets = [
        (
            None,
            {
                "fields": ["media_id", "title", "media_type", "duration", "movie", "last_updated"],
                "description": MEDIA_ID_IS_FIXED,
            },
        )
    ]
    readonly_fields = ["last_updated"]

    def view_on_site(self, obj):
        """The item's page, or no link for an id no address holds: a line break, kept
        from before feedback migration 0016, which stops and sends staff here to empty
        and delete the item (README's upgrade notes)."""
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            return None

    inlines = [UserFeedbackInline]

    # media_id is the primary key: changed on a saved item, Django saved a second, empty
    # item under the new id (or failed on the feedback it could not show). It is set once.
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else ["media_id", *fields]

    def save_related(self, request, form, formsets, change):
        """Save the inline feedback, then derive again the Marquee ratings that follow it.

        Everyone with feedback on the item, before the inline's edits or after them, has
        their rating of the film it was linked to and of the film it is linked to now
        derived again (marquee_ratings_sync): the item may have moved to another film, or
        to none, and the inline may have changed, moved or deleted their feedback.
        """
        media = form.instance
        people = set(media.feedback.values_list("user_id", flat=True))
        super().save_related(request, form, formsets, change)
        people |= set(media.feedback.values_list("user_id", flat=True))
        # The form's initial values are the item as it was stored before this save.
        films = {form.initial.get("movie"), media.movie_id}
        marquee_ratings_sync(pairs=product(people, films))
        # The watchlist, as feedback_record and the viewings' services leave it: the
        # feedback the inline added or changed says its person saw the film; an item
        # linked to another film brings all its feedback and viewings to that film.
        if form.initial.get("movie") != media.movie_id:
            watchlist_item_watched(
                movie_id=media.movie_id,
                feedback=media.feedback.all(),
                viewings=media.viewings.all(),
            )
        elif saved := [
            row.pk
            for formset in formsets
            for row in (*formset.new_objects, *(row for row, _ in formset.changed_objects))
        ]:
            watchlist_item_watched(
                movie_id=media.movie_id, feedback=media.feedback.filter(pk__in=saved)
            )


@admin.register(UserFeedback)
class UserFeedbackAdmin(MarqueeModelAdmin):
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

    # The admin writes feedback past feedback_record: each write here derives again the
    # Marquee ratings it may have changed, as the services do for the pages.

    def save_model(self, request, obj, form, change):
        # The person's lock (two, for feedback moved to another person), as
        # feedback_record takes it: their own requests and this save take turns.
        lock_people_by_id({obj.user_id, form.initial.get("user")} - {None})
        # Feedback moved to another media item (another film) or to another person: the
        # rating it followed until now is derived again as well.
        before = set(UserFeedback.objects.filter(pk=obj.pk).people_and_films()) if change else set()
        super().save_model(request, obj, form, change)
        feedback_follows(obj)
        if moved_from := before - {(obj.user_id, obj.media.movie_id)}:
            marquee_ratings_sync(pairs=moved_from)

    def delete_model(self, request, obj):
        feedback_delete(feedback=obj)

    def delete_queryset(self, request, queryset):
        # The changelist's action is not in a transaction of its own.
        with transaction.atomic():
            pairs = set(queryset.people_and_films())
            super().delete_queryset(request, queryset)
            marquee_ratings_sync(pairs=pairs)


@admin.register(ViewingHistory)
class ViewingHistoryAdmin(MarqueeModelAdmin):
    list_display = ["media", "user", "started_at", "minutes_watched", "completed"]
    list_select_related = ["media", "user"]
    list_filter = ["completed"]
    search_fields = ["media__title", "=media__media_id", "user__username"]
    autocomplete_fields = ["media", "user"]
    date_hierarchy = "started_at"
    # Where an import found the viewing (feedback.import_keys): the next import of the
    # same file finds it by this, so staff see it and do not change it.
    readonly_fields = ["import_key"]
    # Unfiltered, its count is the planner's estimate (config/admin_counts.py).
    paginator = EstimatedCountPaginator

    # A finished viewing with one of these changed says anew that its person finished the
    # item, as viewing_update's rule has it. One moved to another item or person says
    # nothing new: staff moving what an item holds to a new id (MEDIA_ID_IS_FIXED) move
    # its feedback too, which a feedback row made for the new item would refuse.
    FINISHED_ANEW_WHEN_CHANGED = {"completed", "started_at"}

    def save_model(self, request, obj, form, change):
        # The person's lock (two, for a viewing moved to another person), as the viewings'
        # services take it: the watchlist and feedback below are read, then written.
        lock_people_by_id({obj.user_id, form.initial.get("user")} - {None})
        # Added, or corrected (to finished, to a later start, to another film), as the
        # viewings' services do: a finished viewing takes the film off the watchlist, and
        # one added or made finished or moved in time makes the person's feedback on the
        # item say they watched it to the end.
        super().save_model(request, obj, form, change)
        viewing_watchlist_follows(obj)
        if obj.completed and (
            not change or self.FINISHED_ANEW_WHEN_CHANGED.intersection(form.changed_data)
        ):
            viewing_feedback_follows(obj)

    # Under the person's lock, as their own deletes: "I watched this" sent meanwhile
    # corrects the viewing it read under that lock, and would find it gone mid-save.
    def delete_model(self, request, obj):
        viewing_delete(viewing=obj)

    def delete_queryset(self, request, queryset):
        # The changelist's action is not in a transaction of its own.
        with transaction.atomic():
            lock_people_by_id(set(queryset.values_list("user_id", flat=True)))
            super().delete_queryset(request, queryset)


class OtherWishSettledAdmin(MarqueeModelAdmin):
    """A watchlist entry or a film turned down, saved by staff: the other wish of the same
    person for the same film is taken away, as on the pages (feedback/not_interested.py),
    where the later wish wins. Left with both, the person saw the film on their watchlist
    while the engine took it for turned down.

    Settled when a row is added, or given another person or film; a change of its date
    alone says no new wish. Under the person's lock, as the pages' writes, and in the
    admin's transaction. The success message says what else changed. These admins write
    nothing else: their lists only delete, and no inline holds these rows."""

    # The services' own follow-up (user=, movie_id=; whether it took a row away), and
    # what the success message adds when it did.
    other_wish_settled = None
    other_wish_message = ""

    def save_model(self, request, obj, form, change):
        settling = not change or {"user", "movie"}.intersection(form.changed_data)
        if settling:
            lock_person_by_id(obj.user_id)
        super().save_model(request, obj, form, change)
        if settling and self.other_wish_settled(user=obj.user_id, movie_id=obj.movie_id):
            # For message_user, which Django calls with the request and not the object.
            request.other_wish_settled = True

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, "other_wish_settled", False):
            message = format_html("{} {}", message, self.other_wish_message)
        super().message_user(request, message, level, *args, **kwargs)


@admin.register(WatchlistEntry)
class WatchlistEntryAdmin(OtherWishSettledAdmin):
    list_display = ["movie", "user", "added_at"]
    list_select_related = ["movie", "user"]
    list_filter = ["added_at"]
    search_fields = ["movie__title", "user__username"]
    autocomplete_fields = ["movie", "user"]
    date_hierarchy = "added_at"
    other_wish_settled = staticmethod(not_interested_lifted)
    other_wish_message = "This also lifted their “not interested” in the film."


@admin.register(NotInterested)
class NotInterestedAdmin(OtherWishSettledAdmin):
    list_display = ["movie", "user", "turned_down_at"]
    list_select_related = ["movie", "user"]
    list_filter = ["turned_down_at"]
    search_fields = ["movie__title", "user__username"]
    autocomplete_fields = ["movie", "user"]
    date_hierarchy = "turned_down_at"
    other_wish_settled = staticmethod(watchlist_left)
    other_wish_message = "The film was also taken off their watchlist."


class FilmListEntryInline(FixedQueriesInline):
    """A list's films, in order. Positions are unique per list: to swap two films, give
    one a free position first (the list's pages renumber without this step)."""

    model = FilmListEntry
    extra = 0
    autocomplete_fields = ["movie"]
    fields = ["position", "movie", "note", "added_at"]
    ordering = ["position"]  # the first rows shown: the list's first films

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("film_list", "movie")  # the labels


@admin.register(FilmListEntry)
class FilmListEntryAdmin(MarqueeModelAdmin):
    """All the films of a list, where its admin page shows the first ones only
    (FixedQueriesInline): the page's link filters this list to them."""

    list_display = ["film_list", "position", "movie", "note", "added_at"]
    list_select_related = ["film_list", "movie"]
    search_fields = ["film_list__name", "movie__title"]
    autocomplete_fields = ["film_list", "movie"]
    # The order of the unique index on (list, position): a list's films in their order.
    ordering = ["film_list_id", "position"]


class FilmListForm(MarqueeModelForm):
    # Moved on by every change to the list's films (feedback/film_lists.py): a member
    # reordering their list while staff edit its description is no reason to refuse.
    kept_when_changed_meanwhile = ("updated_at",)


@admin.register(FilmList)
class FilmListAdmin(MarqueeModelAdmin):
    form = FilmListForm
    list_display = ["name", "user", "film_count", "updated_at"]
    list_select_related = ["user"]
    list_filter = ["updated_at"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user"]
    date_hierarchy = "updated_at"
    inlines = [FilmListEntryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(film_count=Count("entries"))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "name":
            # The pages' field: the name normalised before its length is checked.
            kwargs["form_class"] = ListNameField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="films", ordering="film_count")
    def film_count(self, film_list):
        return film_list.film_count


@admin.register(UserTimeZone)
class UserTimeZoneAdmin(MarqueeModelAdmin):
    list_display = ["user", "time_zone"]
    list_select_related = ["user"]
    search_fields = ["user__username", "time_zone"]
    autocomplete_fields = ["user"]


@admin.register(PendingEmailChange)
class PendingEmailChangeAdmin(MarqueeModelAdmin):
    """Addresses people asked for and have not confirmed yet. Deleting one spends its
    link. The link's key is not kept: one added here has a key nobody holds."""

    list_display = ["user", "email", "replaces", "requested_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "email", "replaces"]
    autocomplete_fields = ["user"]
    date_hierarchy = "requested_at"

    def get_readonly_fields(self, request, obj=None):
        # A link confirms the address it was mailed to. Changed here, the link would give
        # the account an address that never received it (a way for a staff member onto a
        # superuser's password resets): a pending change is read or deleted, not edited.
        if obj is not None:
            return [field.name for field in obj._meta.fields]
        return super().get_readonly_fields(request, obj)
