"""Django's own apps, as Marquee installs them (settings.INSTALLED_APPS)."""

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.core import checks
from django.db.models.signals import post_delete


class MarqueeAdminConfig(AdminConfig):
    # admin.site, which every app's admin.py registers with, is an instance of this.
    default_site = "config.admin_site.MarqueeAdminSite"

    def ready(self):
        super().ready()  # every app's admin.py has registered its models
        from django.contrib import admin
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from config.account_admin import AccountAdmin, SuperuserGroupAdmin
        from config.admin_lists import check_lookups_everywhere
        from config.checks import static_files_in_the_manifest
        from config.lockout import forget_failed_logins

        # auth's admin.py has registered its own by now; ours refuses case-variant names.
        User = get_user_model()
        admin.site.unregister(User)
        admin.site.register(User, AccountAdmin)
        admin.site.unregister(Group)
        admin.site.register(Group, SuperuserGroupAdmin)
        check_lookups_everywhere(admin.site)
        # Registered here rather than by a StaticFilesConfig of our own: tools look for
        # "django.contrib.staticfiles" by name in INSTALLED_APPS (pytest-django's live
        # server serves static files only then). Not tagged "staticfiles": collectstatic
        # runs those checks first, and would warn that it has not been run.
        checks.register(static_files_in_the_manifest, "marquee")
        # Accounts are auth's, whose app is not ours to ready.
        post_delete.connect(
            forget_failed_logins,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="forget_failed_logins",
        )


class MarqueeConfig(AppConfig):
    """The project's own app, for what must come before Django's: its `createsuperuser`
    (config/management) replaces auth's, which it precedes in INSTALLED_APPS."""

    name = "config"
    verbose_name = "Marquee"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models import Field

        from config.unicode_case import UnicodeIExact, install_unicode_case, on_connection_created

        Field.register_lookup(UnicodeIExact)
        connection_created.connect(on_connection_created, dispatch_uid="unicode_case")
        for connection in connections.all(initialized_only=True):
            if connection.vendor == "sqlite" and connection.connection is not None:
                install_unicode_case(connection.connection)
