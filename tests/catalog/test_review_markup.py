"""A review's text on the pages: the tags Letterboxd's review box takes are kept, any
other `<` is text, and nothing a review holds runs or leads anywhere but http(s)."""

import pytest
from django.urls import reverse

from catalog.review_markup import review_html
from tests.factories import MovieFactory, ReviewFactory


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<i>Heat</i> and <B>Ronin</B>", "<i>Heat</i> and <b>Ronin</b>"),
        ("<em>one</em> <strong>two</strong>", "<em>one</em> <strong>two</strong>"),
        ("<blockquote>Quoted.</blockquote>Mine.", "<blockquote>Quoted.</blockquote>Mine."),
        ("Line one\r\nline two<br />three", "Line one<br>line two<br>three"),
        # Text that only looks like markup stays what the reader sees.
        ("<Heat> beats <3 films, a < b & c", "&lt;Heat&gt; beats &lt;3 films, a &lt; b &amp; c"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        # An open tag is closed within the review, not on the rest of the page.
        ("<i>never closed", "<i>never closed</i>"),
        ("</b>stray close", "stray close"),
    ],
)
def test_a_review_keeps_letterboxd_s_tags_and_shows_the_rest_as_text(text, html):
    assert review_html(text) == html


def test_a_line_break_within_a_link_s_address_is_not_made_a_br_in_it():
    """Browsers drop a line break from an address; a <br> there broke the link."""
    html = review_html('See <a href="https://letterboxd.com/film/\nheat/">Heat</a>.\nYes.')

    assert html == (
        'See <a href="https://letterboxd.com/film/\nheat/" rel="nofollow noopener noreferrer">'
        "Heat</a>.<br>Yes."
    )


def test_a_link_keeps_only_an_http_address_and_leads_off_the_site_unfollowed():
    html = review_html(
        '<a href="https://letterboxd.com/film/heat/" onclick="steal()">Heat</a> '
        '<a href="javascript:alert(1)">click</a> <a href="/admin/">admin</a> '
        '<a href="//elsewhere.example/">far</a>'
    )

    assert html == (
        '<a href="https://letterboxd.com/film/heat/" rel="nofollow noopener noreferrer">Heat</a> '
        '<a rel="nofollow noopener noreferrer">click</a> '
        '<a rel="nofollow noopener noreferrer">admin</a> '
        '<a rel="nofollow noopener noreferrer">far</a>'
    )


@pytest.mark.django_db
def test_the_film_page_shows_members_and_imported_reviews_with_their_tags(user_client, user):
    movie = MovieFactory()
    ReviewFactory(member=True, user=user, movie=movie, text="<i>Heat</i> again.\n<b>Yes.</b>")
    ReviewFactory(movie=movie, text="Better than <i>Ronin</i> <script>x()</script>")

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert "<i>Heat</i> again.<br><b>Yes.</b>" in html
    assert "Better than <i>Ronin</i> &lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>x()" not in html


@pytest.mark.django_db
def test_my_reviews_shows_the_tags_in_a_spoiler_review_too(user_client, user):
    ReviewFactory(member=True, user=user, text="<i>Heat</i> ends badly.", contains_spoilers=True)

    html = user_client.get(reverse("catalog:my_reviews")).content.decode()

    assert "<i>Heat</i> ends badly." in html
