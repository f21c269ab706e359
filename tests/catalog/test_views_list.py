"""The movie list and genre pages: filters, sorting, pagination and invalid filters."""

from decimal import Decimal
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from catalog.filters import MovieFilter
from catalog.models import Movie
from catalog.querysets import TOP_RATED_DAMPING, damped_rating
from catalog.templatetags.catalog_tags import out_of_ten
from tests.factories import (
    GenreFactory,
    MovieFactory,
    MovieRatingStatsFactory,
    RatingFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:movie_list")


def titles(response):
    return [movie.title for movie in response.context["object_list"]]


def rate(movie, *values):
    """Ratings on the default 1-5 scale: 5 is 1.0, 4 is 0.75, 1 is 0.0 once normalised."""
    for value in values:
        RatingFactory(movie=movie, value=value)


@pytest.fixture
def drama():
    return GenreFactory(name="Drama", slug="drama")


@pytest.fixture
def comedy():
    return GenreFactory(name="Comedy", slug="comedy")


@pytest.fixture
def horror():
    return GenreFactory(name="Horror", slug="horror")


def test_lists_films_with_genres_and_average_on_ten(client, drama):
    movie = MovieFactory(title="Brief Encounter", year=1945, release_date=None, genres=[drama])
    rate(movie, 5, 4)  # (1.0 + 0.75) / 2 = 0.875

    response = client.get(LIST_URL)

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == ["Brief Encounter"]
    html = response.content.decode()
    assert "8.8 / 10" in html
    assert "from 2 ratings" in html
    assert f'href="{drama.get_absolute_url()}"' in html


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("oceans", ["Ocean's Eleven"]),
        ("ocean's", ["Ocean's Eleven"]),
        ("schindlers list", ["Schindler's List"]),
        ("l'avv", ["L'Avventura"]),
        ("avventura", ["L'Avventura"]),
    ],
)
def test_title_contains_reads_the_apostrophe_both_ways(client, typed, found):
    for title in ("Ocean's Eleven", "Schindler's List", "L'Avventura", "Oceania"):
        MovieFactory(title=title)

    assert titles(client.get(LIST_URL, {"title": typed})) == found


@pytest.mark.parametrize("typed", ["%", "_", "---", ":", "'"])
def test_a_title_of_punctuation_alone_is_refused_not_taken_for_every_film(client, typed):
    MovieFactory(title="Vertigo")

    response = client.get(LIST_URL, {"title": typed})

    assert response.status_code == 200
    assert titles(response) == []
    assert "Type a letter or a digit of the title." in response.content.decode()


def test_title_contains_ignores_case(client):
    MovieFactory(title="The Third Man")
    MovieFactory(title="Manhattan")
    MovieFactory(title="Vertigo")

    response = client.get(LIST_URL, {"title": "MAN"})

    assert titles(response) == ["Manhattan", "The Third Man"]


def test_genres_match_any_of_several_and_list_each_film_once(client, drama, comedy, horror):
    MovieFactory(title="Both", genres=[drama, comedy])
    MovieFactory(title="Only drama", genres=[drama])
    MovieFactory(title="Only comedy", genres=[comedy])
    MovieFactory(title="Only horror", genres=[horror])
    MovieFactory(title="No genre")

    response = client.get(LIST_URL, {"genres": [drama.pk, comedy.pk]})

    assert titles(response) == ["Both", "Only comedy", "Only drama"]
    assert response.context["paginator"].count == 3


def test_year_and_runtime_ranges_include_their_bounds(client):
    MovieFactory(title="Too old", year=1979, release_date=None, runtime_minutes=100)
    MovieFactory(title="First year", year=1980, release_date=None, runtime_minutes=90)
    MovieFactory(title="Last year", year=1989, release_date=None, runtime_minutes=120)
    MovieFactory(title="Too long", year=1985, release_date=None, runtime_minutes=121)
    MovieFactory(title="Too new", year=1990, release_date=None, runtime_minutes=100)
    MovieFactory(title="Unknown year", year=None, release_date=None, runtime_minutes=100)

    response = client.get(
        LIST_URL, {"year_min": 1980, "year_max": 1989, "runtime_min": 90, "runtime_max": 120}
    )

    assert titles(response) == ["First year", "Last year"]


