"""IMDb exports built in the tests, as IMDb writes them: one CSV file each for the
ratings and the watchlist, UTF-8 with a BOM, every column IMDb gives."""

import csv
import io

# Written out here, not taken from feedback.imdb: the tests hold the code to IMDb's own
# headers, the older ratings export's (no Original Title) included.
# The columns both exports give for each title, in IMDb's order.
TITLE = [
    "Title",
    "Original Title",
    "URL",
    "Title Type",
    "IMDb Rating",
    "Runtime (mins)",
    "Year",
    "Genres",
    "Num Votes",
    "Release Date",
    "Directors",
]
RATINGS = ["Const", "Your Rating", "Date Rated", *TITLE]
OLD_RATINGS = [column for column in RATINGS if column != "Original Title"]
WATCHLIST = [
    "Position",
    "Const",
    "Created",
    "Modified",
    "Description",
    *TITLE,
    "Your Rating",
    "Date Rated",
]


def imdb_csv(header: list[str], rows: list[dict[str, str]], *, bom=True) -> bytes:
    """The file: `header`, then each row's cells by column name (blank where it has none)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows([[row.get(column, "") for column in header] for row in rows])
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode()


def rated(const, title, year, stars, day="2024-01-01", kind="Movie", original=""):
    """A ratings row, the columns Marquee does not read filled as IMDb fills them."""
    return {
        "Const": const,
        "Your Rating": str(stars),
        "Date Rated": day,
        "Title": title,
        "Original Title": original or title,
        "URL": f"https://www.imdb.com/title/{const}/",
        "Title Type": kind,
        "IMDb Rating": "8.5",
        "Runtime (mins)": "117",
        "Year": str(year),
        "Genres": "Horror, Sci-Fi",
        "Num Votes": "1000000",
        "Release Date": f"{year}-05-25",
        "Directors": "Ridley Scott",
    }


def listed(
    const,
    title,
    year,
    day="2024-01-01",
    kind="Movie",
    original="",
    position=1,
    stars="",
    rated_on="",
):
    """A watchlist row; rated, as IMDb writes a listed film the person has rated, when
    given `stars` and `rated_on`."""
    return {
        "Position": str(position),
        "Const": const,
        "Created": day,
        "Modified": day,
        "Description": "",
        "Title": title,
        "Original Title": original or title,
        "URL": f"https://www.imdb.com/title/{const}/",
        "Title Type": kind,
        "IMDb Rating": "7.9",
        "Runtime (mins)": "101",
        "Year": str(year),
        "Genres": "Drama",
        "Num Votes": "12345",
        "Release Date": f"{year}-01-01",
        "Directors": "Someone",
        "Your Rating": str(stars),
        "Date Rated": rated_on,
    }


def ratings_csv(*rows, header=RATINGS, bom=True) -> bytes:
    return imdb_csv(header, list(rows), bom=bom)


def watchlist_csv(*rows, bom=True) -> bytes:
    return imdb_csv(WATCHLIST, list(rows), bom=bom)
