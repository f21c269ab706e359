"""`manage.py dbrestore`: replaces dbbackup's own (this app is installed before it).

Checks the file first (whatever its name says), takes a safety backup (unless the database
holds nothing), then restores in one transaction; see backups/services.py. Exits non-zero
with a one-line reason otherwise.
"""

from django.conf import settings
from django.core.management.base import CommandError

from backups.commands import BackupCommand, answered_yes
from backups.services import database_restore


class Command(BackupCommand):
    help = (
        "Restore the database from a backup (the latest one of this database's engine unless "
        "-i or -I names one). Stop the application first."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-d", "--database", help="Database alias to restore into.")
        self.add_restore_source_arguments(parser)

    def handle(self, **options):
        alias = options["database"]
        if not alias:
            if len(settings.DATABASES) > 1:
                raise CommandError("This project has several databases: name one with -d.")
            alias = next(iter(settings.DATABASES))
        if alias not in settings.DATABASES:
            raise CommandError(f"There is no database '{alias}'.")
        if options["input_filename"] and options["input_path"]:
            raise CommandError("Give -i (a backup in the storage) or -I (a file), not both.")

        def confirm(label):
            if not options["interactive"]:
                return True
            return answered_yes(f"Replace database '{alias}' with {label}? [y/N] ")

        report = database_restore(
            alias=alias,
            name=options["input_filename"],
            path=options["input_path"],
            servername=options["servername"],
            confirm=confirm,
            # Named once stored: a restore that fails next leaves it in the backup folder.
            safety_stored=lambda name: self.say(f"Safety backup of the database as it was: {name}"),
        )
        compressed = " (gzip, decompressed)" if report.was_compressed else ""
        self.say(f"Restored database '{alias}' from {report.restored}{compressed}")
        if report.safety_backup:
            self.say(f"To undo: manage.py dbrestore -i {report.safety_backup}")
        else:
            # Nothing to undo: an undo command here would name a file no restore accepts.
            self.say("No safety backup: the database held nothing to save.")
        for note in report.notes:
            self.say(f"Note: {note}")
        if report.unapplied_migrations:
            # Both ways a restore of an older backup is done: staying on this version,
            # or going back to the one the backup was taken with (README, Upgrading),
            # where migrate would undo the way back.
            self.say(
                f"The backup predates {report.unapplied_migrations} migration(s) of this "
                "version: run manage.py migrate before starting the application, unless you "
                "are going back to the version the backup was taken with (then check that "
                "one out instead, and do not migrate)."
            )
