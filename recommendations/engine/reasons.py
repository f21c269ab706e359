"""The sentence shown with each pick. It always names the signal behind the pick and, where
there is one, the film that led to it: a reason a person can check against what they did."""

from django.utils import dateformat, timezone

from catalog.models import RelationshipType

# Log rows hold 300 characters; titles can be long. A reason naming three titles (a
# series' later film, and the film that led to it) is cut to fit as a last resort.
MAX_TITLE = 120
MAX_REASON = 300

RELATION_WORDS = {
    RelationshipType.SEQUEL: "Sequel to",
    RelationshipType.PREQUEL: "Prequel to",
    RelationshipType.REMAKE: "Remake of",
    RelationshipType.SPIN_OFF: "Spin-off of",
}


def short(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def fitted(reason: str) -> str:
    return reason if len(reason) <= MAX_REASON else reason[: MAX_REASON - 1] + "…"


def about(subject: str, said: str) -> str:
    """`said` ("Popular and well rated") of a film: as it is for "this" film, or as a
    clause naming another ("Toy Story 4 is popular and well rated")."""
    return f"{short(subject)} is {said[0].lower()}{said[1:]}" if subject and said else said


def what_they_did(opinion) -> str:
    """How the person showed they liked a film, in their own terms: what they said of it
    last (engine/profile.py Opinion), or, where they said nothing, what they did."""
    if opinion.stars is not None and opinion.stars >= 4:
        return f"which you rated {opinion.rated or f'{opinion.stars:g}'}"
    if opinion.again:
        return "which you would watch again"
    if opinion.rewatched:
        return "which you watched more than once"
    return "which you loved"


def relation_reason(relation, source_title: str, opinion, *, subject: str = "") -> str:
    """ "Sequel to Alien, which you rated 5"; of a `subject`, "Aliens is a sequel to …"."""
    if relation.reverse:
        return about(subject, f"The original of {short(source_title)}, {what_they_did(opinion)}")
    words = RELATION_WORDS.get(relation.kind)
    said = f"{words or 'Related to'} {short(source_title)}, {what_they_did(opinion)}"
    # "Aliens is a sequel to …", but "… is related to …".
    return about(subject, f"A {said[0].lower()}{said[1:]}" if subject and words else said)


def collaborative_reason(source_title: str, opinion, *, subject: str = "") -> str:
    """ "People who loved Heat loved this"; of a `subject`, "people who loved Heat loved
    The Godfather Part III", a clause."""
    loved = short(subject) if subject else "this"
    if opinion.liked:
        said = f"People who loved {short(source_title)} loved {loved}"
    else:
        said = f"People who watched {short(source_title)} to the end loved {loved}"
    return f"p{said[1:]}" if subject else said


def series_reason(clause: str, later_title: str, *, first: bool) -> str:
    """A film offered in the place of a later one of its series, and why that one was:
    "The first of its series; people who loved Heat loved The Godfather Part III"."""
    lead = "The first of its series" if first else "Next in a series you have started"
    if not clause:  # the later film was only one they had not seen yet
        return fitted(f"{lead}, before {short(later_title)}")
    return fitted(f"{lead}; {clause}")


def standing(features) -> str:
    """What everyone's ratings say of the film, only as far as they say it."""
    if features.popular and features.well_rated:
        return "Popular and well rated"
    if features.well_rated:
        return "Well rated"
    return "Popular" if features.popular else ""


def in_genre(features, genre: str, which: str) -> str:
    """ "Well rated in Drama, a genre you like"; "In Drama, …" when it is neither."""
    said = standing(features)
    return f"{said} in {genre}, {which}" if said else f"In {genre}, {which}"


def popular_reason(candidate, affinity: dict[str, float], *, subject: str = "") -> str:
    """Of a `subject`, a clause naming it, or "" where there is nothing to say of it."""
    features = candidate.features
    favourite = max(
        features.genres, key=lambda genre: (affinity.get(genre, 0), genre), default=None
    )
    if favourite is not None and affinity.get(favourite, 0) > 0:
        return about(subject, in_genre(features, favourite, "a genre you like"))
    if subject:
        return about(subject, standing(features))
    return standing(features) or NOTHING_TO_SAY


NOTHING_TO_SAY = "A film you have not seen yet"


def watchlist_reason(added, signal: str, *, zone=None) -> str:
    """ "On your watchlist since 3 May 2026; people who loved Heat loved this": the
    person's own wish, then the `signal` that speaks for the film too, if one does. The
    date is in the person's `zone` (None: the site's), never the active one: a slate
    logged by `manage.py recommend` is shown on their page as it was written."""
    day = timezone.localtime(added, zone or timezone.get_default_timezone())
    lead = f"On your watchlist since {dateformat.format(day, 'j F Y')}"
    if not signal or signal == NOTHING_TO_SAY:
        return lead
    return fitted(f"{lead}; {signal[0].lower()}{signal[1:]}")


STARTED = "You started this and did not finish it"


def started_reason(signal: str) -> str:
    """ "You started this and did not finish it; people who loved Heat loved this": a film
    the person stopped part way, offered again, then the `signal` that speaks for it."""
    if not signal or signal == NOTHING_TO_SAY:
        return STARTED
    return fitted(f"{STARTED}; {signal[0].lower()}{signal[1:]}")


def wildcard_reason(
    features, genre: str, *, tried: bool, liked: bool, other_picks: int, signal: str = ""
) -> str:
    """What the wildcard's genre is to the person: one they have not tried, one outside
    their usual genres, or, when it is a genre they like, one that the `other_picks`
    (how many of tonight's other picks lack it) lack. The wildcard is outside their
    three usual genres but may be of a fourth they like, even of the film its reason
    cites as loved: "Something different (Science Fiction): people who loved Alien loved
    this" read as a contradiction. `signal`: the reason the person's taste gave it
    (collaborative or relationship)."""
    if not tried:
        which = "a genre you have not tried"
    elif liked and other_picks:
        which = "unlike tonight's other pick" + ("s" if other_picks > 1 else "")
    else:
        which = "outside your usual genres"
    if signal:
        return fitted(f"In {genre}, {which}: {signal[0].lower()}{signal[1:]}")
    return in_genre(features, genre, which)
