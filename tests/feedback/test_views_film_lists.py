"""The pages of a person's lists of films, and "Add to a list" on a film's page: each
person sees and changes only their own lists, in a fixed number of queries."""

import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from catalog.bounds import INTEGER_MAX
from feedback.film_list_models import (
    LIST_DESCRIPTION_TOO_LONG_MESSAGE,
    LIST_NAME_TAKEN_MESSAGE,
    LIST_NAME_TOO_LONG_MESSAGE,
    LIST_NOTE_TOO_LONG_MESSAGE,
)
from feedback.film_list_views import FILMS_PER_LIST_PAGE
from feedback.models import FilmList, FilmListEntry
from tests.catalog.test_views_queries import DETAIL_QUERIES
from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    GenreFactory,
    MovieFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LISTS_URL = reverse("feedback:film_lists")
LOGGED_IN = 2  # the session, then the user


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def entry_url(name, entry):
    return reverse(f"feedback:film_list_{name}", args=[entry.film_list_id, entry.movie_id])


def add_url(movie):
    return reverse("feedback:movie_film_list_add", args=[movie.pk])


def titles(film_list):
    return list(film_list.entries.order_by("position").values_list("movie__title", flat=True))


def build_lists(user, lists, films):
    """`lists` lists of the person's, each of `films` films in two genres."""
    genres = GenreFactory.create_batch(2)
    made = []
    for number in range(lists):
        film_list = FilmListFactory(user=user, name=f"List {number:02d}")
        for place in range(films):
            FilmListEntryFactory(
                film_list=film_list, movie__title=f"Film {number}-{place}", movie__genres=genres
            )
        made.append(film_list)
    return made


# "Your lists"


def test_the_lists_page_shows_each_list_with_its_count_and_first_films(user_client, user):
    film_list = build_lists(user, 1, 5)[0]
    FilmListFactory(name="Somebody else's")

    response = user_client.get(LISTS_URL)

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert [shown.pk for shown in response.context["page_obj"]] == [film_list.pk]
    assert "5 films" in html
    assert "Film 0-0" in html
    assert "Film 0-2" in html
    assert "Film 0-3" not in html  # the first three only
    assert "Somebody else" not in html


@pytest.mark.parametrize(("lists", "films"), [(2, 3), (12, 30)])
def test_the_lists_page_runs_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries, lists, films
):
    build_lists(user, lists, films)

    # the count, the page of lists with their counts, their first films
    with django_assert_num_queries(LOGGED_IN + 3):
        response = user_client.get(LISTS_URL)
        html = response.content.decode()

    assert html.count('class="film-list-card"') == lists


def test_a_list_is_made_from_the_lists_page(user_client, user):
    response = user_client.post(
        LISTS_URL, {"name": "  Films to show the kids ", "description": "Saturdays"}
    )

    film_list = FilmList.objects.get()
    assert (film_list.user, film_list.name) == (user, "Films to show the kids")
    assert response["Location"] == film_list.get_absolute_url()
    assert messages_of(response) == ["Your list “Films to show the kids” is made."]


def test_making_a_list_and_adding_a_film_run_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries
):
    # film_list_create in a savepoint (2), the one validation: the person exists, no list
    # of theirs has the name (2: the name's other rules and the description's are clean()'s
    # and the fields', which ask no query); the insert in a savepoint of its own (3).
    with django_assert_num_queries(LOGGED_IN + 7):
        user_client.post(LISTS_URL, {"name": "Kids", "description": "Saturdays"})
    film_list = FilmList.objects.get(user=user)
    movie = MovieFactory()

    # The film, the person's list; film_list_entry_add in a savepoint (2): the list
    # locked, the film looked for on it, the last position; the validation: the list and
    # the film exist, neither the film nor the position is on the list yet (4: the
    # position's bounds and the note's length ask no query); the insert.
    with django_assert_num_queries(LOGGED_IN + 12):
        user_client.post(add_url(movie), {"film_list": film_list.pk})

    assert titles(film_list) == [movie.title]


