"""The engine's rules, on small catalogs with a taste structure built from factories."""

import datetime as dt

import pytest
from django.utils import timezone

from catalog.models import RelationshipType
from recommendations import engine
from recommendations.engine import ENGINE_VERSION, slate
from recommendations.engine.ranking import Candidate, Features
from recommendations.models import MoviePrior, MovieSimilarity, RecommendationLog
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import (
    MediaFactory,
    MovieRelationshipFactory,
    RatingFactory,
    UserFactory,
    ViewingHistoryFactory,
)
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Crime fans also love a documentary; comedy fans (more of them) love comedies and
    an animated film. Every film has a media item, as on a media server."""
    films = {
        "heat": film("Heat", "Crime", "Thriller", runtime=170),
        "ronin": film("Ronin", "Crime", "Thriller", runtime=122),
        "collateral": film("Collateral", "Crime", "Thriller", runtime=120),
        "thief": film("Thief", "Crime", "Drama", runtime=124),
        "doc": film("Man on Wire", "Documentary", runtime=94),
        "c1": film("Airplane!", "Comedy", runtime=88, popularity=80),
        "c2": film("Groundhog Day", "Comedy", "Romance", runtime=101, popularity=70),
        "c3": film("Tootsie", "Comedy", "Romance", runtime=116, popularity=60),
        "a1": film("Spirited Away", "Animation", "Fantasy", runtime=125, popularity=75),
        "c4": film("Some Like It Hot", "Comedy", runtime=121, popularity=50),
        "s1": film("Alien", "Horror", "Science Fiction", runtime=117, popularity=40),
    }
    fans("crime", 8, films["heat"], films["ronin"], films["collateral"], films["thief"])
    fans("crime", 8, films["doc"], value=4.5)
    fans("comedy", 12, films["c1"], films["c2"], films["c3"], films["a1"], films["c4"])
    fans("scifi", 3, films["s1"])
    for movie in films.values():
        MediaFactory(movie=movie)
    learn()
    return films


def test_a_fan_of_a_film_gets_what_its_other_fans_loved_with_a_reason_naming_it(user):
    a, b = film("Heat", "Crime"), film("Ronin", "Crime")
    c, d = film("Popular One", "Comedy", popularity=90), film("Popular Two", "Comedy")
    fans("ab", 5, a, b)
    fans("cd", 10, c, d)
    learn()
    feedback(user, a, rating=5)

    picks = slate_for_user(user, log=False).picks

    assert picks[0].movie_id == b.pk
    assert picks[0].reason == "People who loved Heat loved this"
    ranked = rank_for_user(user)
    assert ranked[0].movie_id == b.pk
    assert ranked[0].score > max(r.score for r in ranked if r.movie_id in {c.pk, d.pk})


def test_the_slate_has_three_distinct_picks_with_scores_and_reasons(world, user):
    feedback(user, world["heat"], rating=5)

    slate_ = slate_for_user(user, log=False)

    assert [pick.recommendation_type for pick in slate_.picks] == [
        "primary",
        "backup",
        "wildcard",
    ]
    assert len({pick.movie_id for pick in slate_.picks}) == 3
    assert world["heat"].pk not in {pick.movie_id for pick in slate_.picks}
    assert all(0 <= pick.score <= 1 for pick in slate_.picks)
    assert all(pick.reason for pick in slate_.picks)
    assert slate_.picks[0].reason == "People who loved Heat loved this"
    assert slate_.engine_version == ENGINE_VERSION


def test_the_engine_is_deterministic(world, user):
    feedback(user, world["heat"], rating=5)
    feedback(user, world["c1"], rating=4)
    learn()  # the person's own ratings are part of everyone's
    first = rank_for_user(user, limit=50)
    neighbours = list(MovieSimilarity.objects.order_by("movie", "neighbour").values_list())

    learn()

    assert rank_for_user(user, limit=50) == first
    assert slate_for_user(user, log=False) == slate_for_user(user, log=False)
    rebuilt = list(MovieSimilarity.objects.order_by("movie", "neighbour").values_list())
    assert [row[1:] for row in rebuilt] == [row[1:] for row in neighbours]


def test_a_film_finished_and_not_worth_watching_again_never_comes_back(world, user):
    feedback(user, world["heat"], rating=5)
    # Ronin is what the engine would pick first; they finished it and would not again,
    # through one media item, while another media item of the same film exists.
    feedback(user, world["ronin"], rating=5, watched_completion=True, would_watch_again=False)
    MediaFactory(movie=world["ronin"])

    ranked = {r.movie_id for r in rank_for_user(user, limit=100)}
    picks = {p.movie_id for p in slate_for_user(user, log=False).picks}

    assert world["ronin"].pk not in ranked | picks
    assert world["collateral"].pk in ranked


def test_the_wildcard_is_outside_the_usual_genres_and_says_which(world, user):
    feedback(user, world["heat"], rating=5)

    wildcard = slate_for_user(user, log=False).picks[2]

    assert wildcard.recommendation_type == "wildcard"
    assert wildcard.movie_id == world["doc"].pk  # loved by people with the same taste
    assert wildcard.reason == (
        "In Documentary, a genre you have not tried: people who loved Heat loved this"
    )


def test_the_wildcard_falls_back_to_the_best_of_a_genre_never_tried(world, user):
    # Comedy fans love nothing outside comedy, romance, animation and fantasy.
    for key in ("c1", "c2", "c3", "a1"):
        feedback(user, world[key], rating=5)

    picks = slate_for_user(user, log=False).picks
    usual = {"Comedy", "Romance", "Animation"}

    wildcard = picks[2]
    genres = set(world_genres(wildcard.movie_id))
    assert genres
    assert not genres & usual
    prior = MoviePrior.objects.get(movie_id=wildcard.movie_id)
    assert (prior.rating_average, prior.popularity) >= (0.75, 0.5)  # what it claims:
    assert wildcard.reason.startswith("Popular and well rated in ")
    assert wildcard.reason.endswith(", a genre you have not tried")


def test_a_genre_is_tried_once_any_film_of_it_was_seen_even_only_started(world, user):
    for key in ("c1", "c2", "c3", "a1"):
        feedback(user, world[key], rating=5)
    # Started, never finished or rated: still, they have tried these films' genres.
    started = [
        world["heat"],
        world["thief"],
        world["doc"],
        film("The Thing", "Horror", "Science Fiction"),
    ]
    for movie in started:
        ViewingHistoryFactory(user=user, media=MediaFactory(movie=movie), completed=False)

    picks = slate_for_user(user, log=False).picks

    # Thief, only started, is offered again (test_started.py), in a genre it tried itself,
    # and says that they started it.
    assert picks[2].movie_id == world["thief"].pk
    assert picks[2].reason == (
        "In Drama, outside your usual genres: you started this and did not finish it; "
        "popular and well rated"
    )


def test_a_wildcard_found_through_a_film_only_finished_says_so(world, user):
    feedback(user, world["heat"], rating=None, would_watch_again=None, watched_completion=True)

    wildcard = slate_for_user(user, log=False).picks[2]

    assert wildcard.movie_id == world["doc"].pk
    assert wildcard.reason == (
        "In Documentary, a genre you have not tried: people who watched Heat to the end loved this"
    )


@pytest.fixture
def franchise(user):
    """Heat's fans love Ronin, then (fewer of them) two films of one fantasy franchise
    (of no known order: links of one collection's films released the same day), a film
    of the same genres, and an animated fantasy: the demo's slate in small."""
    films = {
        "heat": film("Heat", "Crime", "Thriller"),
        "ronin": film("Ronin", "Crime", "Thriller"),
        "king": film("The Return of the King", "Action", "Adventure", "Fantasy"),
        "towers": film("The Two Towers", "Action", "Adventure", "Fantasy", "War"),
        "willow": film("Willow", "Action", "Adventure", "Fantasy"),
        "spirited": film("Spirited Away", "Animation", "Family", "Fantasy"),
    }
    MovieRelationshipFactory(
        from_movie=films["towers"],
        to_movie=films["king"],
        relationship_type=RelationshipType.SAME_FRANCHISE,
    )
    for n, (key, count) in enumerate(
        [("ronin", 10), ("king", 8), ("towers", 7), ("willow", 6), ("spirited", 3)]
    ):
        fans(f"fans-{n}", count, films["heat"], films[key])
    return films


def test_the_wildcard_is_of_neither_the_primarys_nor_the_backups_franchise_or_genres(
    franchise, user
):
    learn()
    feedback(user, franchise["heat"], rating=5)

    primary, backup, wildcard = slate_for_user(user, log=False).picks

    assert (primary.movie_id, backup.movie_id) == (franchise["ronin"].pk, franchise["king"].pk)
    # The Two Towers is of the backup's franchise; Willow has only its genres.
    assert wildcard.movie_id == franchise["spirited"].pk
    # Fantasy is the backup's genre too: the reason names one neither of them has.
    assert wildcard.reason == (
        "In Animation, a genre you have not tried: people who loved Heat loved this"
    )


def test_the_wildcard_brings_a_genre_that_neither_other_pick_has(franchise, user):
    franchise["towers"].delete()
    learn()
    feedback(user, franchise["heat"], rating=5)

    _, backup, wildcard = slate_for_user(user, log=False).picks

    assert backup.movie_id == franchise["king"].pk
    assert wildcard.movie_id == franchise["spirited"].pk  # not Willow


def world_genres(movie_id):
    from catalog.models import Movie

    return Movie.objects.get(pk=movie_id).genres.values_list("name", flat=True)


def test_the_backup_differs_from_the_primary(world, user):
    feedback(user, world["heat"], rating=5)

    primary, backup, _ = slate_for_user(user, log=False).picks

    first, second = (set(world_genres(p.movie_id)) for p in (primary, backup))
    overlap = len(first & second) / len(first | second)
    runtimes = {m.pk: m.runtime_minutes for m in world.values()}
    assert overlap < slate.MOSTLY_OTHER_GENRES or (
        runtimes[backup.movie_id] <= runtimes[primary.movie_id] - slate.MUCH_SHORTER_MINUTES
    )
    # Collateral ranks second, but is the same kind of film as Ronin.
    assert backup.movie_id != world["collateral"].pk


def test_the_backup_can_be_a_much_shorter_film_of_the_same_genres(user):
    long_one, long_two = film("Long", "War", runtime=180), film("Also long", "War", runtime=175)
    short = film("Short", "War", runtime=95)
    loved = film("Loved", "War")
    fans("war", 5, loved, long_one, long_two)
    fans("war-b", 2, loved, short)
    learn()
    feedback(user, loved, rating=5)

    primary, backup, *_ = slate_for_user(user, log=False).picks

    assert primary.movie_id in {long_one.pk, long_two.pk}
    assert backup.movie_id == short.pk


def test_slates_offer_every_candidate_before_any_comes_back(world, user):
    feedback(user, world["heat"], rating=5)
    candidates = {movie.pk for movie in world.values()} - {world["heat"].pk}
    shown: set[int] = set()

    for _ in range(6):
        slate_ = slate_for_user(user)
        films = [pick.movie_id for pick in slate_.picks]
        assert len(set(films)) == 3
        if candidates - shown:
            assert films[0] not in shown  # the best film not offered yet
        assert slate_.repeats == bool(set(films) & shown)
        shown |= set(films)

    assert shown == candidates


def test_a_dry_run_avoids_the_logged_slates_and_logs_nothing(world, user):
    feedback(user, world["heat"], rating=5)
    logged = {pick.movie_id for pick in slate_for_user(user).picks}

    dry = {pick.movie_id for pick in slate_for_user(user, log=False).picks}

    assert len(dry) == 3
    assert not dry & logged
    assert RecommendationLog.objects.filter(user=user).count() == 3


def test_films_come_back_oldest_slate_first_and_never_before_unshown_ones():
    def candidate(movie_id):
        return Candidate(movie_id, Features(f"Film {movie_id}", 100, ("Drama",), 0.5))

    candidates = [candidate(n) for n in range(1, 11)]
    recent = [{7, 8, 9}, {4, 5, 6}, {1, 2, 3}]  # newest first; 10 never shown

    lately = slate.Freshness.of(candidates, recent, keep=3)

    assert [c.movie_id for c in lately.unshown(candidates)] == [10]
    assert [c.movie_id for c in lately.back(candidates)] == [1, 2, 3]
    # While enough are left, nothing shown comes back.
    lately = slate.Freshness.of(candidates, recent, keep=1)
    assert [c.movie_id for c in lately.unshown(candidates)] == [10]
    assert lately.back(candidates) == []


def test_a_film_shown_longer_ago_than_the_window_may_come_back(world, user):
    feedback(user, world["heat"], rating=5)
    first = slate_for_user(user)
    RecommendationLog.objects.filter(user=user).update(
        timestamp=timezone.now() - dt.timedelta(hours=engine.RECENT_HOURS, minutes=1)
    )

    again = slate_for_user(user)

    assert [p.movie_id for p in again.picks] == [p.movie_id for p in first.picks]
    assert not again.repeats


def test_someone_new_gets_popular_well_rated_and_varied_picks(world):
    newcomer = UserFactory()

    primary, backup, wildcard = slate_for_user(newcomer, log=False).picks

    assert primary.reason == "Popular and well rated"
    assert primary.movie_id in {world[k].pk for k in ("c1", "c2", "c3", "c4", "a1")}
    picked_genres = set(world_genres(primary.movie_id)) | set(world_genres(backup.movie_id))
    assert not set(world_genres(wildcard.movie_id)) & picked_genres
    assert wildcard.reason.endswith("a genre you have not tried")


def test_someone_new_gets_picks_before_any_build_from_catalog_popularity(user):
    kinds = ["Drama", "Comedy", "Western"]
    films = [film(f"Film {n}", kinds[n % 3], popularity=n) for n in range(6)]

    picks = slate_for_user(user, log=False).picks

    assert [pick.movie_id for pick in picks] == [films[5].pk, films[4].pk, films[3].pk]
    # Nothing is known of them but a catalog popularity figure too low to call popular.
    assert [pick.reason for pick in picks][:2] == ["A film you have not seen yet"] * 2


def test_the_sequel_of_a_film_they_finished_and_loved(user):
    alien, aliens = film("Alien", "Horror"), film("Aliens", "Action")
    remake, original = film("The Thing", "Horror"), film("The Thing from Another World", "Horror")
    MovieRelationshipFactory(
        from_movie=alien, to_movie=aliens, relationship_type=RelationshipType.SEQUEL
    )
    MovieRelationshipFactory(
        from_movie=original, to_movie=remake, relationship_type=RelationshipType.REMAKE
    )
    film("Unrelated", "Drama", popularity=99)
    learn()
    feedback(user, alien, rating=5, watched_completion=True)
    feedback(user, remake, would_watch_again=True, rating=None, watched_completion=True)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user)}

    assert reasons[aliens.pk] == "Sequel to Alien, which you rated 5"
    assert reasons[original.pk] == "The original of The Thing, which you would watch again"
    assert list(reasons)[:2] == sorted([aliens.pk, original.pk], key=list(reasons).index)


