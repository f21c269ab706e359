"""What an IMDb import did (feedback/imdb_import.py), for the page and the command.

The Letterboxd import's counts, in its words (the same rules count them), and two said
for IMDb: its ratings are out of 10, and it skips titles that are not films. IMDb's
exports hold no viewings and no reviews, so those counts stay at nothing, unsaid."""

from dataclasses import dataclass, replace

from feedback.letterboxd_summary import LetterboxdSummary, counted


@dataclass
class ImdbSummary(LetterboxdSummary):
    not_films: int = 0  # rows skipped: a series, an episode, a game...

    def lines(self) -> list[str]:
        """What happened, one line for each kind that happened."""
        # Counted where Letterboxd's half stars are: IMDb's 7 is 3.5 stars, made 4. The
        # summary says no example: "7/10 is 4 stars" read as the person's own rating.
        said = LetterboxdSummary.lines(replace(self, half_stars_rounded=0))
        if self.half_stars_rounded:
            rated = counted(self.ratings_set, "rating set", "ratings set")
            rounded = counted(self.half_stars_rounded, "odd rating", "odd ratings")
            said = [
                f"{line} ({rounded} rounded up to the next whole star)" if line == rated else line
                for line in said
            ]
        if self.not_films:
            said.append(
                f"{self.not_films} TV series, episodes and other titles that are not films skipped"
            )
        return said
