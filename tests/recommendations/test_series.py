"""A series is offered from where the person is in it: its first film when they have seen
none of it, the next one after the last they saw, never a later one before."""

import pytest

from catalog.models import RelationshipType
from recommendations import engine
from recommendations.engine.reasons import MAX_REASON, series_reason, wildcard_reason
from recommendations.engine.sources import DatabaseSource
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import MediaFactory, MovieRelationshipFactory, ViewingHistoryFactory
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db

SEQUEL, PREQUEL = RelationshipType.SEQUEL, RelationshipType.PREQUEL


def series(*films, both_ways=True):
    """Each film a sequel of the one before, told both ways as the TMDB import tells it."""
    for earlier, later in zip(films, films[1:], strict=False):
        MovieRelationshipFactory(from_movie=earlier, to_movie=later, relationship_type=SEQUEL)
        if both_ways:
            MovieRelationshipFactory(from_movie=later, to_movie=earlier, relationship_type=PREQUEL)


@pytest.fixture
def godfather(user):
    """Heat's fans love The Godfather Part III most, then Ronin; few of them the first
    two parts. The demo's ranking in small."""
    films = {
        "heat": film("Heat", "Crime", "Thriller"),
        "ronin": film("Ronin", "Action", "Thriller"),
        "first": film("The Godfather", "Crime", "Drama"),
        "second": film("The Godfather Part II", "Crime", "Drama"),
        "third": film("The Godfather Part III", "Crime", "Drama"),
        "spirited": film("Spirited Away", "Animation"),
    }
    series(films["first"], films["second"], films["third"])
    fans("third", 10, films["heat"], films["third"])
    fans("ronin", 8, films["heat"], films["ronin"])
    fans("saga", 3, films["heat"], films["first"], films["second"])
    fans("spirited", 3, films["heat"], films["spirited"])
    learn()
    feedback(user, films["heat"], rating=5)
    return films


def ranked(user):
    return {r.movie_id: r for r in rank_for_user(user, limit=50)}


def test_a_later_film_gives_its_place_to_the_first_of_a_series_not_started(godfather, user):
    best = ranked(user)

    assert godfather["third"].pk not in best
    assert godfather["second"].pk not in best
    first = best[godfather["first"].pk]
    assert first.reason == (
        "The first of its series; people who loved Heat loved The Godfather Part III"
    )
    assert first.score == max(r.score for r in best.values())  # Part III's own score
    primary = slate_for_user(user, log=False).picks[0]
    assert (primary.movie_id, primary.reason) == (first.movie_id, first.reason)


def test_a_series_start_the_person_began_says_so_first(godfather, user):
    """Offered in Part III's place, the first film they stopped part way through is told
    as every film they started is: that first, then what speaks for it."""
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=godfather["first"]), completed=False)

    first = ranked(user)[godfather["first"].pk]

    assert first.reason == (
        "You started this and did not finish it; the first of its series; "
        "people who loved Heat loved The Godfather Part III"
    )


def test_after_the_first_film_the_next_one_is_offered(godfather, user):
    # Seen, neither liked nor disliked: a viewing to the end and a middling rating.
    feedback(user, godfather["first"], rating=3, would_watch_again=None)

    best = ranked(user)

    assert godfather["third"].pk not in best
    assert best[godfather["second"].pk].reason == (
        "Next in a series you have started; people who loved Heat loved The Godfather Part III"
    )


def test_the_next_film_after_the_last_one_seen_is_offered_for_itself(godfather, user):
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=godfather["first"]))
    feedback(user, godfather["second"], rating=3, would_watch_again=None)

    best = ranked(user)

    assert best[godfather["third"].pk].reason == "People who loved Heat loved this"
    assert godfather["first"].pk not in best  # seen


@pytest.mark.parametrize(
    "links",
    [
        [(0, 1, SEQUEL), (1, 2, SEQUEL)],
        [(1, 0, PREQUEL), (2, 1, PREQUEL)],
        [(0, 1, SEQUEL), (2, 1, PREQUEL)],
    ],
    ids=["sequel links", "prequel links", "both kinds"],
)
def test_a_sequel_is_told_so_however_its_link_reads(user, links):
    """(S2, S3, sequel) and (S3, S2, prequel) are one fact told from either film, as the
    series order (just_before) and the catalog (OPPOSITE_ORDER) read them: Saga Part 3
    is the sequel of the Part 2 they loved, and Part 1 its prequel."""
    saga = [film(f"Saga Part {n}", "Adventure") for n in (1, 2, 3)]
    for earlier, later, kind in links:
        MovieRelationshipFactory(
            from_movie=saga[earlier], to_movie=saga[later], relationship_type=kind
        )
    film("Popular", "Comedy", popularity=99)
    learn()
    feedback(user, saga[1], rating=5)

    best = ranked(user)

    assert best[saga[2].pk].reason == "Sequel to Saga Part 2, which you rated 5"
    assert best[saga[0].pk].reason == "Prequel to Saga Part 2, which you rated 5"
    # The relationship's weight: both above the most popular film of the catalog.
    assert list(best)[:2] == sorted([saga[0].pk, saga[2].pk], key=list(best).index)