@pytest.mark.parametrize(
    ("rating", "said"),
    [
        # Marquee ratings are whole stars on 1-5: these are a person's from other sources.
        ({"value": 9, "scale_min": 0, "scale_max": 10, "source": "other"}, "which you rated 9/10"),
        (
            {"value": 4.5, "scale_min": 0.5, "scale_max": 5, "source": "other"},
            "which you rated 4.5/5",
        ),
        ({"value": 4, "scale_min": 1, "scale_max": 5}, "which you rated 4"),
    ],
    ids=["out of 10", "half stars", "Marquee stars"],
)
def test_a_rating_is_quoted_as_it_was_given(user, rating, said):
    alien, aliens = film("Alien", "Horror"), film("Aliens", "Action")
    MovieRelationshipFactory(from_movie=alien, to_movie=aliens)
    learn()
    RatingFactory(user=user, movie=alien, **rating)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user)}

    assert reasons[aliens.pk] == f"Sequel to Alien, {said}"


def test_a_film_loved_by_watching_it_again_says_so(user):
    alien, aliens = film("Alien", "Horror"), film("Aliens", "Action")
    MovieRelationshipFactory(from_movie=alien, to_movie=aliens)
    learn()
    media = MediaFactory(movie=alien)
    ViewingHistoryFactory.create_batch(2, user=user, media=media, completed=True)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user)}

    assert reasons[aliens.pk] == "Sequel to Alien, which you watched more than once"


