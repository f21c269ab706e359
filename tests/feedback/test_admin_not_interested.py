"""A watchlist entry or a film turned down saved in the admin takes the other wish of its
person for its film away, as the pages do (feedback/not_interested.py): added, or given
another person or film. The success message says so, and the write takes the person's
lock, as the pages' do."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from feedback.models import NotInterested
from feedback.not_interested import not_interested_add
from feedback.watchlist import watchlist_add
from tests.at_once import at_once
from tests.factories import MovieFactory, NotInterestedFactory, WatchlistEntryFactory
from tests.feedback.test_admin_watchlist import listed, moment
from tests.feedback.test_rating_rule_paths import day, post_ok

pytestmark = pytest.mark.django_db


def turned_down(user) -> set:
    return set(NotInterested.objects.filter(user=user).values_list("movie__title", flat=True))


@dataclass(frozen=True)
class Wish:
    model_name: str
    dated_by: str
    factory: type
    held: Callable  # the titles of the person's films of this kind
    page_write: Callable  # the pages' service that says it
    also_said: str  # what the admin's message adds when saving one takes the other away

    def url(self, view: str, *args) -> str:
        return reverse(f"admin:feedback_{self.model_name}_{view}", args=args)

    def form(self, *, user, movie) -> dict:
        return {"user": user.pk, "movie": movie.pk, **moment(self.dated_by, day(2))}

    def row(self, *, user, movie, on: int):
        return self.factory(user=user, movie=movie, **{self.dated_by: day(on)})


WATCHLIST = Wish(
    "watchlistentry",
    "added_at",
    WatchlistEntryFactory,
    listed,
    watchlist_add,
    "This also lifted their “not interested” in the film.",
)
TURNED_DOWN = Wish(
    "notinterested",
    "turned_down_at",
    NotInterestedFactory,
    turned_down,
    not_interested_add,
    "The film was also taken off their watchlist.",
)
# The wish saved in the admin, and the other one, which it takes away.
SAVED_AND_OTHER = pytest.mark.parametrize(
    ("saved", "other"),
    [(WATCHLIST, TURNED_DOWN), (TURNED_DOWN, WATCHLIST)],
    ids=["watchlist entry", "film turned down"],
)


def said(response) -> str:
    """The message the request added: the last one, after any left unread before it."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


@pytest.fixture
def heat():
    return MovieFactory(title="Heat")


@SAVED_AND_OTHER
def test_a_wish_added_in_the_admin_takes_the_other_away(
    staff_client, user, other_user, heat, saved, other
):
    for person in (user, other_user):
        other.row(user=person, movie=heat, on=1)

    response = post_ok(staff_client, saved.url("add"), saved.form(user=user, movie=heat))

    assert saved.held(user) == {"Heat"}
    assert other.held(user) == set()
    assert other.held(other_user) == {"Heat"}
    assert said(response).endswith(f"was added successfully. {saved.also_said}")


@SAVED_AND_OTHER
def test_a_wish_given_another_film_or_person_takes_theirs_away(
    staff_client, user, other_user, heat, saved, other
):
    alien = MovieFactory(title="Alien")
    other.row(user=user, movie=heat, on=1)
    other.row(user=other_user, movie=alien, on=1)
    url = saved.url("change", saved.row(user=user, movie=alien, on=2).pk)

    to_heat = post_ok(staff_client, url, saved.form(user=user, movie=heat))
    to_other_user = post_ok(staff_client, url, saved.form(user=other_user, movie=heat))
    to_alien = post_ok(staff_client, url, saved.form(user=other_user, movie=alien))

    assert other.held(user) == set()
    assert other.held(other_user) == set()
    assert saved.held(other_user) == {"Alien"}
    assert said(to_heat).endswith(f"was changed successfully. {saved.also_said}")
    assert said(to_other_user).endswith("was changed successfully.")  # nothing to take away
    assert said(to_alien).endswith(saved.also_said)


@pytest.mark.django_db(transaction=True)
@SAVED_AND_OTHER
def test_an_admin_write_waits_for_the_persons_other_wish(staff_user, user, heat, saved, other):
    """The person turns the film down while staff put it on their watchlist, or the other
    way round: the admin's write comes second, so its wish is the one that stands. Without
    the person's lock the admin's clean-up looked before the person's write committed, and
    left both (on PostgreSQL; SQLite's IMMEDIATE transactions take turns anyway)."""
    client = Client()
    client.force_login(staff_user)

    errors = at_once(
        lambda: other.page_write(user=user, movie=heat),
        lambda: post_ok(client, saved.url("add"), saved.form(user=user, movie=heat)),
        stagger=0.1,
    )

    assert errors == []
    assert saved.held(user) == {"Heat"}
    assert other.held(user) == set()
