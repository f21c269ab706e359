"""A person's lists of films: the rules the database holds, and the writes of
feedback/film_lists.py, reordering included, on SQLite and on PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.bounds import INTEGER_MAX
from feedback.film_list_models import (
    LIST_DESCRIPTION_TOO_LONG_MESSAGE,
    LIST_NAME_BLANK_MESSAGE,
    LIST_NAME_TAKEN_MESSAGE,
    LIST_NAME_UNTRIMMED_MESSAGE,
    LIST_NOTE_TOO_LONG_MESSAGE,
    POSITION_MESSAGE,
)
from feedback.film_lists import (
    film_list_create,
    film_list_delete,
    film_list_entry_add,
    film_list_entry_move,
    film_list_entry_note_save,
    film_list_entry_remove,
    film_list_update,
)
from feedback.models import FilmList, FilmListEntry
from tests.at_once import at_once
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import FilmListEntryFactory, FilmListFactory, MovieFactory, UserFactory

pytestmark = pytest.mark.django_db


def list_row(user, **overrides):
    now = timezone.now()
    return {
        "user_id": user.pk,
        "name": "Best of 2024",
        "description": "",
        "created_at": now,
        "updated_at": now,
    } | overrides


def entry_row(film_list, movie, **overrides):
    return {
        "film_list_id": film_list.pk,
        "movie_id": movie.pk,
        "position": 1,
        "note": "",
        "added_at": timezone.now(),
    } | overrides


def titles(film_list):
    return [entry.movie.title for entry in FilmListEntry.objects.in_order(film_list)]


def positions(film_list):
    return list(film_list.entries.order_by("position").values_list("position", flat=True))


# The database's own rules, around every form and service.


def test_a_list_row_that_keeps_the_rules_is_taken(user):
    raw_insert("feedback_filmlist", **list_row(user))
    assert FilmList.objects.get(user=user).name == "Best of 2024"


@pytest.mark.parametrize(
    "name",
    ["", "   ", "\n\t", "\u3000", " Padded", "Padded\n", "x" * 101],
    ids=["empty", "spaces", "line-breaks", "ideographic-space", "leading", "trailing", "long"],
)
def test_the_database_refuses_a_bad_name(user, name):
    assert_refused_by_database("feedback_filmlist", **list_row(user, name=name))


def test_the_database_takes_a_name_of_100_characters(user):
    raw_insert("feedback_filmlist", **list_row(user, name="x" * 100))
    assert FilmList.objects.filter(user=user).exists()


def test_the_database_refuses_a_name_taken_in_another_letter_case(user, other_user):
    raw_insert("feedback_filmlist", **list_row(user, name="Best of 2024"))
    assert_refused_by_database("feedback_filmlist", **list_row(user, name="BEST OF 2024"))
    # Another person's list may have the same name.
    raw_insert("feedback_filmlist", **list_row(other_user, name="best of 2024"))


def test_the_database_refuses_a_long_description(user):
    assert_refused_by_database("feedback_filmlist", **list_row(user, description="x" * 1001))


def test_the_database_refuses_a_film_twice_on_a_list(user):
    film_list, movie = FilmListFactory(user=user), MovieFactory()
    raw_insert("feedback_filmlistentry", **entry_row(film_list, movie, position=1))
    assert_refused_by_database("feedback_filmlistentry", **entry_row(film_list, movie, position=2))


def test_the_database_refuses_two_films_at_one_position(user):
    film_list = FilmListFactory(user=user)
    raw_insert("feedback_filmlistentry", **entry_row(film_list, MovieFactory(), position=1))
    assert_refused_by_database(
        "feedback_filmlistentry", **entry_row(film_list, MovieFactory(), position=1)
    )


@pytest.mark.parametrize("position", [0, -1, 2**31])
def test_the_database_refuses_a_position_that_is_not_positive_or_too_large(user, position):
    film_list = FilmListFactory(user=user)
    assert_refused_by_database(
        "feedback_filmlistentry", **entry_row(film_list, MovieFactory(), position=position)
    )


def test_the_database_refuses_a_long_note(user):
    film_list = FilmListFactory(user=user)
    assert_refused_by_database(
        "feedback_filmlistentry", **entry_row(film_list, MovieFactory(), note="x" * 501)
    )


@pytest.mark.parametrize(
    ("name", "name_error"),
    [(" Padded", LIST_NAME_UNTRIMMED_MESSAGE), (" \u3000", LIST_NAME_BLANK_MESSAGE)],
    ids=["untrimmed", "blank"],
)
def test_validation_names_every_broken_rule_of_a_list_at_once(user, name, name_error):
    film_list = FilmList(user=user, name=name, description="x" * 1001)

    with pytest.raises(ValidationError) as excinfo:
        film_list.full_clean()

    assert excinfo.value.message_dict == {
        "name": [name_error],
        "description": [LIST_DESCRIPTION_TOO_LONG_MESSAGE],
    }


def test_validation_names_every_broken_rule_of_an_entry_at_once(user):
    entry = FilmListEntry(
        film_list=FilmListFactory(user=user), movie=MovieFactory(), position=0, note="x" * 501
    )

    with pytest.raises(ValidationError) as excinfo:
        entry.full_clean()

    assert excinfo.value.message_dict == {
        "position": [POSITION_MESSAGE],
        "note": [LIST_NOTE_TOO_LONG_MESSAGE],
    }


# Lists: made, edited, deleted.


def test_a_list_is_made_with_its_name_trimmed(user):
    film_list = film_list_create(user=user, name="  Films to show the kids \n", description="")

    assert film_list.name == "Films to show the kids"
    assert str(film_list) == f"{user}: Films to show the kids"


@pytest.mark.parametrize("name", ["", " \n "])
def test_a_blank_name_is_refused_in_the_forms_words(user, name):
    with pytest.raises(ValidationError) as excinfo:
        film_list_create(user=user, name=name, description="")

    assert excinfo.value.message_dict["name"] in (
        [LIST_NAME_BLANK_MESSAGE],
        ["This field cannot be blank."],
    )
    assert not FilmList.objects.exists()


def test_a_name_taken_in_another_case_is_refused_and_nothing_is_lost(user):
    first = film_list_create(user=user, name="Best of 2024", description="Mine")

    with pytest.raises(ValidationError) as excinfo:
        film_list_create(user=user, name="best OF 2024", description="")

    # The name's error, for the form to show beside the name, not above the whole form.
    assert excinfo.value.message_dict == {"name": [LIST_NAME_TAKEN_MESSAGE]}
    assert list(FilmList.objects.all()) == [first]


def test_another_person_may_use_the_same_name(user, other_user):
    film_list_create(user=user, name="Best of 2024", description="")
    film_list_create(user=other_user, name="Best of 2024", description="")

    assert FilmList.objects.count() == 2


def test_a_list_is_renamed_and_a_rename_to_a_taken_name_is_refused(user):
    film_list = film_list_create(user=user, name="Rewatches", description="")
    film_list_create(user=user, name="Best of 2024", description="")

    film_list_update(film_list=film_list, name="Comfort rewatches", description="Rainy days")
    with pytest.raises(ValidationError):
        film_list_update(film_list=film_list, name="BEST of 2024", description="")

    film_list.refresh_from_db()
    assert (film_list.name, film_list.description) == ("Comfort rewatches", "Rainy days")


def test_renaming_a_list_in_another_case_of_its_own_name_is_allowed(user):
    film_list = film_list_create(user=user, name="best of 2024", description="")

    film_list_update(film_list=film_list, name="Best of 2024", description="")

    film_list.refresh_from_db()
    assert film_list.name == "Best of 2024"


def test_deleting_a_list_deletes_its_entries_and_not_the_films(user):
    film_list = FilmListFactory(user=user)
    entry = FilmListEntryFactory(film_list=film_list)

    film_list_delete(film_list=film_list)

    assert not FilmList.objects.exists()
    assert not FilmListEntry.objects.exists()
    entry.movie.refresh_from_db()


def test_deleting_the_account_deletes_its_lists(user):
    FilmListEntryFactory(film_list__user=user)
    kept = FilmListEntryFactory()

    user.delete()

    assert list(FilmList.objects.all()) == [kept.film_list]
    assert list(FilmListEntry.objects.all()) == [kept]


# Films on a list: added at the end, removed, moved, noted.


def test_films_are_added_at_the_end_and_moving_the_list_on(user):
    film_list = FilmListFactory(user=user, updated_at=timezone.now() - timezone.timedelta(days=3))
    first, second = MovieFactory(title="Alpha"), MovieFactory(title="Beta")
    before = film_list.updated_at

    _, added = film_list_entry_add(film_list=film_list, movie=first)
    film_list_entry_add(film_list=film_list, movie=second)

    assert added
    assert titles(film_list) == ["Alpha", "Beta"]
    assert positions(film_list) == [1, 2]
    film_list.refresh_from_db()
    assert film_list.updated_at > before


def test_adding_a_film_already_there_changes_nothing(user):
    film_list = FilmListFactory(user=user)
    movie = MovieFactory()
    entry, _ = film_list_entry_add(film_list=film_list, movie=movie)

    again, added = film_list_entry_add(film_list=film_list, movie=movie)

    assert not added
    assert again == entry
    assert film_list.entries.count() == 1


def make_list(user, count):
    film_list = FilmListFactory(user=user)
    entries = [
        FilmListEntryFactory(film_list=film_list, movie__title=f"Film {number}")
        for number in range(1, count + 1)
    ]
    return film_list, entries


def test_removing_a_film_closes_up_the_positions(user):
    film_list, entries = make_list(user, 4)

    assert film_list_entry_remove(entry=entries[1])

    assert titles(film_list) == ["Film 1", "Film 3", "Film 4"]
    assert positions(film_list) == [1, 2, 3]


@pytest.mark.parametrize(
    ("index", "to", "expected"),
    [
        (1, 1, ["Film 2", "Film 1", "Film 3", "Film 4"]),  # up, to the top
        (0, 2, ["Film 2", "Film 1", "Film 3", "Film 4"]),  # down from the top
        (3, 3, ["Film 1", "Film 2", "Film 4", "Film 3"]),  # up from the bottom
        (2, 4, ["Film 1", "Film 2", "Film 4", "Film 3"]),  # down, to the bottom
        (3, 1, ["Film 4", "Film 1", "Film 2", "Film 3"]),  # bottom to top
        (0, 4, ["Film 2", "Film 3", "Film 4", "Film 1"]),  # top to bottom
        (0, 0, ["Film 1", "Film 2", "Film 3", "Film 4"]),  # past the top: stays there
        (3, 5, ["Film 1", "Film 2", "Film 3", "Film 4"]),  # past the bottom: stays there
        (1, 99, ["Film 1", "Film 3", "Film 4", "Film 2"]),  # far past: to the bottom
    ],
)
def test_moving_a_film_renumbers_without_a_collision(user, index, to, expected):
    film_list, entries = make_list(user, 4)

    film_list_entry_move(entry=entries[index], to_position=to)

    assert titles(film_list) == expected
    assert positions(film_list) == [1, 2, 3, 4]


def test_moving_after_a_film_was_deleted_closes_the_gap(user):
    film_list, entries = make_list(user, 3)
    entries[1].movie.delete()  # staff deleted the film: its entry goes, a gap stays

    film_list_entry_move(entry=FilmListEntry.objects.get(pk=entries[2].pk), to_position=1)

    assert titles(film_list) == ["Film 3", "Film 1"]
    assert positions(film_list) == [1, 2]


def list_set_high(user, high_positions):
    """A list of "Film 1", "Film 2"... whose positions staff set in the admin, as high
    as the column holds: the list's pages must renumber it all the same."""
    film_list = FilmListFactory(user=user)
    for number, position in enumerate(high_positions, start=1):
        FilmListEntryFactory(film_list=film_list, movie__title=f"Film {number}", position=position)
    return film_list


