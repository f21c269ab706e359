"""Backing up and restoring the database. Commands and the admin page call these.

A backup is checked by the engine as it is written, and its SHA-256 recorded beside it
(the storage's side of that, for media backups too, is backups/storage.py).

A restore is: find the file, check it is what it claims (the engine it is for, the
engine's consistency checks), take a safety backup of the current database (on SQLite,
while the restore writes; none of a database that holds nothing, which no restore would
accept back), then replace the database in one transaction, which commits only once the
safety backup is stored and the file's SHA-256 has been found equal to the one recorded.
Any failure before the commit changes nothing. A file whose
record says it passed the engine's checks when written, and whose bytes are still those,
is not checked through again: the checksum proves it is that file. A file without such a
record (from another tool, or a safety backup) gets the thorough checks.
"""

import json
from collections.abc import Callable
from concurrent.futures import Future, wait
from dataclasses import dataclass
from pathlib import Path
from tempfile import gettempdir

from dbbackup import settings as dbbackup_settings
from dbbackup.db.base import get_connector
from dbbackup.signals import post_backup, post_restore, pre_backup, pre_restore
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from backups.catalogue import ENGINE_LABELS, METADATA_SUFFIX, delete_backup, latest_backup
from backups.errors import BackupError, sentence
from backups.files import (
    KIND_OF_VENDOR,
    ChecksumMismatch,
    Dump,
    gzip_to,
    in_background,
    moved_into_place,
    room_named,
    sha256_of,
    work_directory,
    written_into_place,
)
from backups.migration_history import LiveContents, refuse_backup_from_newer_marquee
from backups.stopping import background_pool
from backups.storage import (
    FetchedBackup,
    backup_fetch,
    backup_name_check,
    backup_storage,
    file_mode,
    file_store,
    local_folder,
    record_checksum,
)


@dataclass(frozen=True)
class RestoreReport:
    restored: str
    safety_backup: str | None  # None: the database held nothing to save
    was_compressed: bool
    unapplied_migrations: int
    notes: list[str]


def database_connector(alias: str):
    connector = get_connector(alias)
    if not hasattr(connector, "restore_from_path"):
        engine = connections[alias].settings_dict["ENGINE"]
        raise BackupError(f"Marquee backs up SQLite and PostgreSQL databases, not {engine}.")
    return connector


def metadata_for(
    connector, path: Path, alias: str, *, sha256: str | None, checked: str | None
) -> dict:
    metadata = {
        # dbbackup's own keys, so that its tools still read our files.
        "engine": connector.connection.settings_dict["ENGINE"],
        "connector": f"{type(connector).__module__}.{type(connector).__name__}",
        "database": alias,
        "size": path.stat().st_size,
        "created": timezone.now().isoformat(),
    }
    if sha256:
        metadata["sha256"] = sha256
    if checked:
        # The engine's check this file passed when written: a restore that finds the
        # same SHA-256 need not read it through again.
        metadata["checked_when_written"] = checked
    return metadata


def dump_checked(connector, dump) -> tuple[str, str | None]:
    """(SHA-256, name of the check passed) of a fresh dump; the two run side by side."""
    if dump.checked:
        return dump.sha256 or sha256_of(dump.path), dump.checked
    with background_pool() as pool:
        digest = pool.submit(sha256_of, dump.path) if dump.sha256 is None else None
        checked = connector.check_dump(dump.path)
        return (digest.result() if digest else dump.sha256), checked


def checksum_recorded_later(storage, name: str) -> Future:
    """Hash a stored backup in a thread and add the SHA-256 to its metadata file.

    A safety backup is hashed this way while the restore copies pages, rather than
    before: the restore then waits for nothing but the copy of the database.
    """
    return in_background(record_checksum, storage, name)


