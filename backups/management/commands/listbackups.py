"""`manage.py listbackups`: every backup in the storage, renamed ones included, newest first."""

from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from backups.catalogue import BackupFile, backup_files
from backups.commands import BackupCommand
from backups.services import backup_storage

ROW = "{name:<64} {size:>10}  {modified:<19}  {engine}"


class Command(BackupCommand):
    help = "List the database and media backups in the backup storage, newest first."
    quiet_help = "Leave out the header line: one backup a line."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "-c", "--content-type", choices=["db", "media"], help="Only database or media."
        )
        parser.add_argument(
            "-z", "--compressed", action="store_true", default=None, help="Only compressed."
        )
        parser.add_argument(
            "-Z",
            "--not-compressed",
            action="store_false",
            dest="compressed",
            help="Only uncompressed.",
        )

    def handle(self, **options):
        backups = backup_files(
            backup_storage(),
            content_type=options["content_type"],
            compressed=options["compressed"],
        )
        with self.until_the_reader_leaves():
            self.say(ROW.format(name="Name", size="Size", modified="Modified", engine="Contents"))
            for backup in backups:
                self.stdout.write(row(backup))


def row(backup: BackupFile) -> str:
    contents = backup.engine + (" (safety backup)" if backup.is_safety else "")
    modified = timezone.localtime(backup.modified).strftime("%Y-%m-%d %H:%M:%S")
    return ROW.format(
        name=backup.name, size=filesizeformat(backup.size), modified=modified, engine=contents
    )
