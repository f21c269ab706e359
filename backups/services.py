"""Backing up and restoring the database. Commands and the admin page call these.

A backup is checked by the engine as it is written, and its SHA-256 recorded beside it.

A restore is: find the file, check it is what it claims (the engine it is for, the
engine's consistency checks), take a safety backup of the current database (on SQLite,
while the restore writes), then replace the database in one transaction, which commits
only once the safety backup is stored and the file's SHA-256 has been found equal to the
one recorded. Any failure before the commit changes nothing. A file whose
record says it passed the engine's checks when written, and whose bytes are still those,
is not checked through again: the checksum proves it is that file. A file without such a
record (from another tool, or a safety backup) gets the thorough checks.
"""

import json
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from dbbackup import settings as dbbackup_settings
from dbbackup.db.base import get_connector
from dbbackup.signals import post_backup, post_restore, pre_backup, pre_restore
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from backups.catalogue import (
    ENGINE_LABELS,
    METADATA_SUFFIX,
    delete_backup,
    latest_backup,
    location_of,
)
from backups.errors import BackupError
from backups.files import (
    KIND_OF_VENDOR,
    Dump,
    Kind,
    LocalFile,
    PendingChecksum,
    flushed_to_disk,
    gzip_to,
    in_background,
    kind_of,
    local_path,
    sha256_of,
    sha256_of_stream,
    unpacked,
    work_directory,
)
from backups.folders import refuse_file_in_the_way
from backups.migration_history import refuse_backup_from_newer_marquee


@dataclass(frozen=True)
class RestoreReport:
    restored: str
    safety_backup: str
    was_compressed: bool
    unapplied_migrations: int
    notes: list[str]


def backup_storage():
    """The `dbbackup` storage, read from settings now (dbbackup caches it at import)."""
    storage = storages.create_storage(settings.STORAGES["dbbackup"])
    if (folder := local_folder(storage)) is not None:
        refuse_file_in_the_way("MARQUEE_BACKUP_DIR", folder)
    return storage


def local_folder(storage) -> Path | None:
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


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
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(sha256_of, dump.path) if dump.sha256 is None else None
        checked = connector.check_dump(dump.path)
        return (digest.result() if digest else dump.sha256), checked


def checksum_recorded_later(storage, name: str) -> Future:
    """Hash a stored backup in a thread and add the SHA-256 to its metadata file.

    A safety backup is hashed this way while the restore copies pages, rather than
    before: the restore then waits for nothing but the copy of the database.
    """
    return in_background(record_checksum, storage, name)


def record_checksum(storage, name: str) -> None:
    with storage.open(name, "rb") as stored:
        sha256 = sha256_of_stream(stored)
    metadata = stored_metadata(storage, name) | {"sha256": sha256}
    storage.delete(name + METADATA_SUFFIX)  # save() would pick another name
    storage.save(name + METADATA_SUFFIX, ContentFile(json.dumps(metadata).encode()))


def file_store(storage, path: Path, name: str, metadata: dict) -> str:
    """Put a finished file in the storage under `name`, never over another backup."""
    if storage.exists(name):
        raise BackupError(f"A backup named {name} already exists in {location_of(storage)}.")
    content = LocalFile(path)
    try:
        saved = storage.save(name, content)
    finally:
        content.close()
    if storage.exists(saved + METADATA_SUFFIX):
        # The record of a backup deleted since: save() would keep it and put ours beside
        # it under another name, and the stale checksum would condemn this backup.
        storage.delete(saved + METADATA_SUFFIX)
    record = storage.save(saved + METADATA_SUFFIX, ContentFile(json.dumps(metadata).encode()))
    if (folder := local_folder(storage)) is not None:
        flushed_to_disk(folder / saved, folder / record)
    return saved


def backup_name_check(name: str, *, extension: str, compress: bool) -> None:
    """Refuse a chosen name that listbackups and --clean would not recognise as a backup."""
    suffix = f".{extension}" + (".gz" if compress else "")
    if not name.endswith(suffix) or "/" in name:
        raise BackupError(f"A backup's name must end in {suffix} (and hold no /): {name}")


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
    folder = None if output_path else local_folder(storage)
    with work_directory(near=folder) as workdir:
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
            shutil.move(dump, output_path)
            Path(output_path + METADATA_SUFFIX).write_text(json.dumps(metadata))
            saved = output_path
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


