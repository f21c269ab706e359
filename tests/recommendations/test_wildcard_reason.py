"""The wildcard's reason names a genre the person has not tried, else one they have not
liked, and says what it is to them: never "different" in a genre of the very film it
cites as loved."""

import pytest

from recommendations.services import slate_for_user
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db


def crime_fan_who_loved_alien(user, *arrival_genres):
    """Someone whose usual genres are crime, drama and thriller, who also loved Alien
    (a fourth and fifth genre they like) and disliked a western. Alien's fans love
    Arrival; crime fans love Collateral, and Le Samouraï, another mix, is the backup."""
    crime = [film(title, "Crime", "Drama", "Thriller") for title in ("Heat", "Ronin", "Thief")]
    alien = film("Alien", "Horror", "Science Fiction")
    western = film("Rio Bravo", "Western")
    collateral = film("Collateral", "Crime", "Thriller")
    samourai = film("Le Samouraï", "Crime", "Mystery")
    arrival = film("Arrival", *arrival_genres)
    fans("crime", 8, *crime, collateral)
    fans("samourai", 8, *crime, samourai)
    fans("alien", 20, alien)
    fans("scifi", 3, alien, arrival)
    learn()
    for movie in (*crime, alien):
        feedback(user, movie, rating=5)
    feedback(user, western, rating=2, would_watch_again=None)
    return arrival


def wildcard_of(user):
    picks = slate_for_user(user, log=False).picks
    assert [pick.recommendation_type for pick in picks] == ["primary", "backup", "wildcard"]
    return picks[-1]


def test_a_genre_they_like_is_named_as_one_tonights_other_picks_lack(user):
    arrival = crime_fan_who_loved_alien(user, "Science Fiction")

    wildcard = wildcard_of(user)

    assert wildcard.movie_id == arrival.pk
    assert wildcard.reason == (
        "In Science Fiction, unlike tonight's other picks: people who loved Alien loved this"
    )


def test_a_genre_they_have_not_liked_is_named_before_one_they_like(user):
    arrival = crime_fan_who_loved_alien(user, "Science Fiction", "Western")

    wildcard = wildcard_of(user)

    assert wildcard.movie_id == arrival.pk
    assert wildcard.reason == (
        "In Western, outside your usual genres: people who loved Alien loved this"
    )


def test_a_genre_they_have_not_tried_comes_first(user):
    arrival = crime_fan_who_loved_alien(user, "Science Fiction", "Western", "Documentary")

    wildcard = wildcard_of(user)

    assert wildcard.movie_id == arrival.pk
    assert wildcard.reason == (
        "In Documentary, a genre you have not tried: people who loved Alien loved this"
    )
