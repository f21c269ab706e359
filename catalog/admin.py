from django.contrib import admin
from django.db.models import Count

from catalog.models import Genre, Movie, MovieRelationship, Rating, Review, UserSearch


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "movie_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(movie_total=Count("movies"))

    @admin.display(description="movies", ordering="movie_total")
    def movie_count(self, genre):
        return genre.movie_total


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    fields = [
        "source",
        "tweet_id",
        "author",
        "posted_at",
        "text",
        "sentiment_score",
        "sentiment_label",
    ]
    show_change_link = True


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = [
        "source",
        "rater_kind",
        "user",
        "external_rater_id",
        "value",
        "scale_min",
        "scale_max",
        "vote_count",
    ]
    autocomplete_fields = ["user"]
    show_change_link = True

    def get_queryset(self, request):
        # A popular movie has thousands of individual ratings: the inline shows the
        # aggregates and Marquee users' own, the changelist has the rest.
        return super().get_queryset(request).exclude(rater_kind="external").select_related("user")


class RelationshipInline(admin.TabularInline):
    model = MovieRelationship
    fk_name = "from_movie"
    extra = 0
    autocomplete_fields = ["to_movie"]
    verbose_name = "related movie"
    verbose_name_plural = "related movies (the related movie is a … of this one)"


@admin.register(Movie)
class MovieAdmin(admin.ModelAdmin):
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
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RelationshipInline, ReviewInline, RatingInline]
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
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("genres")

    @admin.display(description="genres")
    def genre_list(self, movie):
        return ", ".join(genre.name for genre in movie.genres.all())


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["movie", "source", "author", "tweet_id", "posted_at", "sentiment_label"]
    list_select_related = ["movie"]
    list_filter = ["source", "sentiment_label"]
    search_fields = ["text", "author", "movie__title", "=tweet_id"]
    autocomplete_fields = ["movie"]
    date_hierarchy = "posted_at"


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
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
    date_hierarchy = "rated_at"

    @admin.display(description="rater")
    def rater(self, rating):
        if rating.user_id:
            return rating.user.get_username()
        return rating.external_rater_id or "—"


@admin.register(UserSearch)
class UserSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "results_count", "user", "created_at"]
    list_select_related = ["user"]
    list_filter = ["created_at"]
    search_fields = ["query", "user__username"]
    autocomplete_fields = ["user"]
    date_hierarchy = "created_at"


@admin.register(MovieRelationship)
class MovieRelationshipAdmin(admin.ModelAdmin):
    list_display = ["from_movie", "relationship_type", "to_movie", "weight"]
    list_select_related = ["from_movie", "to_movie"]
    list_filter = ["relationship_type"]
    search_fields = ["from_movie__title", "to_movie__title"]
    autocomplete_fields = ["from_movie", "to_movie"]
