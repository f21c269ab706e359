"""Choosing a pick from a page opened before: of an older slate it still counts (the
person was shown it and chose it), but never a film they turned down since."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback.not_interested import not_interested_add
from recommendations.models import RecommendationLog
from recommendations.services import another_slate_for, recommendation_select
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db

TONIGHT = reverse("recommendations:tonight")


def select_url(row):
    return reverse("recommendations:select", args=[row.pk])


@pytest.fixture
def catalog(user):
    films = [film(f"Film {n}", ["Drama", "Comedy", "Western", "War"][n % 4]) for n in range(10)]
    fans("fans", 4, *films[:6])
    learn()
    feedback(user, films[0], rating=5)
    return films


def tonight(user_client) -> list[RecommendationLog]:
    return list(user_client.get(TONIGHT).context["tonight"])


def selected(user) -> set[int]:
    return set(
        RecommendationLog.objects.filter(user=user, selected=True).values_list("pk", flat=True)
    )


def test_a_film_turned_down_since_cannot_be_chosen(catalog, user):
    pick = another_slate_for(user).picks[0].log
    not_interested_add(user=user, movie=pick.media.movie)

    with pytest.raises(ValidationError) as refused:
        recommendation_select(user=user, log_id=pick.pk)

    assert refused.value.code == "turned_down"
    assert selected(user) == set()


def test_a_stale_tab_s_watch_this_on_a_film_turned_down_says_how_to_undo_it(
    catalog, user, user_client
):
    """The slate in the stale tab, then "Not interested" on its primary in another tab."""
    stale_tab = tonight(user_client)
    turned_down = stale_tab[0].media.movie
    user_client.post(
        reverse("feedback:movie_not_interested", args=[turned_down.pk]),
        {"next": f"{TONIGHT}?turned_down={turned_down.pk}"},
        follow=True,  # its own message shown
    )

    response = user_client.post(select_url(stale_tab[0]), follow=True)

    assert response.redirect_chain == [(f"{TONIGHT}?turned_down={turned_down.pk}", 302)]
    (message,) = (str(m) for m in response.context["messages"])
    assert message == (
        f"“{turned_down.title}” was not picked: you turned it down. "
        "To have it suggested again, undo that below."
    )
    assert "Enjoy" not in response.content.decode()
    # The page offers the undo, and the film stays turned down until it is used.
    assert response.context["turned_down"].movie == turned_down
    undo = reverse("feedback:movie_not_interested_undo", args=[turned_down.pk])
    assert f'action="{undo}"' in response.content.decode()
    assert user.films_not_interested.filter(movie=turned_down).exists()
    assert selected(user) == set()


def test_once_taken_back_the_stale_tab_s_pick_can_be_chosen(catalog, user, user_client):
    stale_tab = tonight(user_client)
    movie = stale_tab[1].media.movie
    not_interested_add(user=user, movie=movie)
    user_client.post(select_url(stale_tab[1]))
    user_client.post(reverse("feedback:movie_not_interested_undo", args=[movie.pk]))

    response = user_client.post(select_url(stale_tab[1]))

    assert response["Location"] == movie.get_absolute_url()
    assert selected(user) == {stale_tab[1].pk}


def test_a_pick_of_an_older_slate_can_still_be_chosen(catalog, user, user_client):
    """Shown, then chosen: it counts, though "Another slate" was asked for in between."""
    stale_tab = tonight(user_client)
    newer = another_slate_for(user)

    response = user_client.post(select_url(stale_tab[2]), follow=True)

    (message,) = (str(m) for m in response.context["messages"])
    assert message.startswith(f"Enjoy {stale_tab[2].media.title}!")
    assert selected(user) == {stale_tab[2].pk}
    assert not any(pick.log.selected for pick in newer.picks)


def test_choosing_costs_the_same_queries_whether_or_not_the_film_was_turned_down(
    catalog, user, user_client, django_assert_num_queries
):
    """The film's turned-down row is read with the pick: no query of its own."""
    first, second = tonight(user_client)[:2]
    not_interested_add(user=user, movie=second.media.movie)

    # The session and the person; then, in a savepoint, the person's lock, the pick with
    # its film, the unselect and the save.
    with django_assert_num_queries(2 + 2 + 4):
        user_client.post(select_url(first))
    # The same, less the writes, the savepoint rolled back.
    with django_assert_num_queries(2 + 3 + 2):
        user_client.post(select_url(second))

    assert selected(user) == {first.pk}


def test_a_film_someone_else_turned_down_can_still_be_chosen(catalog, user, other_user):
    pick = another_slate_for(user).picks[0].log
    not_interested_add(user=other_user, movie=pick.media.movie)

    recommendation_select(user=user, log_id=pick.pk)

    assert selected(user) == {pick.pk}
