"""Presentation of catalog numbers: scores are stored on 0-1 and shown on 0-10."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

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
        shown = (Decimal(repr(float(score))) * 10).quantize(Decimal("0.1"), ROUND_HALF_UP)
    except (TypeError, ValueError):
        return ""
    return f"{shown} / 10"


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
