"""What a Letterboxd import did (feedback/letterboxd_import.py), for the page and the
command: a count per kind, the films it could not place, the lines it refused."""

from dataclasses import dataclass, field


@dataclass
class LetterboxdSummary:
    """What an import did, per kind; the films it could not place; the lines it refused."""

    viewings_added: int = 0
    ratings_set: int = 0
    half_stars_rounded: int = 0
    ratings_kept: int = 0  # Marquee's rating was newer than Letterboxd's
    watched_marked: int = 0
    watchlist_added: int = 0
    watchlist_watched_since: int = 0  # not added: the film was watched after its date
    watchlist_taken_off: int = 0  # taken off by a viewing or rating dated after it
    reviews_added: int = 0
    reviews_kept: int = 0  # the person had reviewed the film in Marquee already
    already_there: int = 0
    not_found: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.viewings_added,
                self.ratings_set,
                self.watched_marked,
                self.watchlist_added,
                self.watchlist_taken_off,
                self.reviews_added,
            )
        )

    def lines(self) -> list[str]:
        """The counts, one line each, for the page and the command."""
        rounded = f" ({self.half_stars_rounded} half-star ratings rounded up)"
        return [
            f"{self.viewings_added} viewings added",
            f"{self.ratings_set} ratings set" + (rounded if self.half_stars_rounded else ""),
            f"{self.ratings_kept} ratings kept: yours in Marquee was newer",
            f"{self.watched_marked} films marked watched",
            f"{self.watchlist_added} watchlist entries added",
            f"{self.watchlist_watched_since} watchlist entries left off: watched since",
            f"{self.watchlist_taken_off} films taken off your watchlist: watched since",
            f"{self.reviews_added} reviews added",
            f"{self.reviews_kept} reviews kept: you had reviewed the film in Marquee",
            f"{self.already_there} already there",
            f"{len(self.not_found)} films not found, {len(self.ambiguous)} with more than "
            f"one film of that title and year, {len(self.rejected)} lines rejected",
        ]
