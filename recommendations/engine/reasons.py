"""The sentence shown with each pick. It always names the signal behind the pick and, where
there is one, the film that led to it: a reason a person can check against what they did."""

from catalog.models import RelationshipType

# Log rows hold 300 characters; titles can be long.
MAX_TITLE = 120

RELATION_WORDS = {
    RelationshipType.SEQUEL: "Sequel to",
    RelationshipType.PREQUEL: "Prequel to",
    RelationshipType.REMAKE: "Remake of",
    RelationshipType.SPIN_OFF: "Spin-off of",
}


def short(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def what_they_did(opinion) -> str:
    """How the person showed they liked a film, in their own terms."""
    if opinion.stars is not None and opinion.stars >= 4:
        return f"which you rated {opinion.rated or f'{opinion.stars:g}'}"
    if opinion.again:
        return "which you would watch again"
    if opinion.rewatched:
        return "which you watched more than once"
    return "which you loved"


def relation_reason(relation, source_title: str, opinion) -> str:
    if relation.reverse:
        return f"The original of {short(source_title)}, {what_they_did(opinion)}"
    words = RELATION_WORDS.get(relation.kind, "Related to")
    return f"{words} {short(source_title)}, {what_they_did(opinion)}"


def collaborative_reason(source_title: str, opinion) -> str:
    if opinion.liked:
        return f"People who loved {short(source_title)} loved this"
    return f"People who watched {short(source_title)} to the end loved this"


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


def popular_reason(candidate, affinity: dict[str, float]) -> str:
    features = candidate.features
    favourite = max(
        features.genres, key=lambda genre: (affinity.get(genre, 0), genre), default=None
    )
    if favourite is not None and affinity.get(favourite, 0) > 0:
        return in_genre(features, favourite, "a genre you like")
    return standing(features) or "A film you have not seen yet"


def wildcard_reason(features, genre: str, *, tried: bool, signal: str = "") -> str:
    """`signal`: the reason the person's taste gave it (collaborative or relationship)."""
    if signal:
        return f"Something different ({genre}): {signal[0].lower()}{signal[1:]}"
    return in_genre(
        features, genre, "outside your usual genres" if tried else "a genre you have not tried"
    )