def test_the_start_keeps_its_own_score_when_it_is_the_better(godfather, user):
    fans("more-saga", 30, godfather["heat"], godfather["first"])
    learn()

    best = ranked(user)

    first = best[godfather["first"].pk]
    assert first.reason == "People who loved Heat loved this"
    assert godfather["third"].pk not in best


def test_a_series_linked_film_to_film_is_walked_back_to_its_first(user, monkeypatch):
    """Links entered by hand, one way only, and none between the first and the last
    film: only a walk back along them finds the first, which is no candidate itself."""
    heat = film("Heat", "Crime")
    parts = [film(f"Part {n}", "Crime", popularity=1) for n in range(1, 5)]
    MovieRelationshipFactory(from_movie=parts[0], to_movie=parts[1], relationship_type=SEQUEL)
    MovieRelationshipFactory(from_movie=parts[2], to_movie=parts[1], relationship_type=PREQUEL)
    MovieRelationshipFactory(from_movie=parts[2], to_movie=parts[3], relationship_type=SEQUEL)
    film("Popular", "Comedy", popularity=99)
    fans("last", 5, heat, parts[3])
    learn()
    feedback(user, heat, rating=5)
    monkeypatch.setattr(engine, "PRIOR_POOL", 1)  # only "Popular": the parts are not read

    related = DatabaseSource().related({parts[3].pk})
    best = ranked(user)

    assert (parts[0].pk, parts[1].pk, SEQUEL) in related
    assert not {part.pk for part in parts[1:]} & set(best)
    assert best[parts[0].pk].reason == "The first of its series; people who loved Heat loved Part 4"


def test_never_two_films_of_one_franchise_in_a_slate(user):
    heat = film("Heat", "Crime", "Thriller")
    star_wars = film("Star Wars", "Adventure", "Science Fiction")
    rogue_one = film("Rogue One", "Action", "War")  # another genre mix: a backup otherwise
    thief = film("Thief", "Crime", "Thriller")
    MovieRelationshipFactory(
        from_movie=star_wars, to_movie=rogue_one, relationship_type=RelationshipType.SPIN_OFF
    )
    spirited = film("Spirited Away", "Animation")
    fans("a", 9, heat, star_wars)
    fans("b", 8, heat, rogue_one)
    fans("c", 4, heat, thief)
    fans("d", 3, heat, spirited)
    learn()
    feedback(user, heat, rating=5)

    picks = [pick.movie_id for pick in slate_for_user(user, log=False).picks]

    assert picks[0] == star_wars.pk
    assert rogue_one.pk not in picks
    assert picks[1] == thief.pk


def test_the_fallback_wildcard_offers_a_series_from_its_start(user):
    heat, ronin = film("Heat", "Crime"), film("Ronin", "Crime")
    thief = film("Thief", "Crime", runtime=70)  # the backup: much shorter than Ronin
    fellowship = film("The Fellowship of the Ring", "Fantasy", popularity=40)
    towers = film("The Two Towers", "Fantasy", popularity=50)
    king = film("The Return of the King", "Fantasy", popularity=90)
    series(fellowship, towers, king)
    fans("crime", 6, heat, ronin)
    fans("thief", 3, heat, thief)
    learn()
    feedback(user, heat, rating=5)

    wildcard = slate_for_user(user, log=False).picks[-1]

    assert wildcard.recommendation_type == "wildcard"
    assert wildcard.movie_id == fellowship.pk
    assert wildcard.reason.endswith(", a genre you have not tried")


def test_a_slate_with_series_costs_the_usual_queries(godfather, user, django_assert_num_queries):
    with django_assert_num_queries(18):  # as for any slate (test_engine.py)
        picks = slate_for_user(user, log=False).picks
        assert [pick.reason for pick in picks]
    assert picks[0].movie_id == godfather["first"].pk


def test_a_reason_naming_long_titles_fits_the_log():
    long = "A title that goes on " * 20  # 420 characters
    clause = f"people who watched {long} to the end loved {long}"

    reason = series_reason(clause, long, first=False)
    wildcard = wildcard_reason(None, "G" * 64, tried=True, liked=True, other_picks=2, signal=reason)

    assert len(reason) <= MAX_REASON
    assert len(wildcard) <= MAX_REASON