def database_backup(
    *,
    alias: str = "default",
    compress: bool = False,
    servername: str | None = None,
    filename: str | None = None,
    output_path: str | None = None,
    safety: bool = False,
    taken: Dump | None = None,
) -> str:
    """Back up a database into the backup storage (or to `output_path`); return its name.

    `taken`: a copy of the database already written (a restore's safety copy, see
    `copying_while_restoring`), to store instead of dumping the database now.
    """
    connector = database_connector(alias)
    if not safety:
        # A safety backup holds whatever a restore is about to replace, an empty
        # database included; any other backup of one would only push real ones out.
        connector.check_source()
    storage = backup_storage()
    if safety:
        servername = f"{servername or dbbackup_settings.HOSTNAME}-pre-restore"
    name = filename or connector.generate_filename(servername)
    if compress and not filename:
        name += ".gz"
    backup_name_check(name, extension=connector.extension, compress=compress)
    pre_backup.send(
        sender=database_backup,
        database=connector.settings,
        connector=connector,
        servername=servername,
    )
    # With -O, written beside PATH and renamed to it once whole: a full disk or a kill
    # leaves nothing at PATH that would block the next run.
    folder = Path(output_path).parent if output_path else local_folder(storage)
    with room_named(folder or gettempdir()), work_directory(near=folder) as workdir:
        fresh = taken or connector.dump_to_path(workdir / "dump", safety=safety)
        # A safety backup copies a database that is about to be replaced, damaged or not:
        # it is not checked, so its record says nothing of checks, and restoring it later
        # checks it through. Its checksum comes with a copy taken while the restore ran,
        # or is recorded by the restore (see checksum_recorded_later).
        sha256, checked = dump_checked(connector, fresh) if not safety else (fresh.sha256, None)
        dump = fresh.path
        if compress:
            dump = gzip_to(dump, workdir / "dump.gz")
            sha256 = sha256_of(dump) if sha256 else None
        metadata = metadata_for(connector, dump, alias, sha256=sha256, checked=checked)
        dump.chmod(0o600)  # a backup holds password hashes and everyone's history
        if output_path:
            saved = file_written_to_path(dump, Path(output_path), metadata, storage=storage)
        else:
            saved = file_store(storage, dump, name, metadata)
    post_backup.send(
        sender=database_backup,
        database=connector.settings,
        connector=connector,
        servername=servername,
        filename=saved,
        storage=storage,
    )
    return saved


def file_written_to_path(dump: Path, target: Path, metadata: dict, *, storage) -> str:
    """`dbbackup -O PATH`: the backup and its record beside it, both whole or neither (a
    truncated file left at PATH would block the next run), with the backup folder's mode."""
    record = Path(f"{target}{METADATA_SUFFIX}")
    mode = file_mode(storage)
    with room_named(target.parent):
        with written_into_place(record, mode=mode, replace=True) as file:
            file.write(json.dumps(metadata).encode())
        try:
            moved_into_place(dump, target, mode=mode)
        except BaseException:
            record.unlink(missing_ok=True)
            raise
    return str(target)


def unapplied_migrations(alias: str) -> int:
    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def safety_backup(alias: str, *, copying: Future | None = None) -> str:
    """Store a backup of the database before a restore replaces it: the copy `copying`
    has made, or one taken now."""
    try:
        taken = copying.result() if copying else None
        return database_backup(alias=alias, safety=True, taken=taken)
    except (BackupError, OSError) as error:
        raise BackupError(f"No restore without a safety backup, and it failed: {error}") from error


@dataclass
class SafetyBackup:
    """A restore's safety backup: its name once stored, and the thread recording its
    checksum when it was stored before the restore began. `stored` is told the name at
    once: a restore that fails afterwards leaves the file, which must not go unnamed.

    `needed` is False for a database that holds nothing (no table at all): a backup of it
    would be a file that no restore accepts, printed as the way to undo."""

    stored: Callable[[str], None]
    name: str | None = None
    recording: Future | None = None
    needed: bool = True

    def take(self, alias: str, *, copying: Future | None = None) -> None:
        if not self.needed:
            return
        self.name = safety_backup(alias, copying=copying)
        self.stored(self.name)


def failed_restore(
    error: BackupError, backup: FetchedBackup, *, storage, safety: SafetyBackup
) -> BackupError:
    """The error a failed restore ends with, saying what became of its safety backup.

    A file that is not the one written explains any failure: its checksum's error is
    given instead, and the safety backup, which holds the database nothing has changed
    since, is removed. Otherwise the safety backup stays where its name says.
    """
    if safety.recording:
        wait([safety.recording])
    try:
        backup.checksum.verify()
    except ChecksumMismatch as mismatch:
        if not safety.name:
            return mismatch
        delete_backup(storage, safety.name)
        return ChecksumMismatch(
            f"{sentence(str(mismatch))} Nothing was changed, so the safety backup, taken "
            f"first, is removed: {safety.name}"
        )
    if not safety.name:
        return error
    return BackupError(
        f"{sentence(str(error))} The safety backup, taken first, is kept: {safety.name}"
    )