HIGH_POSITIONS = {
    "last-at-the-maximum": [1, 2, INTEGER_MAX],
    "past-half-the-maximum": [1, 1_500_000_000, 1_500_000_001],
    "all-near-the-maximum": [INTEGER_MAX - 2, INTEGER_MAX - 1, INTEGER_MAX],
}


@pytest.mark.parametrize("high", HIGH_POSITIONS.values(), ids=HIGH_POSITIONS.keys())
def test_a_film_is_added_after_positions_set_as_high_as_they_go(user, high):
    film_list = list_set_high(user, high)

    _, added = film_list_entry_add(film_list=film_list, movie=MovieFactory(title="Film 4"))

    assert added
    assert titles(film_list) == ["Film 1", "Film 2", "Film 3", "Film 4"]
    assert positions(film_list)[-1] <= INTEGER_MAX


@pytest.mark.parametrize("high", HIGH_POSITIONS.values(), ids=HIGH_POSITIONS.keys())
def test_a_film_is_moved_after_positions_set_as_high_as_they_go(user, high):
    film_list = list_set_high(user, high)

    film_list_entry_move(entry=film_list.entries.get(movie__title="Film 3"), to_position=1)

    assert titles(film_list) == ["Film 3", "Film 1", "Film 2"]
    assert positions(film_list) == [1, 2, 3]


