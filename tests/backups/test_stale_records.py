"""A `.metadata` record whose backup was deleted by hand is stale: a new backup of that
name replaces it. Saved beside it under another name (the storage's way on a collision),
the new record would never be read, and the stale checksum would condemn a good backup."""

import hashlib
import json

from tests.backups.conftest import written_backup


def records(site) -> list[str]:
    return sorted(path.name for path in site.backups.glob("*.metadata"))


def recorded_sha256(site, name: str) -> str:
    return json.loads((site.backups / f"{name}.metadata").read_text())["sha256"]


def sha256_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_backup_replaces_the_record_of_a_deleted_one(site):
    name = "before-upgrade" + (".sqlite3" if site.engine == "sqlite" else ".psql.bin")
    site.manage("dbbackup", "-o", name)
    (site.backups / name).unlink()  # the record stays behind
    wanted = site.mutate()  # the new backup's checksum differs from the stale one

    assert written_backup(site.manage("dbbackup", "-o", name).stdout) == name

    assert records(site) == [f"{name}.metadata"]
    assert recorded_sha256(site, name) == sha256_of(site.backups / name)
    site.manage("verify_backup", name)
    site.manage("dbrestore", "--noinput", "-i", name)
    assert site.snapshot() == wanted


def test_a_media_backup_replaces_the_record_of_a_deleted_one(sqlite_site):
    site = sqlite_site
    site.media.mkdir()
    (site.media / "poster.jpg").write_bytes(b"first")
    site.manage("mediabackup", "-o", "media.tar")
    (site.backups / "media.tar").unlink()
    (site.media / "poster.jpg").write_bytes(b"second")

    site.manage("mediabackup", "-o", "media.tar")

    assert records(site) == ["media.tar.metadata"]
    assert recorded_sha256(site, "media.tar") == sha256_of(site.backups / "media.tar")
    (site.media / "poster.jpg").unlink()
    site.manage("mediarestore", "--noinput", "-i", "media.tar")
    assert (site.media / "poster.jpg").read_bytes() == b"second"
