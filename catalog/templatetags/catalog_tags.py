"""Presentation of catalog numbers: scores are stored on 0-1 and shown on 0-10."""

from django import template

register = template.Library()


@register.filter
def out_of_ten(score):
    """0.78 -> "7.8 / 10"; nothing to show when there is no score."""
    if score is None or score == "":
        return "No ratings yet"
    try:
        return f"{float(score) * 10:.1f} / 10"
    except (TypeError, ValueError):
        return ""


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
