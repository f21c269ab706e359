"""Which of a Letterboxd diary's lines a person's history has already, whatever zone
they were in when it was imported.

The import puts a diary line at 8 pm on its day in the person's zone (EVENING), and the
zone may have changed since: 8 pm on 1 March in UTC is 5 am on 2 March in Tokyo. So a
viewing is a line's when it is on the line's day in the person's zone now (a viewing
logged on the site that day, as before), or when it starts exactly at 8 pm on the
line's day at some UTC offset from -12:00 to +14:00 in whole quarter hours: where an
earlier import put that line, in the zone the person had then. Every zone's offset is in
quarter hours today; one that was not (Liberia's -0:44:30 until 1972) leaves its old
days matched by the day in the person's zone alone, as before.

Those moments overlap from one day to the next: 8 pm on the 2nd at +14 (Kiritimati) is
8 pm on the 1st at -10 (Honolulu), the same instant, 6 am UTC. So each viewing answers
for one line at most, and lines are matched to viewings so that as many as can be are:
a film watched again the next day, both days in the file, is two viewings found, a
film watched twice in a day needs two viewings of that day, and a rewatch logged since
is one line added, in any zone. Of the matchings that find as many, one that takes a
viewing at 8 pm in the person's zone now for that day's line is chosen, so that the
rewatch added goes on its own evening; where none does, a viewing that could be either
day's is taken for the earlier line.

Trakt's history keeps the moment of each watch (feedback/trakt_import.py), and the same
rules find the viewing of its day (on_the_day_of): one on its day in the person's zone
now, or one at 8 pm on its day at the offset that viewing was put at. A moment is on one
such day, where a line's day can be either of two: the 2nd at +14 and the 1st at -10
are the same 24 hours.
"""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

DAY = timedelta(days=1)
# UTC offsets that exist (-12:00, Baker Island, to +14:00, Kiritimati), and their step.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)
OFFSET_STEP = timedelta(minutes=15)
EVENING_AS_DURATION = timedelta(hours=20)


def evening_days(at: datetime) -> set[date]:
    """The days on which `at` is 8 pm at some UTC offset: none, one, or two running (an
    instant between 6 and 8 am UTC is 8 pm at +12 to +14 and the day before at -12 to
    -10)."""
    utc = at.astimezone(UTC)
    since_midnight = utc - utc.replace(hour=0, minute=0, second=0, microsecond=0)
    # The offset that makes it 8 pm, and the same a day behind.
    offset = (EVENING_AS_DURATION - since_midnight) % DAY
    if offset % OFFSET_STEP:
        return set()
    return {
        (utc + each).date()
        for each in (offset, offset - DAY)
        if EARLIEST_OFFSET <= each <= LATEST_OFFSET
    }


def on_the_day_of(at: datetime, moment: datetime, zone) -> bool:
    """Whether a viewing at `at` can be the one of `moment`'s day, as it can be a diary
    line's: both are on one day in the person's `zone` now, or `at` is 8 pm at some
    offset (evening_days) and `moment` is on that day at that offset, the 24 hours from
    20 hours before `at`, whichever of its two days that is."""
    if at.astimezone(zone).date() == moment.astimezone(zone).date():
        return True
    midnight = at - EVENING_AS_DURATION
    return bool(evening_days(at)) and midnight <= moment < midnight + DAY


def lines_matched(lines: Counter, viewings) -> list[tuple[tuple, object]]:
    """Which viewing answers for each line matched, as ((film, day), viewing) pairs, a
    viewing answering for one line at most. `lines` counts the lines of each film and
    day (a film watched twice in an evening is two); `viewings` holds each viewing's
    film, its own day (the day it is 8 pm on in the person's zone, where this import
    would put that day's lines; None if it is not), the days it could be, and what names
    it (its id), which the pairs give back: a line's key goes to the viewing found."""
    of_film = defaultdict(list)
    for film, own, days, name in viewings:
        of_film[film].append((own, days, name))
    days_of_film = defaultdict(list)
    for (film, day), count in lines.items():
        days_of_film[film] += [day] * count
    return [
        ((film, day), name)
        for film, days in days_of_film.items()
        for day, name in days_matched(days, of_film[film])
    ]


def days_matched(days: list, viewings: list[tuple]) -> list[tuple]:
    """As many of the days (each once for each line of it) as can be matched, each to a
    viewing of its own, as (day, viewing's name) pairs: a viewing at 8 pm on a day in the
    person's zone taken for a line of that day first, when that costs no match (a
    rewatch logged since is then added on its own day, not at the moment of the viewing
    already there)."""
    most = earliest_deadline_first(days, [(could, name) for _, could, name in viewings])
    waiting, own_taken, rest = Counter(days), [], []
    for own, could, name in viewings:
        if waiting[own]:
            waiting[own] -= 1
            own_taken.append((own, name))
        else:
            rest.append((could, name))
    own_first = [*own_taken, *earliest_deadline_first(list(waiting.elements()), rest)]
    return own_first if len(own_first) == len(most) else most


def earliest_deadline_first(days: list, viewings: list[tuple[set, object]]) -> list[tuple]:
    """The most days matched, each to a viewing (the days it could be, its name) that
    could be it: days earliest first, each taking the viewing whose latest day is
    soonest (one no later day could take), which matches as many as can be where each
    viewing's days run on without a gap (the current zone's day and the evenings' are at
    most three running)."""
    waiting = sorted(viewings, key=lambda viewing: min(viewing[0]))
    next_waiting, open_, matched = 0, [], []
    for day in sorted(days):
        while next_waiting < len(waiting) and min(waiting[next_waiting][0]) <= day:
            open_.append(waiting[next_waiting])
            next_waiting += 1
        open_ = [each for each in open_ if max(each[0]) >= day]  # past: no later day's
        fitting = [each for each in open_ if day in each[0]]
        if fitting:
            taken = min(fitting, key=lambda viewing: max(viewing[0]))
            open_.remove(taken)
            matched.append((day, taken[1]))
    return matched
