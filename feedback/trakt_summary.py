"""What a Trakt import did (feedback/trakt_import.py), for the page and the command.

The IMDb import's counts in its words (Trakt rates out of 10 too), the items rejected
called items, as Trakt's files hold items, not lines, and the shows and episodes said
as Trakt names them."""

from dataclasses import dataclass, replace

from feedback.imdb_summary import ImdbSummary
from feedback.letterboxd_summary import counted


@dataclass
class TraktSummary(ImdbSummary):
    def lines(self) -> list[str]:
        """What happened, one line for each kind that happened."""
        rejected = counted(len(self.rejected), "line rejected", "lines rejected")
        said = [
            counted(len(self.rejected), "item rejected", "items rejected")
            if line == rejected
            else line
            for line in ImdbSummary.lines(replace(self, not_films=0))
        ]
        if self.not_films:
            one, many = "item was a show or episode", "items were shows or episodes"
            not_films = ", not a film" if self.not_films == 1 else ", not films"
            said.append(counted(self.not_films, one, many) + not_films)
        return said
