"""`manage.py dbbackup`: dbbackup's command, with the safe connectors and a cleanup that
sees every backup (renamed ones included), and failure mail that reaches ADMINS."""

from pathlib import Path

from dbbackup import settings as dbbackup_settings
from django.conf import settings
from django.db import connections
from django.template.defaultfilters import filesizeformat

from backups.commands import BackupCommand
from backups.errors import BackupError
from backups.services import database_backup
from backups.storage import backup_storage


class Command(BackupCommand):
    help = "Back up the database into the backup storage (MARQUEE_BACKUP_DIR)."
    mail_on_failure = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_backup_target_arguments(parser, kind="database")
        parser.add_argument(
            "-d", "--database", help="Database alias(es) to back up, comma-separated."
        )
        parser.add_argument("-O", "--output-path", help="Write to this local path instead.")

    def handle(self, **options):
        aliases = [
            alias.strip() for alias in (options["database"] or "").split(",") if alias.strip()
        ] or dbbackup_settings.DATABASES
        unknown = [alias for alias in aliases if alias not in connections.settings]
        if unknown:
            raise BackupError(
                f"No database called {unknown[0]!r} in DATABASES "
                f"(there is {', '.join(map(repr, connections.settings))})."
            )
        output_path = options["output_path"]
        if output_path and len(aliases) > 1:
            raise BackupError("-O writes one file: back up one database with it (-d ALIAS).")
        if output_path and Path(output_path).exists():
            raise BackupError(f"{output_path} exists: give a new path, or move that file first.")
        if output_path and not Path(output_path).parent.is_dir():
            raise BackupError(f"There is no folder {Path(output_path).parent} for {output_path}.")
        filename = self.checked_output_filename(options["output_filename"])
        storage = backup_storage()
        for alias in aliases:
            name = database_backup(
                alias=alias,
                compress=options["compress"],
                servername=options["servername"],
                filename=filename,
                output_path=output_path,
            )
            self.written.append(name)
            size = storage.size(name) if not options["output_path"] else None
            where = f" ({filesizeformat(size)})" if size is not None else ""
            self.say(f"Backed up database '{alias}' to {name}{where}")
        if options["clean"]:
            self.clean(content_type="db", keep=getattr(settings, "DBBACKUP_CLEANUP_KEEP", 10))
