"""The public catalog: home, the movie list, genres, search and a movie's page.

Anyone may browse and search; a logged-in visitor also sees their own library, feedback,
history and watchlist on a movie's page, and which films of a list are on their
watchlist. Every page runs a fixed number of queries, whatever the number of rows
(tests/catalog/test_views_queries.py holds them to it).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F
from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from catalog.filters import MovieFilter, SearchFilter, SearchForm, filters_for_log, narrows
from catalog.folding import names_a_title
from catalog.models import Genre, Movie, Rating, RatingSource, RelationshipType, Review, UserSearch
from catalog.pagination import KeysFirstPaginator
from catalog.querysets import MOST_SEARCHED_DAYS
from catalog.rating_spread import spreads_of
from catalog.review_views import REVIEWS_ON_FILM_PAGE, ReviewForm
from config.pagination import NearestPageMixin, NearestPagePaginator
from feedback.film_list_forms import film_lists_context

MOVIES_PER_PAGE = 25
REVIEWS_PER_PAGE = 25
HOME_SHELF_SIZE = 8

# Where a related film goes on a movie's page, by (relationship type, whether this movie is
# the relationship's from_movie). (Alien, Aliens, sequel) reads "Aliens is a sequel of
# Alien": Aliens is under Sequels on Alien's page, Alien under Prequels on Aliens' page.
# A sequel one way and a prequel the other are the same fact, so they share a group.
SEQUELS, PREQUELS = "Sequels", "Prequels"
RELATED_GROUP = {
    (RelationshipType.SEQUEL, True): SEQUELS,
    (RelationshipType.PREQUEL, False): SEQUELS,
    (RelationshipType.PREQUEL, True): PREQUELS,
    (RelationshipType.SEQUEL, False): PREQUELS,
    (RelationshipType.REMAKE, False): "Remake of",
    (RelationshipType.REMAKE, True): "Remakes",
    (RelationshipType.SPIN_OFF, False): "Spin-off of",
    (RelationshipType.SPIN_OFF, True): "Spin-offs",
    (RelationshipType.SAME_FRANCHISE, True): "Same franchise",
    (RelationshipType.SAME_FRANCHISE, False): "Same franchise",
    (RelationshipType.SIMILAR, True): "Similar films",
    (RelationshipType.SIMILAR, False): "Similar films",
}
RELATED_GROUP_ORDER = list(dict.fromkeys([PREQUELS, SEQUELS, *RELATED_GROUP.values()]))
IN_RELEASE_ORDER = {PREQUELS, SEQUELS}


@dataclass
class RelatedGroup:
    heading: str
    movies: list = field(default_factory=list)


def related_groups(movie: Movie) -> list[RelatedGroup]:
    """The movie's relationships in both directions, grouped under readable headings.

    Needs `Movie.objects.for_detail()`: it reads the prefetched relationships only.
    Prequels and sequels are in release order, the rest strongest link first; a film
    related in several ways is listed once, in the first group it belongs to.
    """
    links = [(rel, True, rel.to_movie) for rel in movie.relationships_from.all()]
    links += [(rel, False, rel.from_movie) for rel in movie.relationships_to.all()]
    by_heading = {heading: [] for heading in RELATED_GROUP_ORDER}
    for rel, outgoing, other in links:
        heading = RELATED_GROUP.get((rel.relationship_type, outgoing))
        if heading:  # the database admits no other type; this only guards the page
            by_heading[heading].append((rel, other))
    groups, seen = [], set()
    for heading, pairs in by_heading.items():
        if heading in IN_RELEASE_ORDER:
            pairs.sort(key=lambda pair: (pair[1].release_date or date.max, pair[1].title))
        else:
            pairs.sort(key=lambda pair: (-pair[0].weight, pair[1].title))
        group = RelatedGroup(heading=heading)
        for _rel, other in pairs:
            if other.pk not in seen:
                seen.add(other.pk)
                group.movies.append(other)
        if group.movies:
            groups.append(group)
    return groups


def movies_for_listing(request):
    """Movie.objects.for_listing(), with when the visitor put each film on their
    watchlist, whether they have seen it and their own stars, if they are logged in: the
    cards mark those films."""
    movies = Movie.objects.for_listing()
    if request.user.is_authenticated:
        user = request.user
        movies = movies.with_watchlist_of(user).with_seen_by(user).with_rating_by(user)
    return movies


class HomeView(TemplateView):
    template_name = "catalog/home.html"

    def get_context_data(self, **kwargs):
        movies = movies_for_listing(self.request)
        return super().get_context_data(**kwargs) | {
            "popular": movies.popular()[:HOME_SHELF_SIZE],
            "top_rated": movies.top_rated()[:HOME_SHELF_SIZE],
            "genres": Genre.objects.order_by("name"),
        }


class MovieListView(NearestPageMixin, FilterView):
    """All films, filtered and sorted. With invalid filters FilterView (strict) shows no
    films; the template then says so and shows each error next to its field."""

    filterset_class = MovieFilter
    paginate_by = MOVIES_PER_PAGE
    paginator_class = KeysFirstPaginator
    template_name = "catalog/movie_list.html"

    def get_queryset(self):
        return movies_for_listing(self.request)


def genre_in_any_case(slug: str) -> Genre | None:
    """The one genre whose slug is `slug` in another case ("Drama" for "drama"), if only
    one is: two slugs that differ only in case leave it unclear which was meant."""
    found = list(Genre.objects.filter(slug__iexact=slug)[:2])
    return found[0] if len(found) == 1 else None


class GenreDetailView(MovieListView):
    template_name = "catalog/genre_detail.html"

    def get(self, request, *args, **kwargs):
        self.genre = Genre.objects.filter(slug=kwargs["slug"]).first()
        if self.genre is None:
            return self.redirect_to_the_slug_in_its_case(kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def redirect_to_the_slug_in_its_case(self, slug: str):
        # /genres/Drama/ is typed or linked from elsewhere; one address per genre (301).
        genre = genre_in_any_case(slug)
        if genre is None:
            raise Http404("No genre has this name.")
        query = self.request.GET.urlencode()
        return HttpResponsePermanentRedirect(
            genre.get_absolute_url() + (f"?{query}" if query else "")
        )

    def get_queryset(self):
        return super().get_queryset().filter(genres=self.genre)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"genre": self.genre}


class SearchView(MovieListView):
    """Search results, refined by the same filters. Every search run is recorded as a
    UserSearch; paging through its results or an empty query records nothing."""

    filterset_class = SearchFilter
    template_name = "catalog/search.html"

    def get(self, request, *args, **kwargs):
        self.search_form = SearchForm(request.GET)
        self.query = self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""
        response = super().get(request, *args, **kwargs)
        if self.query and self.filterset.is_valid() and self.is_first_page():
            found = response.context_data["page_obj"].object_list
            UserSearch.objects.create(
                query=self.query,
                filters=filters_for_log(self.filterset.form.cleaned_data),
                results_count=response.context_data["paginator"].count,
                names_a_film=any(names_a_title(self.query, m.search_title) for m in found),
                user=request.user if request.user.is_authenticated else None,
            )
        return response

    def is_first_page(self):
        # The page asked for, not the one shown: a link to page 2 kept from a search whose
        # results have shrunk since shows page 1, yet it pages through that search.
        return self.request.GET.get(self.page_kwarg, "1") in ("", "1")

    def get_queryset(self):
        movies = super().get_queryset()
        if not self.query:
            # No results, but the filters still run on it: it needs the annotations that
            # they read (rating_average), or ?rating_min=7 alone is a FieldError.
            return movies.none()
        return movies.search(self.query)

    def get_paginate_by(self, queryset):
        # No query, no results to page through.
        return super().get_paginate_by(queryset) if self.query else None

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "search_form": self.search_form,
            "query": self.query,
            # Whether the filters, not the words, may be why nothing is found.
            "refined": self.filterset.is_valid() and narrows(self.filterset.form.cleaned_data),
            "most_searched": UserSearch.objects.most_searched(),
            "most_searched_days": MOST_SEARCHED_DAYS,
        }


class MovieDetailView(DetailView):
    template_name = "catalog/movie_detail.html"
    context_object_name = "movie"

    def get_queryset(self):
        movies, user = Movie.objects.for_detail(), self.request.user
        if user.is_authenticated:
            movies = (
                movies.with_library_of(user)
                .with_watchlist_of(user)
                .with_not_interested_of(user)
                .with_rating_by(user)
            )
        return movies

    def get_context_data(self, **kwargs):
        movie = self.object
        source_labels = dict(RatingSource.choices)
        ratings_by_source = [
            {**row, "label": source_labels.get(row["source"], row["source"])}
            for row in Rating.objects.filter(movie=movie).stats_by_source()
        ]
        # Imported reviews; members' own are a section of their own.
        reviews = movie.reviews.imported().order_by(F("posted_at").desc(nulls_last=True), "-id")
        # get_page, not page: a bad ?page= on a movie shows its first or last reviews.
        reviews_page = NearestPagePaginator(reviews, REVIEWS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return (
            super().get_context_data(**kwargs)
            | {
                "ratings_by_source": ratings_by_source,
                "rating_spreads": spreads_of(movie),
                "reviews_page": reviews_page,
                "related_groups": related_groups(movie),
            }
            | self.members_reviews(movie)
        )

    def members_reviews(self, movie):
        # One more than shown: whether to link to the rest, without counting them.
        newest = list(Review.objects.by_members().filter(movie=movie)[: REVIEWS_ON_FILM_PAGE + 1])
        context = {
            "members_reviews": newest[:REVIEWS_ON_FILM_PAGE],
            "more_members_reviews": len(newest) > REVIEWS_ON_FILM_PAGE,
        }
        user = self.request.user
        if user.is_authenticated:
            # Always read, even when it is among the newest: a fixed number of queries.
            own = Review.objects.filter(user=user, movie=movie).first()
            context |= {
                "own_review": own,
                "review_form": ReviewForm(initial=ReviewForm.initial_for(own)),
            } | film_lists_context(user, movie)
        return context