def replace_database(
    connector,
    backup: FetchedBackup,
    *,
    alias: str,
    storage,
    servername: str | None,
    safety: SafetyBackup,
) -> None:
    """Restore `backup` over the database once `safety` holds the database as it was.

    Where the engine allows it (SQLite in WAL mode), the database is copied while the
    restore writes, and stored just before the commit; otherwise it is backed up first.
    Either way the restore commits only with the safety backup stored and the file's
    checksum found equal to the one recorded; a database that holds nothing has none.
    """
    with (
        work_directory(near=local_folder(storage)) as safety_work,
        connector.copying_while_restoring(safety_work / "dump") as copying,
    ):
        if copying is None and safety.needed:
            safety.take(alias)
            safety.recording = checksum_recorded_later(storage, safety.name)

        def before_commit():
            backup.checksum.verify()
            if copying is not None:
                safety.take(alias, copying=copying)

        pre_restore.send(
            sender=database_restore,
            database=connector.settings,
            database_name=alias,
            filename=backup.label,
            servername=servername,
            storage=storage,
        )
        connections.close_all()
        # The file is hashed while it is copied; the copy commits only if it matches.
        connector.restore_from_path(backup.path, before_commit=before_commit)


def database_restore(
    *,
    alias: str = "default",
    name: str | None = None,
    path: str | None = None,
    servername: str | None = None,
    confirm: Callable[[str], bool] = lambda label: True,
    safety_stored: Callable[[str], None] = lambda name: None,
) -> RestoreReport:
    """Replace a database with a backup: the named one, the file at `path`, or the latest
    backup of this database's engine. Nothing changes unless every check passes.

    `safety_stored` is told the safety backup's name as soon as it is stored, before the
    restore commits (on PostgreSQL, before it begins). A database that holds nothing gets
    no safety backup: the report's `safety_backup` is then None."""
    connector = database_connector(alias)
    engine = ENGINE_LABELS[connector.vendor]
    connector.check_target()
    storage = backup_storage()
    if name is None and path is None:
        name = latest_backup(
            storage, content_type="db", vendor=connector.vendor, servername=servername
        ).name
    with work_directory() as workdir:
        backup = backup_fetch(workdir, storage=storage, name=name, path=path, verify_later=True)
        safety = SafetyBackup(stored=safety_stored)
        try:
            if backup.kind is not KIND_OF_VENDOR[connector.vendor]:
                raise BackupError(
                    f"{backup.label} is {backup.kind.value}, and database '{alias}' is "
                    f"{engine}: it cannot be restored here."
                )
            # Asked before the restore writes: from then on the database holds the
            # backup's tables. Another application's database is refused here.
            safety.needed = connector.live_contents() is not LiveContents.NOTHING
            notes = connector.check_file(
                backup.path, label=backup.label, thorough=not backup.checked_when_written
            )
            refuse_backup_from_newer_marquee(
                connector.recorded_migrations(backup.path), label=backup.label
            )
            if not confirm(backup.label):
                raise BackupError("Restore cancelled; nothing was changed.")
            replace_database(
                connector, backup, alias=alias, storage=storage, servername=servername,
                safety=safety,
            )  # fmt: skip
        except BackupError as error:
            failure = failed_restore(error, backup, storage=storage, safety=safety)
            if failure is error:
                raise
            raise failure from error
        if safety.recording:
            safety.recording.result()
    post_restore.send(
        sender=database_restore,
        database=connector.settings,
        database_name=alias,
        filename=backup.label,
        servername=servername,
        connector=connector,
        storage=storage,
    )
    return RestoreReport(
        restored=backup.label,
        safety_backup=safety.name,
        was_compressed=backup.was_compressed,
        unapplied_migrations=unapplied_migrations(alias),
        notes=notes,
    )
