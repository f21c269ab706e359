"""Letterboxd and IMDb files are CSV decoded from their bytes, strictly: a surrogate
written as UTF-8 bytes (b"\\xed\\xa0\\x80", which strict UTF-8 refuses) cannot get into
a text there, as JSON's "\\ud800" got into the other imports; the file is refused whole."""

import pytest

from feedback.imdb import NOT_AN_EXPORT, ImdbFormatError, imdb_read
from feedback.letterboxd import LetterboxdFormatError, letterboxd_read
from tests.feedback.imdb_csvs import rated, ratings_csv
from tests.feedback.letterboxd_zips import URI, letterboxd_zip

SURROGATE_BYTES = "\ud800".encode("utf-8", "surrogatepass")


def test_a_letterboxd_file_with_a_surrogate_s_bytes_is_refused_whole():
    text = f"Date,Name,Year,Letterboxd URI\r\n2024-01-01,Alien,1979,{URI}\r\n".encode()
    data = letterboxd_zip(extra={"watched.csv": text.replace(b"Alien", SURROGATE_BYTES)})

    with pytest.raises(LetterboxdFormatError, match=r"^watched\.csv is not UTF-8 text\.$"):
        letterboxd_read(data)


def test_an_imdb_file_with_a_surrogate_s_bytes_is_refused_whole():
    data = ratings_csv(rated("tt0078748", "Alien", 1979, 9))

    with pytest.raises(ImdbFormatError) as refused:
        imdb_read([("ratings.csv", data.replace(b"Alien", SURROGATE_BYTES))])

    assert str(refused.value) == f"ratings.csv is not UTF-8 text: {NOT_AN_EXPORT}."