def test_a_description_counts_line_breaks_as_the_browser_counts_them(user_client, user):
    """The textarea's maxlength counts a line break as one character, and the browser
    sends it as two (CRLF): a description it let through at 1,000 characters was refused
    as too long. The site keeps line breaks as LF, counted once."""
    shown = ("a" * 99 + "\n") * 10  # 1,000 characters in the textarea
    sent = shown.replace("\n", "\r\n")

    user_client.post(LISTS_URL, {"name": "Made", "description": sent})
    film_list = FilmList.objects.get(user=user)
    assert film_list.description == shown.strip()
    user_client.post(film_list.get_absolute_url(), {"name": "Renamed", "description": sent})
    film_list.refresh_from_db()
    assert (film_list.name, film_list.description) == ("Renamed", shown.strip())
    too_long = user_client.post(LISTS_URL, {"name": "Other", "description": sent + "b"})
    assert too_long.context["form"].errors == {"description": [LIST_DESCRIPTION_TOO_LONG_MESSAGE]}
    assert FilmList.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 101, LIST_NAME_TOO_LONG_MESSAGE),
        ("BEST of 2024", LIST_NAME_TAKEN_MESSAGE),
    ],
    ids=["empty", "blank", "too-long", "taken"],
)
def test_a_bad_name_is_a_form_error_and_nothing_is_lost(user_client, user, name, error):
    FilmListFactory(user=user, name="Best of 2024")

    response = user_client.post(LISTS_URL, {"name": name, "description": "Kept"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": [error]}  # beside the name
    assert escape(error) in response.content.decode()
    assert ">\nKept</textarea>" in response.content.decode()  # what was typed, kept
    assert FilmList.objects.count() == 1


# A list's page


def test_a_lists_page_shows_its_films_in_order_with_their_notes(user_client, user):
    film_list = FilmListFactory(user=user, name="Best of 2024")
    FilmListEntryFactory(film_list=film_list, movie__title="Zodiac", note="Rewatch soon")
    FilmListEntryFactory(film_list=film_list, movie__title="Alien")

    response = user_client.get(film_list.get_absolute_url())

    html = response.content.decode()
    assert html.index("Zodiac") < html.index("Alien")
    assert "Rewatch soon" in html


@pytest.mark.parametrize("films", [3, 30])
def test_a_lists_page_runs_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries, films
):
    film_list = build_lists(user, 1, films)[0]

    # the list, the count of its films, a page of them, their genres
    with django_assert_num_queries(LOGGED_IN + 4):
        response = user_client.get(film_list.get_absolute_url())
        html = response.content.decode()

    assert html.count('class="film-list-entry"') == films


def places_shown(html):
    return [
        int(value)
        for value in re.findall(r'name="position" min="1" max="\d+" required value="(\d+)"', html)
    ]


def test_a_long_list_is_shown_a_page_at_a_time_with_its_places_counted_on(user_client, user):
    film_list = build_lists(user, 1, FILMS_PER_LIST_PAGE + 5)[0]

    first = user_client.get(film_list.get_absolute_url()).content.decode()
    second = user_client.get(film_list.get_absolute_url() + "?page=2").content.decode()

    assert first.count('class="film-list-entry"') == FILMS_PER_LIST_PAGE
    assert places_shown(first) == list(range(1, FILMS_PER_LIST_PAGE + 1))
    assert places_shown(second) == list(range(FILMS_PER_LIST_PAGE + 1, FILMS_PER_LIST_PAGE + 6))
    assert f'max="{FILMS_PER_LIST_PAGE + 5}"' in second  # any place on the whole list
    assert f"Film 0-{FILMS_PER_LIST_PAGE}<" in second
    # The first film of page 2 moves up onto page 1; the last of all, down nowhere.
    assert second.count(">Up<") == 5
    assert second.count(">Down<") == 4
    assert first.count(">Up<") == FILMS_PER_LIST_PAGE - 1
    assert first.count(">Down<") == FILMS_PER_LIST_PAGE


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("0", 1), ("99", 2), ("last", 2)])
def test_a_page_of_a_list_that_is_no_page_shows_the_nearest(user_client, user, page, shown):
    film_list = build_lists(user, 1, FILMS_PER_LIST_PAGE + 1)[0]

    response = user_client.get(film_list.get_absolute_url(), {"page": page})

    assert response.status_code == HTTPStatus.OK
    assert response.context["page_obj"].number == shown


