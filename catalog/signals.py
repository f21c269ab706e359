"""A person deleted takes their ratings with them: their films' stats follow.

The ratings go by a cascade that Rating.delete() never sees (one DELETE for them all),
so the films are noted before and their stats computed again after.
"""

from django.conf import settings
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from catalog.models import Rating
from catalog.rating_stats import refresh_rating_stats


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def note_the_films_they_rated(sender, instance, **kwargs):
    instance._rated_films = set(
        Rating.objects.filter(user=instance).values_list("movie_id", flat=True)
    )


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def refresh_the_films_they_rated(sender, instance, **kwargs):
    refresh_rating_stats(getattr(instance, "_rated_films", ()))
