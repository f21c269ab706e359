"""The "I watched this" form, for pages that offer it beside other things (a film's
page, a media item's page) and whose views need not know of it."""

from django import template

from feedback.forms import WatchedForm

register = template.Library()


@register.inclusion_tag("feedback/_watched_form.html", takes_context=True)
def watched_form(context, action: str, *, button: str = "") -> dict:
    """A blank form posting to `action`, then coming back to this page."""
    return {
        "form": WatchedForm(),
        "action": action,
        "button": button,
        "next": context["request"].get_full_path(),
    }
