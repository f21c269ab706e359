from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, models, transaction
from django.db.models import Count, QuerySet
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from catalog.admin_inlines import (
    DERIVED_BY_IMPORT,
    FOLLOWS_FEEDBACK,
    RatingInline,
    RelationshipInline,
)
from catalog.folding import words
from catalog.importers.exclusive import AnotherImportRunning
from catalog.importers.report import ImportFormatError, ImportReport, StrictStop
from catalog.importers.uploads import ImportUploadForm, import_upload, kinds_user_may_import
from catalog.models import (
    Genre,
    Movie,
    MovieRatingStats,
    MovieRelationship,
    MovieTag,
    Rating,
    Review,
    UserSearch,
)
from catalog.rating_stats import refresh_rating_stats
from catalog.reviews import sentiment_read
from config.admin_counts import EstimatedCountPaginator
from config.admin_lists import MarqueeModelAdmin
from config.form_fields import PrintableJSONField
from feedback.watchlist import watchlist_watched


@admin.register(Genre)
class GenreAdmin(MarqueeModelAdmin):
    list_display = ["name", "slug", "movie_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(movie_total=Count("movies"))

    @admin.display(description="movies", ordering="movie_total")
    def movie_count(self, genre):
        return genre.movie_total


@admin.register(Movie)
class MovieAdmin(MarqueeModelAdmin):
    list_display = [
        "title",
        "year",
        "runtime_minutes",
        "tmdb_id",
        "imdb_id",
        "popularity",
        "genre_list",
    ]
    list_filter = ["genres", "year"]
    search_fields = ["title", "original_title", "=tmdb_id", "=imdb_id"]
    filter_horizontal = ["genres"]
    readonly_fields = ["reviews", "created_at", "updated_at"]
    # Reviews are not an inline: a film with a few hundred tweets made the page a megabyte
    # and its form more fields than Django accepts (the film could not be saved). The
    # page links to them instead.
    inlines = [RelationshipInline, RatingInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "original_title",
                    "release_date",
                    "year",
                    "runtime_minutes",
                    "overview",
                ]
            },
        ),
        ("Identifiers", {"fields": ["tmdb_id", "imdb_id"]}),
        ("Classification", {"fields": ["genres", "popularity"]}),
        ("Reviews", {"fields": ["reviews"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("genres")

    def get_search_results(self, request, queryset, search_term):
        """The fields above, or the folded titles (accents and case aside), as the site's
        search matches them."""
        matches, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            matches |= queryset.filter(search_title__contains=words(search_term))
        return matches, duplicates

    @admin.display(description="reviews")
    def reviews(self, movie):
        if movie.pk is None:
            return "Add reviews from the review list once the film is saved."
        reviews = reverse("admin:catalog_review_changelist")
        count = movie.reviews.count()
        return format_html(
            '<a href="{}?movie__id__exact={}">{} review{}</a> · <a href="{}?movie={}">Add one</a>',
            reviews,
            movie.pk,
            count,
            pluralize(count),
            reverse("admin:catalog_review_add"),
            movie.pk,
        )

    @admin.display(description="genres")
    def genre_list(self, movie):
        return ", ".join(genre.name for genre in movie.genres.all())

    # The import page: linked from the changelist (templates/admin/catalog/movie/).
    change_list_template = "admin/catalog/movie/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="catalog_movie_import"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        may_import = bool(kinds_user_may_import(request.user))
        return super().changelist_view(request, {**(extra_context or {}), "may_import": may_import})

    def import_view(self, request):
        """Upload a MovieLens zip, a TMDB file or tweets, and run the same import as the
        commands; the summary and the rejected rows are shown on the page.

        Each kind asks for the permissions of what it writes (uploads.WRITES): adding
        films is not enough to import ratings, or to change the films already there.
        """
        if not kinds_user_may_import(request.user):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
        report = stopped = None
        if request.method == "POST" and form.is_valid():
            report = ImportReport(strict=form.cleaned_data["strict"])
            try:
                import_upload(
                    kind=form.cleaned_data["kind"],
                    uploaded=form.cleaned_data["file"],
                    report=report,
                )
            except ImportFormatError as exc:
                form.add_error("file", str(exc))
                report = None
            except StrictStop as exc:
                stopped = exc.rejection
            except AnotherImportRunning:
                form.add_error(
                    None,
                    "Another import is running on this database. Nothing was imported: "
                    "upload the file again when it has finished.",
                )
                report = None
            except DatabaseError as exc:
                form.add_error(None, f"The database refused a batch: {exc}".splitlines()[0])
            else:
                messages.success(request, "The import ran: its summary is below.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import films, ratings or reviews",
            "form": form,
            # Plain values: ImportReport's item lookup would answer any name a template
            # tried on it.
            "summary": report.summary_lines() if report else None,
            "rejections": report.rejections if report else [],
            "rejected_total": report.rejected_total if report else 0,
            "stopped": stopped,
        }
        return TemplateResponse(request, "admin/catalog/movie/import.html", context)


class ReviewOriginFilter(admin.SimpleListFilter):
    title = "written by"
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        return [("member", "A member"), ("imported", "Imported")]

    def queryset(self, request, queryset):
        if self.value() in ("member", "imported"):
            return queryset.filter(user__isnull=self.value() == "imported")
        return queryset


@admin.register(Review)
class ReviewAdmin(MarqueeModelAdmin):
    list_display = [
        "movie",
        "source",
        "user",
        "author",
        "tweet_id",
        "posted_at",
        "contains_spoilers",
        "sentiment_label",
    ]
    list_select_related = ["movie", "user"]
    list_filter = [ReviewOriginFilter, "source", "contains_spoilers", "sentiment_label"]
    search_fields = ["text", "author", "user__username", "movie__title", "=tweet_id"]
    autocomplete_fields = ["movie", "user"]
    date_hierarchy = "posted_at"

    # Staff may score a review themselves. Left as they are, the score and label are read
    # again from a text staff changed, as the site's reviews and the tweets' are: else an
    # edited review kept the sentiment of the words it no longer holds.
    SENTIMENT_FIELDS = {"sentiment_score", "sentiment_label"}

    def save_model(self, request, obj, form, change):
        if "text" in form.changed_data and not self.SENTIMENT_FIELDS & set(form.changed_data):
            obj.sentiment_score, obj.sentiment_label = sentiment_read(obj.text)
        super().save_model(request, obj, form, change)
        # A member's review says they saw the film, as review_save's does: dated by its
        # posting, it takes the film off their watchlist if they put it there before.
        # Undated, it is not known to come after the entry (watched_since skips it too).
        if obj.user_id is not None and obj.posted_at is not None:
            watchlist_watched(user=obj.user_id, movie_id=obj.movie_id, watched_at=obj.posted_at)


FOLLOWS_FEEDBACK_REFUSAL = (
    "Marquee ratings that follow their person's feedback (change the feedback)"
)


def follows_feedback(rating: Rating) -> bool:
    # Asked several times for one page (the form, its buttons, the message): read once.
    if not hasattr(rating, "_follows_feedback"):
        followed = Rating.objects.filter(pk=rating.pk).following_feedback()
        rating._follows_feedback = followed.exists()
    return rating._follows_feedback


@admin.register(Rating)
class RatingAdmin(MarqueeModelAdmin):
    list_display = [
        "movie",
        "source",
        "rater_kind",
        "rater",
        "value",
        "scale_max",
        "vote_count",
        "rated_at",
    ]
    list_select_related = ["movie", "user"]
    list_filter = ["source", "rater_kind"]
    search_fields = ["movie__title", "user__username", "=external_rater_id"]
    autocomplete_fields = ["movie", "user"]
    # Millions of imported rows. No date hierarchy: it read every rating's date on every
    # page (SELECT DISTINCT of the years), and no index on rated_at could serve a date
    # filter either (each index slows the imports). No full count beside the filtered one.
    show_full_result_count = False
    # No sort by a column: none is one an index serves (catalog/models/ratings.py). The
    # film's sorts by its title, a join of every rating; the others have no index, and
    # each sort of a million rows took 1 to 3 s. The list stays newest first (the
    # primary key's order); its filters and search narrow it.
    sortable_by = []
    # Unfiltered, its count is the planner's estimate (config/admin_counts.py).
    paginator = EstimatedCountPaginator

    @admin.display(description="rater")
    def rater(self, rating):
        if rating.user_id:
            return rating.user.get_username()
        return rating.external_rater_id or "—"

    def has_change_permission(self, request, obj=None):
        # Shown, not changed: the feedback is where the person said it.
        if obj is not None and follows_feedback(obj):
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        rating = getattr(response, "context_data", {}).get("original")
        if rating is not None and follows_feedback(rating):
            self.message_user(request, FOLLOWS_FEEDBACK, messages.INFO)
        return response

    def get_deleted_objects(self, objs, request):
        # What Django's delete pages refuse with: named on the confirmation page, and the
        # POST that would delete them answered 403. Gone, the rating would come back at
        # the feedback's next save, and the pages would count the feedback's stars
        # without it meanwhile.
        deleted, counts, refused, protected = super().get_deleted_objects(objs, request)
        chosen = (
            objs
            if isinstance(objs, QuerySet)
            else Rating.objects.filter(pk__in=[o.pk for o in objs])
        )
        if chosen.following_feedback().exists():
            refused.add(FOLLOWS_FEEDBACK_REFUSAL)
        return deleted, counts, refused, protected

    def delete_queryset(self, request, queryset):
        # One DELETE for the selection, which Rating.delete() does not see. The changelist's
        # action is not in a transaction of its own: without one, a refresh that failed
        # would leave the ratings deleted and their films' stats still counting them.
        with transaction.atomic():
            films = set(queryset.values_list("movie_id", flat=True))
            super().delete_queryset(request, queryset)
            refresh_rating_stats(films)


@admin.register(MovieRatingStats)
class MovieRatingStatsAdmin(MarqueeModelAdmin):
    """Kept from the ratings by catalog.rating_stats: browse it here; an edit lasts until
    the film's next rating."""

    list_display = ["movie", "votes", "score"]
    list_select_related = ["movie"]
    search_fields = ["movie__title"]
    autocomplete_fields = ["movie"]
    ordering = ["-votes"]


@admin.register(UserSearch)
class UserSearchAdmin(MarqueeModelAdmin):
    list_display = ["query", "results_count", "names_a_film", "user", "created_at"]
    list_select_related = ["user"]
    list_filter = ["names_a_film", "created_at"]
    search_fields = ["query", "user__username"]
    autocomplete_fields = ["user"]
    date_hierarchy = "created_at"
    actions = ["keep_off_the_public_list"]
    # Unfiltered, its count is the planner's estimate (config/admin_counts.py).
    paginator = EstimatedCountPaginator
    formfield_overrides = {models.JSONField: {"form_class": PrintableJSONField}}

    @admin.action(
        description="Keep the selected searches off the public most-searched list",
        permissions=["change"],
    )
    def keep_off_the_public_list(self, request, queryset):
        # Every search of the same query, whoever made it and however they spelt it: the
        # list counts them by their key, as here.
        chosen = queryset.values("query_key")
        hidden = UserSearch.objects.filter(query_key__in=chosen, names_a_film=True).update(
            names_a_film=False
        )
        self.message_user(request, f"{hidden} search(es) kept off the public list.")


@admin.register(MovieRelationship)
class MovieRelationshipAdmin(MarqueeModelAdmin):
    list_display = ["from_movie", "relationship_type", "to_movie", "weight"]
    list_select_related = ["from_movie", "to_movie"]
    list_filter = ["relationship_type"]
    search_fields = ["from_movie__title", "to_movie__title"]
    autocomplete_fields = ["from_movie", "to_movie"]
    readonly_fields = DERIVED_BY_IMPORT


@admin.register(MovieTag)
class MovieTagAdmin(MarqueeModelAdmin):
    list_display = ["tag", "movie", "source", "external_rater_id", "tagged_at"]
    list_select_related = ["movie"]
    list_filter = ["source"]
    search_fields = ["tag", "movie__title", "=external_rater_id"]
    autocomplete_fields = ["movie"]
    # A million imported tags: as for ratings, nothing that reads every row on each page.
    show_full_result_count = False
    # Unfiltered, its count is the planner's estimate (config/admin_counts.py).
    paginator = EstimatedCountPaginator