def test_a_film_moved_on_a_later_page_comes_back_to_that_page(user_client, user):
    film_list = build_lists(user, 1, FILMS_PER_LIST_PAGE + 2)[0]
    page_two = film_list.get_absolute_url() + "?page=2"
    html = user_client.get(page_two).content.decode()
    last = film_list.entries.order_by("position").last()

    assert f'name="next" value="{escape(page_two)}"' in html
    response = user_client.post(entry_url("move", last), {"position": 1, "next": page_two})

    assert response["Location"] == page_two
    assert titles(film_list)[0] == last.movie.title


def test_a_list_is_renamed_on_its_page(user_client, user):
    film_list = FilmListFactory(user=user, name="Rewatches")

    response = user_client.post(
        film_list.get_absolute_url(), {"name": "Comfort rewatches", "description": ""}
    )

    film_list.refresh_from_db()
    assert film_list.name == "Comfort rewatches"
    assert response["Location"] == film_list.get_absolute_url()


def test_a_rename_to_a_taken_name_is_a_form_error(user_client, user):
    film_list = FilmListFactory(user=user, name="Rewatches")
    FilmListFactory(user=user, name="Best of 2024")

    response = user_client.post(
        film_list.get_absolute_url(), {"name": "best of 2024", "description": ""}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": [LIST_NAME_TAKEN_MESSAGE]}
    film_list.refresh_from_db()
    assert film_list.name == "Rewatches"


def test_deleting_a_list_asks_first(user_client, user):
    film_list = FilmListFactory(user=user, name="Rewatches")
    FilmListEntryFactory(film_list=film_list)
    url = reverse("feedback:film_list_delete", args=[film_list.pk])

    asked = user_client.get(url)
    deleted = user_client.post(url)

    assert "Delete your list “Rewatches”?" in asked.content.decode()
    assert deleted["Location"] == LISTS_URL
    assert not FilmList.objects.exists()
    assert not FilmListEntry.objects.exists()


def test_a_list_deleted_twice_is_said_to_be_deleted_already(user_client, user):
    """The button pressed twice, or the back button to the question: not a 404."""
    film_list = FilmListFactory(user=user, name="Rewatches")
    url = reverse("feedback:film_list_delete", args=[film_list.pk])
    user_client.post(url, follow=True)  # its page shows, and takes, its message

    again = user_client.post(url)
    asked_again = user_client.get(url)

    assert again["Location"] == asked_again["Location"] == LISTS_URL
    assert messages_of(again) == ["That list is already deleted."]


# Films on a list: moved, removed, noted


def test_moving_a_film_up_and_down(user_client, user):
    film_list = build_lists(user, 1, 3)[0]
    last = film_list.entries.get(position=3)

    response = user_client.post(entry_url("move", last), {"position": "2"})
    assert titles(film_list) == ["Film 0-0", "Film 0-2", "Film 0-1"]
    assert messages_of(response) == ["“Film 0-2” is number 2 on your list “List 00”."]
    user_client.post(entry_url("move", last), {"position": "1"})
    assert titles(film_list) == ["Film 0-2", "Film 0-0", "Film 0-1"]
    response = user_client.post(entry_url("move", last), {"position": "0"})  # past the top
    assert titles(film_list) == ["Film 0-2", "Film 0-0", "Film 0-1"]
    assert response["Location"] == film_list.get_absolute_url()
    # Said where it went, not the place typed.
    response = user_client.post(entry_url("move", last), {"position": "9"})  # past the end
    assert messages_of(response)[-1] == "“Film 0-2” is number 3 on your list “List 00”."


def test_the_up_and_down_buttons_name_the_positions_next_to_the_film(user_client, user):
    film_list = build_lists(user, 1, 3)[0]

    html = user_client.get(film_list.get_absolute_url()).content.decode()

    # The top film has no "up", the bottom one no "down".
    assert html.count('name="position" value="') == 4


def test_each_film_has_a_box_to_move_it_to_a_place(user_client, user):
    film_list = build_lists(user, 1, 3)[0]

    html = user_client.get(film_list.get_absolute_url()).content.decode()
    user_client.post(entry_url("move", film_list.entries.get(position=1)), {"position": "3"})

    assert html.count('name="position" min="1" max="3" required') == 3
    assert titles(film_list) == ["Film 0-1", "Film 0-2", "Film 0-0"]


def test_removing_a_film(user_client, user):
    film_list = build_lists(user, 1, 3)[0]

    response = user_client.post(entry_url("remove", film_list.entries.get(position=2)))

    assert titles(film_list) == ["Film 0-0", "Film 0-2"]
    assert messages_of(response) == ["“Film 0-1” is off your list “List 00”."]


def test_a_film_removed_twice_is_said_to_be_off_the_list_already(user_client, user):
    film_list = build_lists(user, 1, 3)[0]
    url = entry_url("remove", film_list.entries.get(position=2))
    user_client.post(url, follow=True)

    again = user_client.post(url)

    assert again["Location"] == film_list.get_absolute_url()
    assert messages_of(again) == ["That film is already off your list “List 00”."]
    assert titles(film_list) == ["Film 0-0", "Film 0-2"]


def test_a_film_removed_from_a_list_deleted_meanwhile_says_the_list_is_deleted(user_client, user):
    """The list's page left open in another tab after the list was deleted."""
    film_list = build_lists(user, 1, 2)[0]
    url = entry_url("remove", film_list.entries.get(position=1))
    user_client.post(reverse("feedback:film_list_delete", args=[film_list.pk]), follow=True)

    response = user_client.post(url)

    assert response["Location"] == LISTS_URL
    assert messages_of(response) == ["That list is already deleted."]


@pytest.mark.parametrize(
    ("action", "data", "said"),
    [
        ("move", {"position": "1"}, "nothing was moved"),
        ("note", {"note": "With popcorn"}, "the note is not saved"),
    ],
)
def test_a_film_taken_off_meanwhile_is_said_to_be_off_the_list(
    user_client, user, action, data, said
):
    """The list's page left open in another tab after the film was taken off it."""
    film_list = build_lists(user, 1, 3)[0]
    url = entry_url(action, film_list.entries.get(position=2))
    user_client.post(entry_url("remove", film_list.entries.get(position=2)), follow=True)

    response = user_client.post(url, data)

    assert response["Location"] == film_list.get_absolute_url()
    assert messages_of(response) == [f"That film is no longer on your list “List 00”: {said}."]
    assert titles(film_list) == ["Film 0-0", "Film 0-2"]


@pytest.mark.parametrize(
    ("action", "data"), [("move", {"position": "1"}), ("note", {"note": "With popcorn"})]
)
def test_a_change_to_a_list_deleted_meanwhile_says_the_list_is_deleted(
    user_client, user, action, data
):
    film_list = build_lists(user, 1, 2)[0]
    url = entry_url(action, film_list.entries.get(position=2))
    user_client.post(reverse("feedback:film_list_delete", args=[film_list.pk]), follow=True)

    response = user_client.post(url, data)

    assert response["Location"] == LISTS_URL
    assert messages_of(response) == ["That list is already deleted."]


def test_a_note_is_saved_and_a_long_one_refused_with_nothing_lost(user_client, user):
    entry = FilmListEntryFactory(film_list__user=user, note="Before")

    user_client.post(entry_url("note", entry), {"note": "With popcorn"})
    entry.refresh_from_db()
    assert entry.note == "With popcorn"
    response = user_client.post(entry_url("note", entry), {"note": "x" * 501})
    entry.refresh_from_db()
    assert entry.note == "With popcorn"
    assert "A note can be at most 500 characters long." in messages_of(response)[-1]


def test_a_note_counts_line_breaks_as_the_browser_counts_them(user_client, user):
    entry = FilmListEntryFactory(film_list__user=user, note="Before")
    shown = ("n" * 49 + "\n") * 10  # 500 characters in the textarea
    sent = shown.replace("\n", "\r\n")

    user_client.post(entry_url("note", entry), {"note": sent})
    entry.refresh_from_db()
    assert entry.note == shown.strip()
    response = user_client.post(entry_url("note", entry), {"note": sent + "n"})
    entry.refresh_from_db()
    assert entry.note == shown.strip()
    assert LIST_NOTE_TOO_LONG_MESSAGE in messages_of(response)[-1]


@pytest.mark.parametrize("position", ["abc", "", "1.5", "%00", "9" * 30])
def test_a_position_that_is_no_number_changes_nothing(user_client, user, position):
    film_list = build_lists(user, 1, 2)[0]

    response = user_client.post(
        entry_url("move", film_list.entries.get(position=2)), {"position": position}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert titles(film_list) == ["Film 0-0", "Film 0-1"]


# Another person's list: answered as a list of nothing (a 404, or "already deleted"),
# and nothing changes


def their_list():
    film_list = FilmListFactory(user=UserFactory(), name="Theirs")
    FilmListEntryFactory(film_list=film_list)
    FilmListEntryFactory(film_list=film_list)
    return film_list


def test_another_persons_list_is_not_found(user_client):
    theirs = their_list()
    first, second = theirs.entries.order_by("position")

    assert user_client.get(theirs.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    posted = user_client.post(theirs.get_absolute_url(), {"name": "Mine now", "description": ""})
    assert posted.status_code == HTTPStatus.NOT_FOUND
    delete_url = reverse("feedback:film_list_delete", args=[theirs.pk])
    assert user_client.get(delete_url)["Location"] == LISTS_URL
    assert user_client.post(delete_url)["Location"] == LISTS_URL
    for name, data in (("remove", {}), ("move", {"position": "1"}), ("note", {"note": "x"})):
        assert user_client.post(entry_url(name, second), data)["Location"] == LISTS_URL

    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
    assert list(theirs.entries.order_by("position")) == [first, second]
    assert second.note == FilmListEntry.objects.get(pk=second.pk).note


def test_adding_to_another_persons_list_is_refused(user_client):
    theirs = their_list()
    movie = MovieFactory(title="Ugetsu")

    response = user_client.post(add_url(movie), {"film_list": theirs.pk})

    assert response["Location"] == movie.get_absolute_url()
    assert messages_of(response) == ["Choose one of your lists."]
    assert theirs.entries.count() == 2


# "Add to a list" on a film's page


def test_a_film_is_added_to_a_list_from_its_page(user_client, user):
    film_list = FilmListFactory(user=user, name="Best of 2024")
    movie = MovieFactory(title="Ugetsu")

    response = user_client.post(add_url(movie), {"film_list": film_list.pk})
    again = user_client.post(add_url(movie), {"film_list": film_list.pk})

    assert response["Location"] == movie.get_absolute_url()
    assert messages_of(response) == ["“Ugetsu” is on your list “Best of 2024”."]
    assert messages_of(again)[-1] == "“Ugetsu” was already on your list “Best of 2024”."
    assert titles(film_list) == ["Ugetsu"]


def test_a_list_whose_last_position_staff_set_to_the_maximum_takes_films(user_client, user):
    """Staff may set a position as high as the column holds in the admin: adding a film
    after it, then moving and removing films, still work, in the list's order."""
    film_list = FilmListFactory(user=user)
    FilmListEntryFactory(film_list=film_list, movie__title="First")
    FilmListEntryFactory(film_list=film_list, movie__title="Last", position=INTEGER_MAX)
    movie = MovieFactory(title="Added")

    added = user_client.post(add_url(movie), {"film_list": film_list.pk})
    assert added.status_code == HTTPStatus.FOUND
    assert titles(film_list) == ["First", "Last", "Added"]
    user_client.post(entry_url("move", film_list.entries.get(movie=movie)), {"position": "1"})
    assert titles(film_list) == ["Added", "First", "Last"]
    user_client.post(entry_url("remove", film_list.entries.get(movie__title="First")))
    assert titles(film_list) == ["Added", "Last"]


@pytest.mark.parametrize("value", ["", "abc", "9" * 30, "-1"])
def test_adding_to_no_list_is_refused(user_client, user, value):
    FilmListFactory(user=user)
    movie = MovieFactory()

    response = user_client.post(add_url(movie), {"film_list": value})

    assert messages_of(response) == ["Choose one of your lists."]
    assert not FilmListEntry.objects.exists()


def test_adding_a_film_that_does_not_exist_is_not_found(user_client, user):
    film_list = FilmListFactory(user=user)

    response = user_client.post(
        reverse("feedback:movie_film_list_add", args=[9999]), {"film_list": film_list.pk}
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_film_page_names_the_lists_holding_the_film_and_offers_the_others(user_client, user):
    movie = MovieFactory()
    holding = FilmListFactory(user=user, name="Holding it")
    FilmListEntryFactory(film_list=holding, movie=movie)
    FilmListFactory(user=user, name="Not yet")
    FilmListFactory(name="Somebody else's")

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert f'<a href="{holding.get_absolute_url()}">Holding it</a>' in html
    assert ">Not yet</option>" in html
    assert "Holding it</option>" not in html
    assert "Somebody else" not in html


def test_the_film_page_without_lists_links_to_make_one_with_the_film(user_client):
    movie = MovieFactory()

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert f'href="{LISTS_URL}?film={movie.pk}#new-list-heading">Make a list with this film' in html


def test_a_list_made_from_a_film_s_page_holds_the_film_and_goes_back_to_it(user_client, user):
    movie = MovieFactory(title="Heat")

    html = user_client.get(LISTS_URL, {"film": movie.pk}).content.decode()
    response = user_client.post(LISTS_URL, {"name": "Noir", "description": "", "film": movie.pk})

    assert "Make a list with “Heat”" in html
    assert f'<input type="hidden" name="film" value="{movie.pk}">' in html
    assert response["Location"] == movie.get_absolute_url()
    assert messages_of(response) == ["Your list “Noir” is made, with “Heat” on it."]
    assert titles(FilmList.objects.get(user=user, name="Noir")) == ["Heat"]


def test_a_list_refused_from_a_film_s_page_keeps_the_film_for_the_next_try(user_client, user):
    movie = MovieFactory(title="Heat")

    response = user_client.post(LISTS_URL, {"name": " ", "description": "", "film": movie.pk})

    assert response.status_code == HTTPStatus.OK
    assert f'<input type="hidden" name="film" value="{movie.pk}">' in response.content.decode()
    assert not FilmList.objects.exists()


@pytest.mark.parametrize("film", ["abc", "-1", "0", "99999999999999999999", "999999", ""])
def test_a_film_that_is_none_makes_the_list_alone(user_client, user, film):
    MovieFactory()

    page = user_client.get(LISTS_URL, {"film": film})
    response = user_client.post(LISTS_URL, {"name": "Noir", "description": "", "film": film})

    assert page.status_code == HTTPStatus.OK
    assert "Make a list with" not in page.content.decode()
    made = FilmList.objects.get(user=user, name="Noir")
    assert response["Location"] == made.get_absolute_url()
    assert titles(made) == []


@pytest.mark.parametrize("lists", [2, 12])
def test_the_film_page_reads_the_lists_in_one_query(
    user_client, user, django_assert_num_queries, lists
):
    movie = MovieFactory()
    for film_list in build_lists(user, lists, 3)[::2]:
        FilmListEntryFactory(film_list=film_list, movie=movie)

    # The film's own, the person's own review, and their lists: no library items here.
    with django_assert_num_queries(LOGGED_IN + DETAIL_QUERIES + 1 + 1):
        html = user_client.get(movie.get_absolute_url()).content.decode()

    assert html.count("</option>") == lists // 2 + 1  # the lists without it, and "Choose"


def test_logged_out_people_are_sent_to_log_in(client):
    response = client.get(LISTS_URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