def test_a_film_is_called_well_rated_or_popular_only_when_it_is(user):
    liked, good, flop = film("Liked", "Drama"), film("Good", "Drama"), film("Flop", "Drama")
    fans("good", 12, good, value=5)
    fans("flop", 12, flop, value=1.5)
    fans("liked", 3, liked, value=3)
    film("Obscure", "Western", popularity=1)  # nobody rated it: its average is unknown
    learn()
    feedback(user, liked, rating=5)

    reasons = {r.title: r.reason for r in rank_for_user(user)}

    assert reasons["Good"] == "Popular and well rated in Drama, a genre you like"
    assert reasons["Flop"] == "Popular in Drama, a genre you like"  # many rated it, badly
    assert reasons["Obscure"] == "A film you have not seen yet"


def test_a_sequel_of_a_film_they_gave_up_on_is_not_suggested_for_it(user):
    alien, aliens = film("Alien", "Horror"), film("Aliens", "Action")
    MovieRelationshipFactory(from_movie=alien, to_movie=aliens)
    learn()
    feedback(user, alien, rating=5, watched_completion=False, would_watch_again=None)

    reasons = [r.reason for r in rank_for_user(user)]

    # Every reason, not only Aliens': brought in, Aliens would be offered as Alien, the
    # first of its series started, "… Aliens is a sequel to Alien, which you rated 5".
    assert reasons
    assert not [reason for reason in reasons if "sequel to alien" in reason.lower()]


