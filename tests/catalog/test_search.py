"""Search: what it finds on both databases, what it records, and the PostgreSQL index."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.filters import ORDERING_CHOICES
from catalog.folding import names_a_title, search_title
from catalog.models import Movie, UserSearch
from catalog.querysets import MOST_SEARCHED_DAYS, MOST_SEARCHED_MIN_PEOPLE
from tests.factories import GenreFactory, MovieFactory, UserFactory, UserSearchFactory

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("catalog:search")


def titles(response):
    return [movie.title for movie in response.context["object_list"]]


@pytest.fixture
def films():
    return {
        "godfather": MovieFactory(
            title="The Godfather",
            overview="The aging patriarch of an organized crime dynasty transfers control.",
            popularity=90,
        ),
        "heat": MovieFactory(
            title="Heat",
            overview="A group of professional bank robbers feel the heat from police.",
            popularity=50,
        ),
        "mentions": MovieFactory(
            title="Mean Streets",
            overview="A small-time hood in Little Italy, in the shadow of the godfather.",
            popularity=99,
        ),
        "other": MovieFactory(
            title="Amélie", overview="A shy waitress decides to change lives.", popularity=70
        ),
    }


def test_finds_a_title_before_an_overview_that_mentions_it(client, films):
    response = client.get(SEARCH_URL, {"q": "godfather"})

    assert response.status_code == HTTPStatus.OK
    # Mean Streets is more popular, but the word is only in its overview.
    assert titles(response) == ["The Godfather", "Mean Streets"]


def test_finds_words_of_the_overview(client, films):
    assert titles(client.get(SEARCH_URL, {"q": "bank robbers"})) == ["Heat"]


def test_a_partial_title_still_finds_its_film(client, films):
    # Whole words only for full text: "godfat" is no word, so this is the title fallback.
    assert titles(client.get(SEARCH_URL, {"q": "Godfat"}))[0] == "The Godfather"


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ({"q": "alien"}, "<title>Search: “alien” · Marquee</title>"),
        ({}, "<title>Search · Marquee</title>"),
    ],
)
def test_the_page_s_title_says_it_is_a_search(client, query, title):
    assert title in client.get(SEARCH_URL, query).content.decode()


def test_nothing_found_says_so(client, films):
    response = client.get(SEARCH_URL, {"q": "zyzzyva"})

    assert titles(response) == []
    assert "No film matches this search." in response.content.decode()


def test_results_show_the_overview_and_take_the_filters(client, films):
    crime = GenreFactory(name="Crime", slug="crime")
    films["heat"].genres.set([crime])
    films["heat"].overview += " The godfather of heists."
    films["heat"].save()

    response = client.get(SEARCH_URL, {"q": "godfather", "genres": crime.pk})

    assert titles(response) == ["Heat"]
    assert "A group of professional bank robbers" in response.content.decode()


def test_sorting_replaces_relevance(client, films):
    response = client.get(SEARCH_URL, {"q": "godfather", "ordering": "title"})

    assert titles(response) == ["Mean Streets", "The Godfather"]


def test_results_are_paged_with_the_query_in_the_links(client):
    for number in range(30):
        MovieFactory(title=f"Harbour {number:02d}")

    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert len(response.context["object_list"]) == 25
    assert '?q=harbour&amp;page=2" rel="next"' in response.content.decode()
    assert len(client.get(SEARCH_URL, {"q": "harbour", "page": 2}).context["object_list"]) == 5


class TestRecording:
    def test_records_the_query_filters_count_and_user(self, user_client, user, films):
        crime = GenreFactory(name="Crime", slug="crime")
        films["godfather"].genres.set([crime])

        user_client.get(
            SEARCH_URL,
            {"q": " godfather ", "genres": crime.pk, "runtime_min": "1", "ordering": "-year"},
        )

        search = UserSearch.objects.get()
        assert search.query == "godfather"
        assert search.results_count == 1
        assert search.user == user
        assert search.filters == {"genres": ["crime"], "runtime_min": 1, "ordering": ["-year"]}

    def test_an_anonymous_search_is_recorded_without_a_user(self, client, films):
        client.get(SEARCH_URL, {"q": "heat"})

        search = UserSearch.objects.get()
        assert (search.query, search.results_count, search.user, search.filters) == (
            "heat",
            1,
            None,
            {},
        )

    def test_a_search_that_finds_nothing_is_recorded_too(self, client, films):
        client.get(SEARCH_URL, {"q": "zyzzyva"})

        assert UserSearch.objects.get().results_count == 0

    def test_the_count_is_of_all_results_not_of_the_page(self, client):
        MovieFactory.create_batch(30, title="Harbour")

        client.get(SEARCH_URL, {"q": "harbour"})

        assert UserSearch.objects.get().results_count == 30

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"q": ""},
            {"q": "   "},
            {"q": "heat", "page": "2"},
            {"q": "heat", "year_min": "abc"},
            {"q": "x" * 256},
        ],
        ids=["no-q", "empty-q", "blank-q", "second-page", "invalid-filter", "too-long"],
    )
    def test_records_nothing_when_nothing_was_searched(self, client, films, params):
        response = client.get(SEARCH_URL, params)

        assert response.status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}
        assert not UserSearch.objects.exists()


def most_searched(response):
    return [(row["query"], row["people"]) for row in response.context["most_searched"]]


def searched_by(people: int, query: str, **fields):
    for user in UserFactory.create_batch(people):
        UserSearchFactory(query=query, user=user, **fields)


def test_an_empty_search_shows_what_most_people_search_for(client):
    for query, people in (("Kurosawa", 5), ("noir", 3), ("heat", 4)):
        searched_by(people, query)
    searched_by(1, "KUROSAWA")

    response = client.get(SEARCH_URL)

    assert response.status_code == HTTPStatus.OK
    assert most_searched(response) == [("kurosawa", 6), ("heat", 4), ("noir", 3)]
    html = response.content.decode()
    assert (
        '<a href="/search/?q=kurosawa">kurosawa</a> <span class="muted">(6 people)</span>' in html
    )
    assert "Results for" not in html


def test_a_query_is_shown_once_enough_people_made_it(client):
    searched_by(MOST_SEARCHED_MIN_PEOPLE - 1, "my neighbour's name")
    searched_by(MOST_SEARCHED_MIN_PEOPLE, "heat")

    assert most_searched(client.get(SEARCH_URL)) == [("heat", MOST_SEARCHED_MIN_PEOPLE)]


def test_one_person_searching_often_counts_once(client, user):
    UserSearchFactory.create_batch(30, query="buy cheap pills", user=user)
    searched_by(MOST_SEARCHED_MIN_PEOPLE - 2, "buy cheap pills")  # one person short

    assert most_searched(client.get(SEARCH_URL)) == []


def test_only_the_last_days_searches_count(client):
    searched_by(MOST_SEARCHED_MIN_PEOPLE, "heat")
    searched_by(MOST_SEARCHED_MIN_PEOPLE + 5, "last year's craze")
    long_ago = timezone.now() - dt.timedelta(days=MOST_SEARCHED_DAYS, minutes=1)
    UserSearch.objects.filter(query="last year's craze").update(created_at=long_ago)

    response = client.get(SEARCH_URL)

    assert most_searched(response) == [("heat", MOST_SEARCHED_MIN_PEOPLE)]
    assert f"In the last {MOST_SEARCHED_DAYS} days." in response.content.decode()


def test_anonymous_searches_and_searches_that_found_nothing_do_not_count(client):
    UserSearchFactory.create_batch(30, query="heat", user=None)
    searched_by(MOST_SEARCHED_MIN_PEOPLE, "zyzzyva", results_count=0)

    response = client.get(SEARCH_URL)

    assert most_searched(response) == []
    assert "No search has been made by enough people yet." in response.content.decode()


def test_anonymous_visitors_cannot_write_the_public_list(films):
    spam = "buy cheap pills at evil.example"
    visitor = Client()
    for _ in range(30):
        visitor.get(SEARCH_URL, {"q": spam})
        visitor.get(SEARCH_URL, {"q": "godfather"})

    html = Client().get(SEARCH_URL).content.decode()

    assert UserSearch.objects.count() == 60  # still logged, just not shown
    assert spam not in html
    assert "godfather" not in html


def test_searches_made_through_the_page_by_enough_people_are_shown(client, films):
    for user in UserFactory.create_batch(MOST_SEARCHED_MIN_PEOPLE):
        searcher = Client()
        searcher.force_login(user)
        searcher.get(SEARCH_URL, {"q": "Godfather"})
        searcher.get(SEARCH_URL, {"q": "godfather "})

    assert most_searched(client.get(SEARCH_URL)) == [("godfather", MOST_SEARCHED_MIN_PEOPLE)]


def test_text_around_a_title_never_reaches_the_public_list(client, films):
    """'or' makes the query find The Godfather: enough sign-ups would otherwise put any
    text on a page every visitor sees."""
    spam = "godfather or buy cheap pills at evil.example"
    for user in UserFactory.create_batch(MOST_SEARCHED_MIN_PEOPLE + 2):
        searcher = Client()
        searcher.force_login(user)
        assert "The Godfather" in titles(searcher.get(SEARCH_URL, {"q": spam}))
        searcher.get(SEARCH_URL, {"q": "godfath"})

    html = client.get(SEARCH_URL).content.decode()

    assert UserSearch.objects.filter(query=spam, names_a_film=False).count() == 5
    assert "evil.example" not in html
    assert most_searched(client.get(SEARCH_URL)) == [("godfath", 5)]


def test_staff_keep_a_query_off_the_public_list_for_everyone_who_made_it(client, staff_client):
    searched_by(MOST_SEARCHED_MIN_PEOPLE + 1, "Heat")
    searched_by(1, "HEAT")
    searched_by(1, "héat")  # spelt otherwise, searched alike
    searched_by(MOST_SEARCHED_MIN_PEOPLE, "noir")
    one = UserSearch.objects.filter(query="Heat").first()

    response = staff_client.post(
        reverse("admin:catalog_usersearch_changelist"),
        {"action": "keep_off_the_public_list", "_selected_action": [one.pk]},
        follow=True,
    )

    assert "6 search(es) kept off the public list." in response.content.decode()
    assert most_searched(client.get(SEARCH_URL)) == [("noir", MOST_SEARCHED_MIN_PEOPLE)]
    assert UserSearch.objects.count() == 9  # still in the log


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("godfather", True),
        ("The GODFATHER", True),
        ("godf", True),  # where a title word starts, as search matches
        ('"the godfather"', True),
        ("father", False),  # inside a word
        ("godfather part", False),
        ("godfather -heat", False),
        ("godfather or pills", False),
        ("!!!", False),
    ],
)
def test_a_query_names_a_film_when_each_word_starts_a_word_of_its_title(query, names):
    assert names_a_title(query, search_title("The Godfather", "")) is names


@pytest.mark.parametrize(
    ("query", "title", "names"),
    [
        ("godfather part 2", "The Godfather: Part II", True),  # either numeral, as search
        ("rocky ii", "Rocky 2", True),
        ("rocky 3", "Rocky II", False),
        ("blade runner ii", "Blade Runner 2049", False),  # the other numeral is a whole word
        ("the matrix", "Matrix", True),  # the query's article, which the title lacks
        ("the", "Matrix", False),  # an article alone is the query, not an article
        ("the heat", "Heat", True),
        ("the heat", "The Heat", True),
        ("matrix the", "Matrix", False),  # only a leading article may be left out
    ],
)
def test_a_query_names_a_film_as_search_reads_numerals_and_articles(query, title, names):
    assert names_a_title(query, search_title(title, "")) is names


NO_SEARCH = {
    "no-q": {},
    "empty-q": {"q": ""},
    "blank-q": {"q": " "},
    "too-long-q": {"q": "x" * 360},
    "nul-q": {"q": "god\x00father"},
}
EVERY_FILTER = [
    {"title": "heat"},
    {"genres": "GENRE"},
    {"year_min": "1990", "year_max": "2000"},
    {"runtime_min": "1", "runtime_max": "900"},
    {"rating_min": "7"},
    {"rating_min": "5"},
    {"has_reviews": "true"},
    {"has_reviews": "false"},
    *({"ordering": key} for key, _label in ORDERING_CHOICES),
]


@pytest.mark.parametrize("search", NO_SEARCH.values(), ids=NO_SEARCH.keys())
@pytest.mark.parametrize("refinement", EVERY_FILTER, ids=lambda params: "&".join(params))
def test_a_filter_or_order_without_a_search_shows_no_results_not_an_error(
    client, films, search, refinement
):
    """The filters run on the empty result too: /search/?rating_min=7 was a FieldError
    (rating_average was not annotated on it)."""
    genre = GenreFactory()
    params = {name: genre.pk if value == "GENRE" else value for name, value in refinement.items()}

    response = client.get(SEARCH_URL, search | params)

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["object_list"]) == []
    assert "Results for" not in response.content.decode()
    assert not UserSearch.objects.exists()


def test_a_too_long_query_is_an_error_next_to_the_field(client):
    response = client.get(SEARCH_URL, {"q": "x" * 300})

    assert response.status_code == HTTPStatus.OK
    assert response.context["search_form"].errors["q"] == [
        "Ensure this value has at most 255 characters (it has 300)."
    ]
    assert 'id="id_q_error"' in response.content.decode()


def test_a_nul_byte_is_an_error_not_a_crash(client, films):
    response = client.get(SEARCH_URL, {"q": "god\x00father"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["search_form"].errors["q"] == ["Null characters are not allowed."]


def test_postgresql_stems_words_where_sqlite_matches_letters(client):
    MovieFactory(title="Running on Empty", overview="")

    found = titles(client.get(SEARCH_URL, {"q": "runs"}))

    assert found == (["Running on Empty"] if connection.vendor == "postgresql" else [])
    assert titles(client.get(SEARCH_URL, {"q": "runn"})) == ["Running on Empty"]


def test_both_databases_understand_web_search_syntax(client, films):
    def search(query):
        return titles(client.get(SEARCH_URL, {"q": query}))

    assert search("godfather -streets") == ["The Godfather"]
    assert search("robbers bank") == ["Heat"]
    assert search('"bank robbers"') == ["Heat"]
    assert search('"robbers bank"') == []
    assert sorted(search("heat or amélie")) == ["Amélie", "Heat"]
    assert sorted(search("-godfather")) == ["Amélie", "Heat"]


def test_the_search_query_uses_the_gin_index_on_postgresql_and_like_on_sqlite(films):
    queryset = Movie.objects.for_listing().search("godfather")
    if connection.vendor == "sqlite":
        # No full-text index here: the fallback matches with LIKE over the whole table.
        plan = str(queryset.query).upper()
        assert "LIKE" in plan
        assert "catalog_movie_search_idx" not in queryset.explain()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            try:
                plan = queryset.explain()
            finally:
                cursor.execute("RESET enable_seqscan")
        assert "catalog_movie_search_idx" in plan

    assert [movie.title for movie in queryset] == ["The Godfather", "Mean Streets"]


def films_by_popularity(*titles):
    """Films without overviews, the first the most popular."""
    for popularity, title in enumerate(reversed(titles), start=1):
        MovieFactory(title=title, overview="", popularity=popularity)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("alien -resurrection", ["Alien"]),
        # Full text finds nothing for these ("godfat" is no word; the one film with
        # "part" has "ii"), so PostgreSQL falls back to titles: the syntax holds there too.
        ("godfather part -ii", []),
        ("godfat -part", ["The Godfather"]),
        (
            "godfat or alie -resurrection",
            ["The Godfather Part II", "The Godfather", "Alien"],
        ),
        ("godfat -godfather", []),
        ("resurrection -alien", []),
        ("or", []),
    ],
)
def test_an_excluded_word_is_excluded_on_both_databases(client, query, found):
    films_by_popularity("The Godfather Part II", "The Godfather", "Alien", "Alien Resurrection")

    assert titles(client.get(SEARCH_URL, {"q": query})) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Alien - Covenant", ["Alien: Covenant"]),  # a dash alone, as in titles, is no "not"
        ("alien -covenant", ["Alien", "Aliens"]),
        ("--covenant", ["Aliens", "Alien", "Heat"]),
        ("-covenant -heat", ["Aliens", "Alien"]),
        ('alien -"covenant"', ["Alien", "Aliens"]),
        ('"alien covenant"', ["Alien: Covenant"]),
        ("heat or covenant -alien", ["Heat"]),
    ],
)
def test_both_databases_read_a_query_alike(client, query, found):
    films_by_popularity("Alien: Covenant", "Aliens", "Alien", "Heat")

    assert titles(client.get(SEARCH_URL, {"q": query})) == found


class TestNothingFound:
    WORDS_MESSAGE = "No film matches this search. Try fewer words, or part of a title."
    FILTERS_MESSAGE = "No film matches this search with these filters."
    CLEAR_LINK = '<a href="/search/?q=alien">Clear filters</a>'

    @pytest.fixture(autouse=True)
    def alien(self):
        MovieFactory(title="Alien", overview="", year=1979)

    def test_filters_that_leave_nothing_are_blamed_not_the_words(self, user_client):
        response = user_client.get(SEARCH_URL, {"q": "alien", "watchlist": "on"})

        html = response.content.decode()
        assert titles(response) == []
        assert self.FILTERS_MESSAGE in html
        assert self.WORDS_MESSAGE not in html
        assert f'<p class="empty">{self.FILTERS_MESSAGE} {self.CLEAR_LINK}</p>' in html

    def test_words_that_find_nothing_are_blamed_whatever_the_order(self, client):
        html = client.get(SEARCH_URL, {"q": "zyzzyva", "ordering": "title"}).content.decode()

        assert self.WORDS_MESSAGE in html
        assert self.FILTERS_MESSAGE not in html