@pytest.mark.parametrize("average", ["7.05", "7.25", "7.35", "7.55", "6.95", "7.049", "7.15"])
def test_the_minimum_rating_lists_a_film_as_its_card_shows_it(client, average):
    movie = MovieFactory(title="Halfway")
    RatingFactory(movie=movie, aggregate=True, value=float(average), scale_min=0, scale_max=10)
    [card] = client.get(LIST_URL).context["object_list"]
    shown = out_of_ten(card.rating_average)  # as the card shows it

    for tenth in range(60, 80):
        minimum = f"{tenth / 10:.1f}"
        listed = titles(client.get(LIST_URL, {"rating_min": minimum})) == ["Halfway"]
        assert listed is (Decimal(shown.split(" ")[0]) >= Decimal(minimum)), (shown, minimum)


def test_minimum_rating_is_on_a_zero_to_ten_scale(client):
    rate(MovieFactory(title="Loved"), 5)  # 10 / 10
    rate(MovieFactory(title="Liked"), 4)  # 7.5 / 10
    rate(MovieFactory(title="Disliked"), 2)  # 2.5 / 10
    MovieFactory(title="Unrated")

    assert titles(client.get(LIST_URL, {"rating_min": "7.5"})) == ["Liked", "Loved"]
    assert titles(client.get(LIST_URL, {"rating_min": "8"})) == ["Loved"]
    assert titles(client.get(LIST_URL, {"rating_min": "0"})) == ["Disliked", "Liked", "Loved"]


def test_minimum_rating_admits_a_film_shown_with_that_rating(client):
    RatingFactory(movie=MovieFactory(title="Borderline"), aggregate=True, value=7.76)

    response = client.get(LIST_URL, {"rating_min": "7.8"})

    assert titles(response) == ["Borderline"]
    assert "7.8 / 10" in response.content.decode()
    assert titles(client.get(LIST_URL, {"rating_min": "7.9"})) == []


def test_has_reviews_filters_both_ways(client):
    ReviewFactory.create_batch(2, movie=MovieFactory(title="Reviewed"))
    MovieFactory(title="Silent")

    assert titles(client.get(LIST_URL, {"has_reviews": "true"})) == ["Reviewed"]
    assert titles(client.get(LIST_URL, {"has_reviews": "false"})) == ["Silent"]
    assert titles(client.get(LIST_URL, {"has_reviews": "unknown"})) == ["Reviewed", "Silent"]


@pytest.fixture
def sortable():
    """Three films whose order differs by every key; one has no rating and no year."""
    old = MovieFactory(title="Beta", year=1950, release_date=None, popularity=5)
    new = MovieFactory(title="Alpha", year=2010, release_date=None, popularity=50)
    unknown = MovieFactory(title="Gamma", year=None, release_date=None, popularity=20)
    rate(old, 5)
    rate(new, 3, 3, 3)
    return old, new, unknown


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("", ["Alpha", "Beta", "Gamma"]),
        ("title", ["Alpha", "Beta", "Gamma"]),
        ("-title", ["Gamma", "Beta", "Alpha"]),
        ("-year", ["Alpha", "Beta", "Gamma"]),
        ("year", ["Beta", "Alpha", "Gamma"]),
        ("-rating", ["Beta", "Alpha", "Gamma"]),
        ("rating", ["Alpha", "Beta", "Gamma"]),
        ("-votes", ["Alpha", "Beta", "Gamma"]),
        ("votes", ["Gamma", "Beta", "Alpha"]),
        ("-popularity", ["Alpha", "Gamma", "Beta"]),
        ("popularity", ["Beta", "Gamma", "Alpha"]),
    ],
)
def test_sorting_puts_unknown_years_and_ratings_last(client, sortable, ordering, expected):
    response = client.get(LIST_URL, {"ordering": ordering})

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == expected


