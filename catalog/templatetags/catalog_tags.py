"""Presentation of catalog numbers: scores are stored on 0-1 and shown on 0-10."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from catalog.review_markup import review_html

register = template.Library()


@register.filter
def out_of_ten(score):
    """0.78 -> "7.8 / 10"; nothing to show when there is no score.

    Rounded half up, from the shortest decimal that is the stored float, as the rating
    filter counts (catalog/filters.py, DISPLAY_ROUNDING): 0.705 shows as 7.1, and "at
    least 7.1" lists it. Formatting the float itself rounds 7.05 down and 6.95 up, by the
    binary digits behind each."""
    if score is None or score == "":
        return "No ratings yet"
    try:
        return f"{tenths(score, times=10)} / 10"
    except (TypeError, ValueError):
        return ""


def tenths(number, times: int = 1) -> Decimal:
    """`number` times `times` to one decimal, half up, from the shortest decimal that is
    the float (out_of_ten says why)."""
    return (Decimal(repr(float(number))) * times).quantize(Decimal("0.1"), ROUND_HALF_UP)


@register.filter
def source_average(row):
    """A source's average (a row of RatingQuerySet.stats_by_source) on its own scale, as
    the source gives it: IMDb's 7.0 / 10 and four stars as "4.0 / 5", not brought to 0-10,
    which reads 6.7 and 7.5 for them. A source whose ratings are on several scales (one
    entered by hand, say) has no one scale to show: its average is brought to 0-10, as the
    film's is."""
    one_scale = (
        row["lowest_scale_min"] == row["highest_scale_min"]
        and row["lowest_scale_max"] == row["highest_scale_max"]
    )
    if not one_scale:
        return out_of_ten(row["average"])
    return f"{tenths(row['raw_average'])} / {float(row['highest_scale_max']):g}"


@register.filter
def thousands(count):
    """14216 -> "14,216": every count on the pages, so that two side by side read alike."""
    try:
        return f"{int(count or 0):,}"
    except (TypeError, ValueError):
        return ""


@register.filter
def vote_count(count):
    """1 -> "1 rating", 1200 -> "1,200 ratings"."""
    try:
        count = int(count or 0)
    except (TypeError, ValueError):
        count = 0
    return f"{thousands(count)} rating" + ("" if count == 1 else "s")


@register.filter
def review_markup(text):
    """A review's text with the tags Letterboxd's review box takes (catalog/review_markup.py)."""
    return review_html(text)
