"""What a Trakt import did (feedback/trakt_import.py), for the page and the command.

The IMDb import's counts in its words (Trakt rates out of 10 too), the items rejected
called items, as Trakt's files hold items, not lines, and the shows and episodes said
as Trakt names them. A watch found as the viewing of its day at another time (a
Letterboxd diary line's, at 8 pm) is already there, and said to be, as that viewing
keeps its time. The files skipped, the rest of an export, are named on one line, and a
ZIP's files that are not JSON on another. A file given twice and the items met again are
said read once, not already there: the person's account did not have them."""

from dataclasses import dataclass, field, replace

from feedback.imdb_summary import ImdbSummary
from feedback.letterboxd_summary import counted


@dataclass
class TraktSummary(ImdbSummary):
    watches_of_their_day: int = 0  # of those already there: found by the day, not the moment
    skipped: list[str] = field(default_factory=list)  # files of none of the kinds, by name
    not_json: list[str] = field(default_factory=list)  # a ZIP's files not read, by name
    given_twice: list[str] = field(default_factory=list)  # files read once, by name
    repeated: int = 0  # items read once, met again in the files

    def lines(self) -> list[str]:
        """What happened, one line for each kind that happened."""
        rejected = counted(len(self.rejected), "line rejected", "lines rejected")
        there = f"{self.already_there} already there"
        said = []
        for line in ImdbSummary.lines(replace(self, not_films=0)):
            if line == rejected:
                line = counted(len(self.rejected), "item rejected", "items rejected")
            elif line == there and self.watches_of_their_day:
                line += f" ({self.of_their_day()} logged that day at another time)"
            said.append(line)
        if self.not_films:
            one, many = "item was a show or episode", "items were shows or episodes"
            not_films = ", not a film" if self.not_films == 1 else ", not films"
            said.append(counted(self.not_films, one, many) + not_films)
        if self.given_twice:
            files = counted(len(self.given_twice), "file", "files")
            said.append(f"{files} given twice, read once: {', '.join(self.given_twice)}")
        if self.repeated:
            items = counted(self.repeated, "item", "items")
            said.append(f"{items} repeated in the files, read once")
        if self.skipped:
            files = counted(len(self.skipped), "file", "files")
            said.append(
                f"{files} skipped, not history, ratings or watchlist: {', '.join(self.skipped)}"
            )
        if self.not_json:
            files = counted(len(self.not_json), "file", "files")
            said.append(f"{files} in the ZIP not read, not JSON: {', '.join(self.not_json)}")
        return said

    def of_their_day(self) -> str:
        """The watches found by the day, said among those already there, which they are."""
        if self.watches_of_their_day == 1:
            return "1 of them a watch"
        return f"{self.watches_of_their_day} of them watches"
