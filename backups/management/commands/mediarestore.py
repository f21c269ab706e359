"""`manage.py mediarestore`: put the files of a media backup back into MEDIA_ROOT."""

from django.core.management.base import CommandError

from backups.commands import BackupCommand, answered_yes
from backups.media import media_restore


class Command(BackupCommand):
    help = (
        "Restore media files from a backup (the latest unless -i or -I names one). Files "
        "already present are kept unless --replace; files added since are never deleted."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_restore_source_arguments(parser)
        parser.add_argument(
            "-r", "--replace", action="store_true", help="Overwrite files that already exist."
        )

    def handle(self, **options):
        if options["input_filename"] and options["input_path"]:
            raise CommandError("Give -i (a backup in the storage) or -I (a file), not both.")
        question = "Overwrite media files that already exist? [y/N] "
        if options["interactive"] and options["replace"] and not answered_yes(question):
            raise CommandError("Media restore cancelled; nothing was changed.")
        report = media_restore(
            name=options["input_filename"],
            path=options["input_path"],
            servername=options["servername"],
            replace=options["replace"],
        )
        self.say(
            f"Restored {report.written} media file(s) from {report.restored} into {report.into}"
            + (f"; kept {report.skipped} existing file(s)" if report.skipped else "")
        )