@pytest.mark.parametrize("high", HIGH_POSITIONS.values(), ids=HIGH_POSITIONS.keys())
def test_a_film_is_removed_after_positions_set_as_high_as_they_go(user, high):
    film_list = list_set_high(user, high)

    assert film_list_entry_remove(entry=film_list.entries.get(movie__title="Film 2"))

    assert titles(film_list) == ["Film 1", "Film 3"]
    assert positions(film_list) == [1, 2]


def test_a_note_is_saved_trimmed_and_a_long_one_refused(user):
    film_list, entries = make_list(user, 1)

    film_list_entry_note_save(entry=entries[0], note="  Watch with popcorn \n")
    with pytest.raises(ValidationError) as excinfo:
        film_list_entry_note_save(entry=entries[0], note="x" * 501)

    assert excinfo.value.message_dict["note"] == [LIST_NOTE_TOO_LONG_MESSAGE]
    entries[0].refresh_from_db()
    assert entries[0].note == "Watch with popcorn"


def test_the_entries_of_each_list_are_their_own(user):
    mine, theirs = FilmListFactory(user=user), FilmListFactory(user=UserFactory())
    movie = MovieFactory()
    film_list_entry_add(film_list=mine, movie=movie)
    film_list_entry_add(film_list=theirs, movie=movie)

    film_list_entry_remove(entry=mine.entries.get())

    assert theirs.entries.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("first", "second"), [("Best of 2024", "BEST OF 2024"), ("straße", "STRAẞE")]
)
def test_two_lists_of_one_name_made_at_once_leave_one_and_the_second_is_told_why(
    user, first, second
):
    """Two tabs make lists whose names the UNIQUE on Lower(name) folds together. On
    PostgreSQL both pass validation before either commits, and the second's insert meets
    the UNIQUE: it is refused in the form's words. Its name was looked for again by
    name__iexact, upper(), which leaves "ẞ" and "ß" apart where lower() folds them
    together: not found, the IntegrityError went up (a 500). (SQLite's IMMEDIATE
    transactions take turns: the second's validation finds the first.)"""
    errors = at_once(
        lambda: film_list_create(user=user, name=first),
        lambda: film_list_create(user=user, name=second),
        stagger=0.1,
    )

    assert [error.message_dict for error in errors] == [{"name": [LIST_NAME_TAKEN_MESSAGE]}]
    assert list(FilmList.objects.filter(user=user).values_list("name", flat=True)) == [first]
