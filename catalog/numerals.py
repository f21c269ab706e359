"""A title's number in either numeral: "godfather part 2" finds The Godfather: Part II,
"rocky 4" Rocky IV, and "star wars episode iv" a Star Wars: Episode 4.

Titles are stored with the numerals they were written with; search offers each numeral of
the query its other spelling as well, matched as a whole word of a title
(catalog/search.py), so that "2" does not find Part III nor "ii" Blade Runner 2049 by it.

Which words are numbers: the Roman II to XX, of several letters each, which titles use for
sequels and parts and which hardly spell a word, and the digits 2 to 20. Not the single
letters I, V and X typed as such: they are words as often as numbers (I, Robot; V for
Vendetta; X-Men; Malcolm X), and read as 1, 5 and 10 "v for vendetta" would find every
film with a 5 in its title, ranked as its matches. A digit typed is a number, so 5 and 10
are offered as V and X too: that "5 for vendetta" also finds V for Vendetta harms no one.
Not 1 as I: to PostgreSQL's full text "i" is a stopword, left out of the titles it
indexes, so only SQLite could find it, and the two databases would disagree.
"""

UNITS = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
ROMAN = [tens + units for tens in ("", "x") for units in UNITS][1:] + ["xx"]  # i to xx
# Each numeral word and its other spelling; 1 and I are neither (above).
OTHER_SPELLING = {str(number): roman for number, roman in enumerate(ROMAN, start=1)}
OTHER_SPELLING |= {roman: digits for digits, roman in OTHER_SPELLING.items() if len(roman) > 1}
del OTHER_SPELLING["1"]


def respelt(title_words: str) -> str:
    """Folded words with each numeral in its other spelling ("part 2" is "part ii"); empty
    when none is a numeral."""
    found = title_words.split()
    other = [OTHER_SPELLING.get(word, word) for word in found]
    return " ".join(other) if other != found else ""