@pytest.fixture
def few_and_many_votes():
    """One perfect vote against hundreds of good ones and hundreds of poor ones."""
    once = MovieFactory(title="A Rated once")
    rate(once, 5)  # 1.0
    good = MovieFactory(title="B Hundreds at 4.5")
    RatingFactory(movie=good, aggregate=True, value=4.5, scale_min=1, scale_max=5, vote_count=300)
    poor = MovieFactory(title="C Hundreds at 2.5")
    RatingFactory(movie=poor, aggregate=True, value=2.5, scale_min=1, scale_max=5, vote_count=300)
    MovieFactory(title="D Unrated")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        # The catalog's mean is (1 + 262.5 + 112.5) / 601 = 0.63. Damped by 10 votes at
        # it: (1 + 6.3) / 11 = 0.66 for the one vote, (262.5 + 6.3) / 310 = 0.87 and
        # (112.5 + 6.3) / 310 = 0.38 for the hundreds. Plain averages would put the one
        # vote first both ways: 1.0 above 0.875, and below it on the way up.
        ("-rating", ["B Hundreds at 4.5", "A Rated once", "C Hundreds at 2.5", "D Unrated"]),
        ("rating", ["C Hundreds at 2.5", "A Rated once", "B Hundreds at 4.5", "D Unrated"]),
    ],
)
def test_rating_sorts_weigh_one_vote_against_hundreds(
    client, few_and_many_votes, ordering, expected
):
    response = client.get(LIST_URL, {"ordering": ordering})

    assert titles(response) == expected
    # Each card still shows its film's own average and votes, not the damped one.
    html = response.content.decode()
    assert "10.0 / 10</span> <span>from 1 rating</span>" in html
    assert "8.8 / 10</span> <span>from 300 ratings</span>" in html
    assert "3.8 / 10</span> <span>from 300 ratings</span>" in html
    assert "Highest and lowest rated add 10 votes at the catalog&#x27;s average to" in html


@pytest.mark.parametrize("ordering", ["-rating", "rating"])
def test_films_rated_alike_tie_by_title_whatever_the_last_bits_of_their_sums(client, ordering):
    """Stats are sums of floats added in the order ratings came: two films of eleven
    votes averaging the same can hold 5.777...770 and 5.777...777. They tie, by title."""
    for title, score in (("Glass Circus", 5.777777777777777), ("Paper Letter", 5.777777777777770)):
        MovieRatingStatsFactory(movie=MovieFactory(title=title), votes=11, score=score)

    response = client.get(LIST_URL, {"ordering": ordering})

    assert titles(response) == ["Glass Circus", "Paper Letter"]


def test_the_damped_average_counts_ten_votes_at_the_catalog_s_mean(few_and_many_votes):
    mean = (1 + 300 * 0.875 + 300 * 0.375) / 601  # every vote of every film, once

    damped = dict(Movie.objects.annotate(damped=damped_rating()).values_list("title", "damped"))

    assert TOP_RATED_DAMPING == 10
    assert damped == {
        "A Rated once": pytest.approx((1 + 10 * mean) / (1 + 10)),
        "B Hundreds at 4.5": pytest.approx((300 * 0.875 + 10 * mean) / (300 + 10)),
        "C Hundreds at 2.5": pytest.approx((300 * 0.375 + 10 * mean) / (300 + 10)),
        "D Unrated": None,
    }


def test_films_tied_on_the_damped_average_stay_in_title_order_across_pages(client):
    for number in range(30):
        rate(MovieFactory(title=f"Tied {29 - number:02d}"), 4, 4)

    first = titles(client.get(LIST_URL, {"ordering": "-rating"}))
    second = titles(client.get(LIST_URL, {"ordering": "-rating", "page": 2}))

    assert first + second == [f"Tied {number:02d}" for number in range(30)]


def test_the_sort_choices_are_the_five_documented_keys_both_ways():
    choices = [value for value, _label in MovieFilter().form.fields["ordering"].choices]

    assert sorted(choices) == sorted(
        f"{sign}{key}"
        for key in ("title", "year", "rating", "votes", "popularity")
        for sign in ("", "-")
    )


def test_pages_of_25_whose_links_keep_the_filters(client, drama):
    for number in range(30):
        MovieFactory(title=f"Drama {number:02d}", genres=[drama], year=2000, release_date=None)
    MovieFactory(title="Not a drama")

    first = client.get(LIST_URL, {"genres": drama.pk, "year_min": 2000, "ordering": "-title"})
    second = client.get(
        LIST_URL, {"genres": drama.pk, "year_min": 2000, "ordering": "-title", "page": 2}
    )

    assert len(first.context["object_list"]) == 25
    assert titles(second) == [f"Drama {number:02d}" for number in range(4, -1, -1)]
    next_link = next(
        link
        for link in first.content.decode().split('href="')[1:]
        if 'rel="next"' in link.split(">")[0]
    ).split('"')[0]
    query = parse_qs(urlsplit(next_link.replace("&amp;", "&")).query)
    assert query == {
        "genres": [str(drama.pk)],
        "year_min": ["2000"],
        "ordering": ["-title"],
        "page": ["2"],
    }


