"""An export's settings row written back (feedback/export_import.py calls it): the
person's time zone, through the model's rules, so that a name this Marquee's time zone
data does not know is refused in their words. "" puts back the site's zone.

The person's sessions keep the zone they had until their next log-in or visit to the
account page (feedback/time_zones.py): the import runs on the command line, with no
session of theirs at hand.
"""

from feedback.models import UserTimeZone


def settings_import(importer, row: dict, where: str) -> None:
    name = row["time_zone"] or ""
    current = UserTimeZone.objects.filter(user=importer.user).first()
    if current is None and not name:
        # No row is the site's zone already: nothing to write.
        importer.counts.unchanged["settings"] += 1
        return
    new = UserTimeZone(user=importer.user)
    importer.write("settings", current, new, {"time_zone": name}, where)
