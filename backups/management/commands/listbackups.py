"""`manage.py listbackups`: every backup in the storage, renamed ones included, newest first."""

from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from backups.catalogue import BackupFile, backup_files, location_of
from backups.commands import BackupCommand
from backups.storage import backup_storage, local_folder

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
        storage = backup_storage()
        backups = backup_files(
            storage,
            content_type=options["content_type"],
            compressed=options["compressed"],
        )
        with self.until_the_reader_leaves():
            self.say(ROW.format(name="Name", size="Size", modified="Modified", engine="Contents"))
            for backup in backups:
                self.stdout.write(row(backup))
        if not backups:
            # On stderr, so that `listbackups -q | ...` still reads backups alone; and said
            # at all, so that a mistyped MARQUEE_BACKUP_DIR does not pass for no backups.
            filtered = options["content_type"] is not None or options["compressed"] is not None
            self.stderr.write(nothing_listed(storage, filtered=filtered), style_func=str)


def nothing_listed(storage, *, filtered: bool) -> str:
    folder = local_folder(storage)
    if folder is not None and not folder.exists():
        return (
            f"No backups yet: there is no folder {folder} (MARQUEE_BACKUP_DIR); the first "
            "backup creates it."
        )
    which = " of that kind" if filtered else ""
    return f"No backups{which} in {location_of(storage)}."


def row(backup: BackupFile) -> str:
    contents = backup.engine + (" (safety backup)" if backup.is_safety else "")
    modified = timezone.localtime(backup.modified).strftime("%Y-%m-%d %H:%M:%S")
    return ROW.format(
        name=backup.name, size=filesizeformat(backup.size), modified=modified, engine=contents
    )
