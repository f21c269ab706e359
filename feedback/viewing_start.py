"""The earliest a viewing of a film can start: 1 January of the year before the film's.

A year of slack, because festivals screen films the year before their release and the
catalog has years a year out; none is so wrong that a viewing in 1890 of a film of 1993
happened. 1 January counts from its first moment anywhere, UTC+14 (Kiribati): a start is
stored in UTC without its person's zone, and the message "cannot start before 1 January"
must never refuse a day it allows, wherever the person typed it. A film with no year, or
an item that is no film (an episode), has no limit but the first film's (catalog.bounds).

The rule spans two tables, the viewing's and the film's, so no CHECK can hold it:
validation does (ViewingHistory.clean_fields, for the pages, the admin, the services and
the import of a user export), and the imports that write in bulk (Letterboxd's, the
demo's) apply viewing_start_problem with the years they hold, reporting the line.
"""

from datetime import UTC, datetime, timedelta

# The earliest zone's lead on UTC: its 1 January begins 14 hours before UTC's.
EARLIEST_ZONE_AHEAD = timedelta(hours=14)


def earliest_viewing_start(film_year: int | None) -> datetime | None:
    """The first moment a viewing of a film of `film_year` may start at, when 1 January of
    the year before begins in the earliest zone (compared as a moment, a start near the
    year 9999 cannot overflow as converting it to UTC could); None for no limit."""
    if film_year is None:
        return None
    return datetime(film_year - 1, 1, 1, tzinfo=UTC) - EARLIEST_ZONE_AHEAD


def viewing_start_problem(started_at: datetime | None, film_year: int | None) -> str | None:
    """Why a viewing of a film of `film_year` cannot start at `started_at`, or None."""
    earliest = earliest_viewing_start(film_year)
    if earliest is None or started_at is None or started_at >= earliest:
        return None
    return (
        f"This film came out in {film_year}: a viewing of it cannot start before "
        f"1 January {film_year - 1}."
    )