@pytest.fixture
def walked_out(user):
    """Someone who loves crime films and walked out of Alien, whose sequel is the most
    popular film of the catalog and of a genre they have never tried."""
    heat, ronin = film("Heat", "Crime"), film("Ronin", "Crime")
    alien, aliens = film("Alien", "Horror"), film("Aliens", "Action", popularity=99)
    MovieRelationshipFactory(from_movie=alien, to_movie=aliens)
    alien3 = film("Alien 3", "Horror", popularity=98)
    MovieRelationshipFactory(
        from_movie=aliens, to_movie=alien3, relationship_type=RelationshipType.SEQUEL
    )
    film("Spirited Away", "Animation", popularity=50)
    film("Rio Bravo", "Western", popularity=30)
    fans("crime", 6, heat, ronin)
    fans("horror", 6, alien, aliens, alien3)
    learn()
    feedback(user, heat, rating=5)
    return {"alien": alien, "aliens": aliens, "alien3": alien3}


@pytest.mark.parametrize(
    "turned_away",
    [
        {"watched_completion": False, "rating": None, "would_watch_again": None},
        {"watched_completion": True, "rating": 1, "would_watch_again": None},
        {"watched_completion": True, "rating": None, "would_watch_again": False},
    ],
    ids=["gave up on it", "rated it 1", "would not watch it again"],
)
def test_nothing_of_the_franchise_of_a_film_they_turned_away_from_is_offered(
    walked_out, user, turned_away
):
    feedback(user, walked_out["alien"], **turned_away)

    ranked = {r.movie_id for r in rank_for_user(user)}
    picks = {pick.movie_id for pick in slate_for_user(user, log=False).picks}

    franchise = {walked_out["aliens"].pk, walked_out["alien3"].pk}
    assert not ranked & franchise
    assert not picks & franchise
    assert len(picks) == 3  # the wildcard is found elsewhere


