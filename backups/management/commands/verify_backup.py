"""`manage.py verify_backup FILE`: restore a backup somewhere harmless and report what it holds."""

from backups.commands import BackupCommand
from backups.files import Kind
from backups.verify import backup_verify

ROW = "{table:<48} {rows:>12}  {checksum}"


class Command(BackupCommand):
    help = (
        "Check a backup (a name in the backup storage, or a file path) by restoring it into "
        "a scratch database; print each table's row count and checksum. The live database "
        "is not touched."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("backup", help="Backup name in the storage, or a file path.")

    def handle(self, **options):
        report = backup_verify(target=options["backup"])
        # A report piped into `head` ends quietly once head has what it wants: the
        # backup was verified by then, whatever the reader kept of the report.
        with self.until_the_reader_leaves():
            self.write_report(report)

    def write_report(self, report) -> None:
        compressed = ", gzip-compressed" if report.was_compressed else ""
        media = report.kind is Kind.TAR
        self.say(f"{report.label}: {report.kind.value}{compressed}, restores cleanly.")
        self.say(
            ROW.format(
                table="File" if media else "Table",
                rows="Bytes" if media else "Rows",
                checksum="SHA-256" if media else "Checksum (SHA-256 of the rows)",
            )
        )
        for table in report.tables:
            self.stdout.write(
                ROW.format(table=table.table, rows=table.rows, checksum=table.checksum)
            )
        total = sum(table.rows for table in report.tables)
        unit = "bytes in" if media else "rows in"
        what = "files" if media else "tables"
        self.say(f"{total} {unit} {len(report.tables)} {what}.")
        for note in report.notes:
            self.say(f"Note: {note}")
