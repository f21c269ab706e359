from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback and history"

    def ready(self):
        from feedback import time_zones  # noqa: F401 - connects the log-in receiver
