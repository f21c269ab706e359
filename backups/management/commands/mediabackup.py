"""`manage.py mediabackup`: every uploaded file (MEDIA_ROOT) in one tar archive."""

from django.conf import settings

from backups.commands import BackupCommand
from backups.media import media_backup


class Command(BackupCommand):
    help = "Back up the media files (MARQUEE_MEDIA_DIR) into the backup storage."
    mail_on_failure = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_backup_target_arguments(parser, kind="media")

    def handle(self, **options):
        report = media_backup(
            compress=options["compress"],
            servername=options["servername"],
            filename=self.checked_output_filename(options["output_filename"]),
        )
        self.written.append(report.name)
        if report.passed_over:
            # Even with --quiet: cron mails it, and a broken link may be an upload whose
            # disk is not mounted, which this backup does not hold.
            self.stderr.write(passed_over_warning(report.passed_over), style_func=str)
        self.say(f"Backed up {report.files} media file(s) to {report.name}")
        if options["clean"]:
            keep = getattr(settings, "DBBACKUP_CLEANUP_KEEP_MEDIA", 10)
            self.clean(content_type="media", keep=keep)


def passed_over_warning(passed_over: list[tuple[str, str]]) -> str:
    what = "entry of the media folder that is not a file"
    if len(passed_over) > 1:
        what = "entries of the media folder that are not files"
    named = ", ".join(f"{name!r} ({kind})" for name, kind in passed_over)
    return (
        f"Warning: passed over {len(passed_over)} {what}: {named}. The other files were backed up."
    )
