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
        name, count = media_backup(
            compress=options["compress"],
            servername=options["servername"],
            filename=self.checked_output_filename(options["output_filename"]),
        )
        self.written.append(name)
        self.say(f"Backed up {count} media file(s) to {name}")
        if options["clean"]:
            keep = getattr(settings, "DBBACKUP_CLEANUP_KEEP_MEDIA", 10)
            self.clean(content_type="media", keep=keep)