def test_invalid_filters_show_their_errors_next_to_the_fields_and_keep_the_input(client):
    MovieFactory(title="Hidden while the filters are wrong")

    response = client.get(LIST_URL, {"year_min": "abc", "rating_min": "11", "ordering": "evil"})

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == []
    form = response.context["filter"].form
    assert set(form.errors) == {"year_min", "rating_min", "ordering"}
    html = response.content.decode()
    assert "Some filters are not valid, so no films are shown" in html
    assert 'id="id_year_min_error"><p class="error">Enter a whole number.</p>' in html
    assert 'value="abc"' in html
    assert "No film matches these filters" not in html


def test_a_reversed_range_is_an_error_on_its_upper_bound(client):
    response = client.get(LIST_URL, {"year_min": 2000, "year_max": 1990})

    assert response.context["filter"].form.errors == {
        "year_max": ["The highest year cannot be below the lowest."]
    }


def test_an_empty_result_says_so(client):
    MovieFactory(title="Vertigo")

    response = client.get(LIST_URL, {"title": "nothing like it"})

    assert "0 films" in response.content.decode()
    assert "No film matches these filters." in response.content.decode()


def test_the_filter_form_has_a_label_for_every_field(client, drama):
    html = client.get(LIST_URL).content.decode()

    for name in ("title", "year_min", "year_max", "runtime_min", "runtime_max", "rating_min"):
        assert f'<label for="id_{name}">' in html
    assert (
        f'<label for="id_genres_0"><input type="checkbox" name="genres" value="{drama.pk}"' in html
    )
    assert "<legend>Genres (any of)</legend>" in html


class TestGenrePage:
    def test_lists_only_the_genres_films(self, client, drama, comedy):
        MovieFactory(title="Drama film", genres=[drama])
        MovieFactory(title="Drama comedy", genres=[drama, comedy])
        MovieFactory(title="Comedy film", genres=[comedy])

        response = client.get(drama.get_absolute_url())

        assert response.status_code == HTTPStatus.OK
        assert response.context["genre"] == drama
        assert titles(response) == ["Drama comedy", "Drama film"]
        assert "<h1>Drama</h1>" in response.content.decode()

    def test_takes_the_same_filters(self, client, drama, comedy):
        MovieFactory(title="Old drama", genres=[drama], year=1950, release_date=None)
        MovieFactory(title="New drama", genres=[drama], year=2020, release_date=None)
        MovieFactory(title="New dramedy", genres=[drama, comedy], year=2021, release_date=None)

        response = client.get(drama.get_absolute_url(), {"year_min": 2000, "genres": comedy.pk})

        assert titles(response) == ["New dramedy"]

    def test_shows_invalid_filters(self, client, drama):
        response = client.get(drama.get_absolute_url(), {"runtime_min": "-5"})

        assert response.status_code == HTTPStatus.OK
        assert "runtime_min" in response.context["filter"].form.errors
        assert "Some filters are not valid" in response.content.decode()

    def test_unknown_genre_is_404(self, client):
        assert client.get(reverse("catalog:genre_detail", args=["nope"])).status_code == 404

    @pytest.mark.parametrize("typed", ["Drama", "DRAMA", "dRaMa"])
    def test_a_slug_in_another_case_redirects_for_good_to_the_genre_s_own(
        self, client, drama, typed
    ):
        response = client.get(f"/genres/{typed}/", {"year_min": "2000", "page": "2"})

        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == f"{drama.get_absolute_url()}?year_min=2000&page=2"

    def test_a_slug_in_another_case_without_a_query_redirects_to_the_bare_page(self, client, drama):
        assert client.get("/genres/Drama/")["Location"] == drama.get_absolute_url()

    def test_slugs_that_differ_only_in_case_are_each_their_own_page(self, client, drama):
        shouting = GenreFactory(name="DRAMA!", slug="DRAMA")

        assert client.get("/genres/drama/").context["genre"] == drama
        assert client.get("/genres/DRAMA/").context["genre"] == shouting
        assert client.get("/genres/Drama/").status_code == HTTPStatus.NOT_FOUND  # which one?