def stored_metadata(storage, name: str) -> dict:
    try:
        with storage.open(name + METADATA_SUFFIX, "rb") as file:
            metadata = json.load(file)
    except (OSError, ValueError):
        return {}
    return metadata if isinstance(metadata, dict) else {}


def local_metadata(sidecar: Path) -> dict:
    try:
        metadata = json.loads(sidecar.read_text())
    except (OSError, ValueError):
        return {}  # none, or unreadable: the file is then checked by its content alone
    return metadata if isinstance(metadata, dict) else {}


def stored_backup_exists(storage, name: str) -> bool:
    try:
        return storage.exists(name)
    except SuspiciousFileOperation:
        return False  # a path that leaves the backup folder: not a backup of ours


@dataclass(frozen=True)
class FetchedBackup:
    label: str
    path: Path  # plain (decompressed) file, ready to read
    kind: Kind
    was_compressed: bool
    checksum: PendingChecksum
    # The engine's check it passed when written, if it has a record of one.
    checked_when_written: str | None = None


def backup_fetch(
    workdir: Path,
    *,
    storage,
    name: str | None = None,
    path: str | None = None,
    verify_later: bool = False,
) -> FetchedBackup:
    """A backup from the storage (`name`) or the file system (`path`), checked against the
    checksum recorded when it was written, decompressed if it is gzip whatever its name.

    With `verify_later`, the checksum is computed in the background and the caller must
    call `checksum.verify()` before it changes anything.
    """
    if path is not None:
        source = Path(path)
        if not source.is_file():
            raise BackupError(f"There is no file at {path}.")
        label = str(source)
        metadata = local_metadata(Path(path + METADATA_SUFFIX))
    else:
        if not stored_backup_exists(storage, name):
            raise BackupError(f"There is no backup named {name} in {location_of(storage)}.")
        label = name
        source = local_path(storage, name)
        metadata = stored_metadata(storage, name)
        if source is None:
            source = workdir / "backup.stored"
            with storage.open(name, "rb") as stored, open(source, "wb") as copy:
                shutil.copyfileobj(stored, copy, 1024 * 1024)
    expected = metadata.get("sha256") if isinstance(metadata.get("sha256"), str) else None
    checksum = PendingChecksum(source, expected, label=label)
    if not verify_later:
        checksum.verify()
    # Only a record that also holds a checksum can vouch for the file's content.
    checked = metadata.get("checked_when_written") if expected else None
    kind = kind_of(source)
    if kind is not Kind.GZIP:
        return FetchedBackup(label, source, kind, False, checksum, checked)
    with open(source, "rb") as packed:
        try:
            plain, kind, _ = unpacked(packed, workdir, label=label)
        except BackupError:
            checksum.verify()  # a damaged file is the better explanation
            raise
    return FetchedBackup(label, plain, kind, True, checksum, checked)


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
    checksum when it was stored before the restore began."""

    name: str | None = None
    recording: Future | None = None


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
    checksum found equal to the one recorded.
    """
    with (
        work_directory(near=local_folder(storage)) as safety_work,
        connector.copying_while_restoring(safety_work / "dump") as copying,
    ):
        if copying is None:
            safety.name = safety_backup(alias)
            safety.recording = checksum_recorded_later(storage, safety.name)

        def before_commit():
            backup.checksum.verify()
            if copying is not None:
                safety.name = safety_backup(alias, copying=copying)

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
) -> RestoreReport:
    """Replace a database with a backup: the named one, the file at `path`, or the latest
    backup of this database's engine. Nothing changes unless every check passes."""
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
        safety = SafetyBackup()
        try:
            if backup.kind is not KIND_OF_VENDOR[connector.vendor]:
                raise BackupError(
                    f"{backup.label} is {backup.kind.value}, and database '{alias}' is "
                    f"{engine}: it cannot be restored here."
                )
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
        except BackupError:
            if safety.recording:
                wait([safety.recording])
            if not backup.checksum.matches():
                # The file is not the one written, which explains any failure; and as
                # nothing was changed, the safety backup holds nothing new.
                if safety.name:
                    delete_backup(storage, safety.name)
                backup.checksum.verify()
            raise
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
