"""`manage.py move_to_postgres URL`: copy the SQLite database into an empty PostgreSQL one."""

from backups.commands import BackupCommand
from backups.move import database_move_to_postgres

ROW = "{table:<48} {rows:>12}  {checksum}"


class Command(BackupCommand):
    help = (
        "Move every row (users included) from the SQLite database to an empty PostgreSQL "
        "database, then prove every table arrived unchanged. Stop the application first."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("url", help="The target, e.g. postgres://user:password@host/marquee")

    def handle(self, **options):
        report = database_move_to_postgres(target_url=options["url"])
        self.say(ROW.format(table="Table", rows="Rows", checksum="Checksum, same on both sides"))
        for table in report.tables:
            self.say(ROW.format(table=table.table, rows=table.rows, checksum=table.checksum))
        total = sum(table.rows for table in report.tables)
        self.say(
            f"Moved {total} rows in {len(report.tables)} tables to {report.target}; every "
            "table's row count and checksum match the SQLite database."
        )
        self.say("Next: set DATABASE_URL to the new database and start Marquee again.")
