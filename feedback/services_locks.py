"""The lock that makes one person's writes take turns. Apart from feedback/services.py,
which imports the watchlist's writes, so that those writes can take it too."""

from django.contrib.auth import get_user_model


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
