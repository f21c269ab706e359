"""Each person's pages in their own time zone (UserTimeZone), as on Trakt and Letterboxd:
times shown, and times typed into the viewing forms, are in it; blank means the site's.

The zone rides on the session, so that no page pays a query for it: put there when the
person logs in, and again when they change it on the account page (time_zone_set's
caller) or open that page, which reads it afresh. A session from before the zone was
kept there reads it once, on its next request. A change made elsewhere (another browser,
an import) reaches a session at its next log-in or its next visit to the account page.
"""

import functools
import zoneinfo
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from feedback.models import UserTimeZone, time_zone_names
from feedback.services_locks import lock_person

SESSION_KEY = "marquee_time_zone"


def time_zone_of(user) -> str:
    """The person's zone, "" for the site's; one query."""
    return UserTimeZone.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""


@transaction.atomic
def time_zone_set(*, user, name: str) -> bool:
    """Make `name` (an IANA name, "" for the site's) the person's zone: False if it was
    already. Refused, in the model's words, for a name the time zone data does not know.

    Saved twice at once (a double click on Save, before the person has a zone), the
    requests take turns on the person's row: the second reads the row the first wrote
    and changes it, rather than inserting another, which the one-zone-per-person
    constraint would refuse. The last one saved stands."""
    lock_person(user)
    row = UserTimeZone.objects.filter(user=user).first() or UserTimeZone(user=user)
    if row.pk is not None and row.time_zone == name:
        return False
    row.time_zone = name
    row.full_clean()
    row.save()
    return True


def time_zone_remember(request, name: str) -> None:
    """Keep the person's zone on their session; the session is only saved if it changed."""
    if request.session.get(SESSION_KEY) != name:
        request.session[SESSION_KEY] = name


@receiver(user_logged_in)
def remember_time_zone_on_log_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        time_zone_remember(request, time_zone_of(user))


def session_time_zone(request) -> str:
    """The zone of the request's person, "" for the site's. Anonymous visitors have none
    on their session and are not asked for one: no query of theirs is added, and a
    visitor without a session cookie has no session read for it."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    name = request.session.get(SESSION_KEY)
    if name is None:
        if not request.user.is_authenticated:
            return ""
        name = time_zone_of(request.user)
        time_zone_remember(request, name)
    # A zone the time zone data has dropped since (an update of the machine's) would
    # fail every page: the site's stands in until the person picks another.
    return name if name in time_zone_names() else ""


class PersonTimeZoneMiddleware:
    """Activate the person's zone for the request, after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = session_time_zone(request)
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The thread serves other people next.
            timezone.deactivate()


def time_zone_choices(keep: str = "") -> list:
    """The zones for a select: the site's first, as "", then the places' zones grouped by
    region ("Europe": "Berlin", ...), and UTC under "Other"; `keep`, a name the person
    chose before that is not among them, under "Other" too."""
    groups = defaultdict(list)
    names = place_zone_names() | ({keep} & time_zone_names())
    for name in sorted(names):
        region, _, place = name.partition("/")
        if place:
            groups[region].append((name, place.replace("_", " ")))
        else:
            groups["Other"].append((name, name))
    return [("", f"The site's time zone ({settings.TIME_ZONE})"), *sorted(groups.items())]


@functools.cache
def place_zone_names() -> frozenset[str]:
    """tzdb's zone of each place (its zone.tab) and UTC: one name for each zone, not the
    older names kept as aliases (Europe/Kiev for Europe/Kyiv, US/Eastern, Japan, Zulu).
    Without a zone.tab (time zone data of another shape), every name in a region."""
    for folder in zoneinfo.TZPATH:
        table = Path(folder) / "zone.tab"
        if table.is_file():
            rows = table.read_text(encoding="utf-8").splitlines()
            listed = {row.split("\t")[2] for row in rows if row and not row.startswith("#")}
            break
    else:
        listed = {name for name in time_zone_names() if "/" in name}
        listed -= {name for name in listed if name.startswith("Etc/")}
    return frozenset((listed & time_zone_names()) | {"UTC"})


def time_zone_said(name: str) -> str:
    return name or f"the site's time zone, {settings.TIME_ZONE}"