def test_a_loved_film_of_the_franchise_keeps_the_rest_of_it_on_offer(walked_out, user):
    # Given up on and no word for it (the builder's default would_watch_again=True
    # would make Alien liked, and nothing would be turned away).
    feedback(
        user, walked_out["alien"], watched_completion=False, rating=None, would_watch_again=None
    )
    feedback(user, walked_out["aliens"], rating=5, watched_completion=True)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user)}

    assert reasons[walked_out["alien3"].pk] == "Sequel to Aliens, which you rated 5"


def test_without_the_walk_out_the_sequel_would_be_offered(walked_out, user):
    """The fixture's franchise is what the engine offers when nothing turns it away:
    Alien finished, and neither liked nor disliked."""
    feedback(user, walked_out["alien"], rating=3, would_watch_again=None)
    ranked = {r.movie_id for r in rank_for_user(user)}
    picks = {pick.movie_id for pick in slate_for_user(user, log=False).picks}

    assert walked_out["aliens"].pk in ranked
    assert picks & {walked_out["aliens"].pk, walked_out["alien3"].pk}


@pytest.mark.parametrize(
    "turned_away",
    [
        {"rating": 1, "would_watch_again": None, "watched_completion": None},
        {"rating": None, "would_watch_again": None, "watched_completion": False},
    ],
    ids=["rated 1", "said they gave up"],
)
def test_a_film_watched_to_the_end_but_turned_away_from_is_no_reason_for_anything(
    world, user, turned_away
):
    """A viewing to the end says a little for a film, but not against what the person
    said of it: rated 1 (or given up on) and then finished, Heat brought crime films
    "because people who watched Heat to the end loved" them."""
    feedback(user, world["heat"], **turned_away)
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=world["heat"]), completed=True)

    picks = slate_for_user(user, log=False).picks

    assert picks
    assert not [pick.reason for pick in picks if "Heat" in pick.reason]


