"""The Backups page in the admin: list the backups, start a new one.

Backups are files, not rows, so there is no model to register: a small hook adds the
page's URL to the admin site and an entry to its index. Restores stay on the command line,
where the operator can stop the application first.
"""

from django.contrib import admin
from django.urls import path, reverse

from backups.views import BackupListView, may_use_backups

APP_LABEL = "backups"


def install(site: admin.AdminSite) -> None:
    site_urls = site.get_urls
    site_app_list = site.get_app_list

    def get_urls():
        # admin_view: staff only, CSRF-protected, never cached; the view itself then
        # refuses staff who are not superusers.
        view = site.admin_view(BackupListView.as_view(admin_site=site))
        return [path("backups/", view, name="backups_backup_list"), *site_urls()]

    def get_app_list(request, app_label=None):
        app_list = site_app_list(request, app_label)
        if (
            app_label in (None, APP_LABEL)
            and site.has_permission(request)
            and may_use_backups(request)
        ):
            url = reverse(f"{site.name}:backups_backup_list", current_app=site.name)
            app_list.append(
                {
                    "name": "Backups",
                    "app_label": APP_LABEL,
                    "app_url": url,
                    "has_module_perms": True,
                    "models": [
                        {
                            "name": "Database and media backups",
                            "object_name": "Backup",
                            "perms": {"add": False, "change": False, "delete": False, "view": True},
                            "admin_url": url,
                            "add_url": None,
                            "view_only": True,
                        }
                    ],
                }
            )
        return app_list

    site.get_urls = get_urls
    site.get_app_list = get_app_list


install(admin.site)
