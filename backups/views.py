"""The admin's Backups page (wired in by backups/admin.py, behind the admin's login).

Superusers only: a backup copies the whole database, users and their passwords' hashes
included, and each one started here takes a full copy's worth of disk. Model permissions
cannot express that, so a staff account without superuser status is refused (403), as
the admin refuses a model page its permissions do not cover.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import TemplateView

from backups.catalogue import backup_files, location_of
from backups.commands import EXPECTED_FAILURES
from backups.errors import BackupError, reason
from backups.mail import backup_failure_mail
from backups.services import database_backup
from backups.storage import backup_storage


def may_use_backups(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class BackupListView(TemplateView):
    template_name = "admin/backups/backup_list.html"
    http_method_names = ["get", "post"]
    admin_site = None

    def dispatch(self, request, *args, **kwargs):
        if not may_use_backups(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        backups, problem, location = [], "", ""
        try:
            storage = backup_storage()  # refuses a MARQUEE_BACKUP_DIR with a file in the way
            location = location_of(storage)
            backups = backup_files(storage)
        except (BackupError, OSError) as error:
            problem = reason(error)
        return super().get_context_data(
            **self.admin_site.each_context(self.request),
            title="Backups",
            backups=backups,
            problem=problem,
            location=location,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            name = database_backup(compress=True)
        except EXPECTED_FAILURES as error:
            backup_failure_mail(command="dbbackup (from the admin)", error=error)
            messages.error(request, f"The backup failed: {reason(error)}")
        else:
            messages.success(request, f"Backed up the database to {name}.")
        return redirect("admin:backups_backup_list")
