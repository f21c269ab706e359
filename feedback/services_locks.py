"""The lock that makes one person's writes take turns, and the insert of a row of theirs
that two requests may race for. Apart from feedback/services.py, which imports the
watchlist's writes, so that those writes can take them too."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction


def lock_person(user) -> None:
    """Hold the person's row until the transaction ends, so that two of their requests
    that read and then write (feedback_record, viewing_record_once) take turns: the
    second reads what the first wrote. The person's row, not the media item's: Marquee's
    own item for a film does not exist before its first feedback or viewing, and other
    people's clicks need not wait.
    SQLite needs no lock: its IMMEDIATE transactions (settings) already write one at a
    time, and select_for_update is a no-op there."""
    lock_person_by_id(user.pk)


def lock_person_by_id(user_id: int) -> None:
    """lock_person for a row that names its person by id alone (a viewing read without
    them), which would cost a query to read the person first."""
    list(get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk"))


def lock_people_by_id(user_ids) -> None:
    """lock_person for each of several people (a row the admin moves from one person to
    another), in the order of their ids: two such writes naming the same people in the
    other order wait for each other instead of each holding one and waiting for the other."""
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=set(user_ids))
        .order_by("pk")
        .values_list("pk")
    )


def save_once(model, **key):
    """The person's row of `model` under `key` (its UNIQUE fields), and whether it is new:
    the one found, else a new one, saved. Run inside a transaction that holds the
    person's lock (lock_person).

    Asked twice (a double click, a second tab), the second request finds the first's
    row. When both read before either wrote, the UNIQUE constraint makes the second
    insert wait for the first to commit and then refuses it: its savepoint is rolled
    back, and the row the first wrote is read and returned, not a 500."""
    row = model.objects.filter(**key).first()
    if row is not None:
        return row, False
    row = model(**key)
    # The fields' own rules; the one constraint left to check, UNIQUE, was just read
    # above and is held by the database below, race or not.
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        row = model.objects.filter(**key).first()
        if row is None:  # not the race above (the film deleted meanwhile, say)
            raise
        return row, False
    return row, True
