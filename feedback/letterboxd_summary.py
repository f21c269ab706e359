"""What a Letterboxd import did (feedback/letterboxd_import.py), for the page and the
command: a count per kind, the films it could not place, the lines it refused.

An import that changed nothing is of three kinds, said apart: the same file again, whose
films Marquee had already; a file whose ratings or reviews differ from the person's in
Marquee, which kept theirs; and a file with nothing Marquee could place (films the
catalog lacks, lines refused, or none at all), which has nothing to have had."""

from dataclasses import dataclass, field


@dataclass
class LetterboxdSummary:
    """What an import did, per kind; the films it could not place; the lines it refused."""

    viewings_added: int = 0
    ratings_set: int = 0
    half_stars_rounded: int = 0
    ratings_kept: int = 0  # Marquee's rating differs, and is of Letterboxd's day or later
    watched_marked: int = 0
    finished_since: int = 0  # of those marked: their "did not finish" was older than the line
    watchlist_added: int = 0
    watchlist_watched_since: int = 0  # not added: the film was watched after its date
    watchlist_taken_off: int = 0  # taken off by a viewing or rating dated after it
    watchlist_turned_down_since: int = 0  # not added: turned down ("not interested") after
    turned_down_lifted: int = 0  # turned down before the file's date: offered again
    reviews_added: int = 0
    reviews_kept: int = 0  # the person had reviewed the film in Marquee already
    reviews_older: int = 0  # a film's lines before its latest: Marquee keeps one review
    lists_created: int = 0
    lists_added_to: int = 0  # lists the person had, given films
    lists_unchanged: int = 0  # lists the person had, with every film of the file's
    list_entries_added: int = 0
    list_entries_there: int = 0  # on the list already, or twice in the file
    already_there: int = 0
    not_found: list[str] = field(default_factory=list)  # the lines, for the page
    ambiguous: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    # The films themselves, counted once however many files and lines name them.
    films_not_found: set = field(default_factory=set)
    films_ambiguous: set = field(default_factory=set)

    def unplaced(self, film, line: str, *, found: bool) -> None:
        """A line whose film the catalog lacks, or holds more than one of (`found`)."""
        lines, films = (
            (self.ambiguous, self.films_ambiguous)
            if found
            else (self.not_found, self.films_not_found)
        )
        lines.append(line)
        films.add(film)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.viewings_added,
                self.ratings_set,
                self.watched_marked,
                self.watchlist_added,
                self.watchlist_taken_off,
                self.turned_down_lifted,
                self.reviews_added,
                self.lists_created,
                self.list_entries_added,
            )
        )

    @property
    def anything_there(self) -> bool:
        """Whether Marquee had, already or newer, something the file holds."""
        return any(
            (
                self.already_there,
                self.ratings_kept,
                self.watchlist_watched_since,
                self.reviews_kept,
                self.lists_unchanged,
                self.list_entries_there,
            )
        )

    @property
    def kept_own(self) -> bool:
        """Whether the file said otherwise than Marquee of some film, and Marquee's stayed
        (or, for a film's older reviews, it keeps the latest alone): not everything in the
        file was there."""
        return bool(
            self.ratings_kept
            or self.reviews_kept
            or self.reviews_older
            or self.watchlist_turned_down_since
        )

    def unchanged_said(self, source: str) -> str:
        """The sentence for an import that changed nothing; `source` names what was read
        ("file", "files"). The pages' heading (templates/accounts/_import_summary.html)
        says the same."""
        if self.kept_own:
            return "Nothing changed: Marquee kept what it had."
        if self.anything_there:
            return f"Nothing changed: everything in the {source} was there already."
        return "Nothing was imported."

    def lines(self) -> list[str]:
        """What happened, one line for each kind that happened, for the page and the
        command; none when the file held nothing Marquee could place or had already."""
        rounded = counted(self.half_stars_rounded, "half-star rating", "half-star ratings")
        lines = [
            counted(self.viewings_added, "viewing added", "viewings added"),
            counted(self.ratings_set, "rating set", "ratings set")
            + (f" ({rounded} rounded up)" if self.half_stars_rounded else ""),
            counted(self.ratings_kept, "rating kept", "ratings kept")
            + ": yours in Marquee is from the same day or later",
            counted(self.watched_marked, "film marked watched", "films marked watched")
            + (
                f" ({self.finished_since} you had not finished before)"
                if self.finished_since
                else ""
            ),
            counted(self.watchlist_added, "watchlist entry added", "watchlist entries added"),
            counted(self.watchlist_watched_since, "watchlist entry", "watchlist entries")
            + " left off: watched since",
            counted(self.watchlist_taken_off, "film", "films")
            + " taken off your watchlist: watched since",
            counted(self.watchlist_turned_down_since, "watchlist entry", "watchlist entries")
            + " left off: you turned the film down since",
            counted(self.turned_down_lifted, "film", "films")
            + " you had turned down suggested again: on your watchlist since",
            counted(self.reviews_added, "review added", "reviews added"),
            counted(self.reviews_kept, "review kept", "reviews kept")
            + ": you had reviewed the film in Marquee",
            counted(self.reviews_older, "older review of a film", "older reviews of films")
            + " skipped: Marquee keeps your latest review of each film",
            counted(self.lists_created, "list created", "lists created"),
            counted(self.lists_added_to, "list", "lists") + " you had given films",
            counted(self.lists_unchanged, "list", "lists") + " unchanged",
            counted(self.list_entries_added, "film", "films") + " added to lists",
            counted(self.list_entries_there, "film", "films") + " on their list already",
            f"{self.already_there} already there",
            counted(len(self.films_not_found), "film not found", "films not found"),
            counted(len(self.films_ambiguous), "film", "films")
            + " with more than one film of that title and year",
            counted(len(self.rejected), "line rejected", "lines rejected"),
        ]
        return [line for line in lines if not line.startswith("0 ")]


def counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