def test_ratings_from_other_sources_count_as_taste(world, user):
    RatingFactory(
        user=user, movie=world["heat"], source="other", value=9, scale_min=0, scale_max=10
    )

    picks = slate_for_user(user, log=False).picks

    assert picks[0].reason == "People who loved Heat loved this"


def make_fan(world, rows: int):
    fan = UserFactory()
    feedback(fan, world["heat"], rating=5)
    for n in range(rows - 1):
        feedback(fan, film(f"Seen {rows}-{n}", "Western"), rating=3, would_watch_again=None)
    return fan


@pytest.mark.parametrize("log", [False, True])
def test_a_slate_costs_the_same_queries_for_5_or_60_feedback_rows(
    world, log, django_assert_num_queries
):
    small, large = make_fan(world, 5), make_fan(world, 60)
    # Profile 7 (the reviews, the watchlist and the films turned down included),
    # candidates 4 (the prior pool is 2: learnt films and those added since), their
    # features 2, the wildcard's fallback 4, reasons 1; logging adds the media lookup and
    # the insert (in a savepoint here).
    expected = 18 + (4 if log else 0)

    for person in (small, large):
        with django_assert_num_queries(expected):
            picks = slate_for_user(person, log=log).picks
            assert [pick.reason for pick in picks]
        assert len(picks) == 3


def test_someone_new_gets_a_slate_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    newcomer, returning = UserFactory(), UserFactory()
    for _ in range(20):
        slate_for_user(returning)
    # Profile 7, prior pool 2, relationships 1, features 2, the wildcard's fallback 4: no
    # collaborative candidates and no reasons to look up for someone with no liked film.
    for person in (newcomer, returning):
        with django_assert_num_queries(16):
            picks = slate_for_user(person, log=False).picks
        assert len(picks) == 3


def test_a_reason_names_the_loved_film_over_one_only_finished_that_pulls_harder(user):
    """Two films lead to Ronin: Heat, rated 5, and Thief, only finished, whose fans
    love Ronin far more surely. The reason names the one they loved."""
    heat, thief, ronin = film("Heat", "Crime"), film("Thief", "Crime"), film("Ronin", "Crime")
    fans("heat-ronin", 3, heat, ronin)
    fans("heat", 30, heat)
    fans("thief-ronin", 12, thief, ronin)
    learn()
    feedback(user, heat, rating=5)
    feedback(user, thief, rating=None, would_watch_again=None)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user)}

    assert reasons[ronin.pk] == "People who loved Heat loved this"
