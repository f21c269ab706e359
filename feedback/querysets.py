"""Reads of people's media, feedback and history, with their joins built in."""

from django.db import models


class MediaQuerySet(models.QuerySet):
    pass


class UserFeedbackQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user).select_related("media", "media__movie")


class ViewingHistoryQuerySet(models.QuerySet):
    def for_user(self, user):
        return (
            self.filter(user=user)
            .select_related("media", "media__movie")
            .order_by("-started_at", "-id")
        )
