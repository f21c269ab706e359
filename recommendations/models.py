"""The log of every recommendation shown: what, to whom, in which slate, and if picked."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone


class RecommendationType(models.TextChoices):
    PRIMARY = "primary", "Primary"
    BACKUP = "backup", "Backup"
    WILDCARD = "wildcard", "Wildcard"


class RecommendationLog(models.Model):
    log_id = models.BigAutoField(primary_key=True)
    media = models.ForeignKey(
        "feedback.Media",
        on_delete=models.PROTECT,
        related_name="recommendation_logs",
        db_column="media_id",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendation_logs"
    )
    recommendation_type = models.CharField(max_length=16, choices=RecommendationType.choices)
    score = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    selected = models.BooleanField(default=False, db_default=False)
    slate_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    engine_version = models.CharField(max_length=32)
    timestamp = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        verbose_name = "recommendation log entry"
        verbose_name_plural = "recommendation log"
        indexes = [
            models.Index(F("user"), F("timestamp").desc(), name="recs_log_user_newest"),
            models.Index(F("timestamp").desc(), name="recs_log_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation_type__in=RecommendationType.values),
                name="recs_log_type_valid",
                violation_error_message="The type must be primary, backup or wildcard.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="recs_log_score_range",
                violation_error_message="The score must be between 0 and 1.",
            ),
            models.UniqueConstraint(
                fields=["slate_id", "recommendation_type"],
                name="recs_log_one_per_slot",
                violation_error_message="This slate already has a pick of this type.",
            ),
            models.UniqueConstraint(
                fields=["slate_id"],
                condition=Q(selected=True),
                name="recs_log_one_selected_per_slate",
                violation_error_message="Only one pick of a slate can be chosen.",
            ),
        ]

    def __str__(self):
        return f"{self.get_recommendation_type_display()}: {self.media} for {self.user}"
