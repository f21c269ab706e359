"""A fresh install has no uploaded file yet: its media backup is an empty tar archive,
which holds no `ustar` magic to recognise it by (only its zero end-of-archive blocks),
and must still read back."""

import pytest

from backups.files import Kind, kind_of
from tests.backups.test_verify import reported_tables


@pytest.mark.parametrize("compress", [[], ["--compress"]], ids=["tar", "tar.gz"])
def test_a_backup_of_no_media_files_verifies_and_restores_nothing(sqlite_site, compress):
    site = sqlite_site
    assert not site.media.exists()
    backed_up = site.manage("mediabackup", *compress).stdout
    assert "Backed up 0 media file(s)" in backed_up
    name = backed_up.split(" to ")[1].strip()

    verified = site.manage("verify_backup", name)
    restored = site.manage("mediarestore", "--noinput", "-i", name)

    assert f"{name}: a tar archive" in verified.stdout
    assert reported_tables(verified.stdout) == {}
    assert "Restored 0 media file(s)" in restored.stdout
    assert not site.media.exists() or not any(site.media.iterdir())


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (bytes(10240), Kind.TAR),  # what tar writes for no file: padded to its record size
        (bytes(1024), Kind.TAR),  # the end-of-archive marker alone
        (bytes(512), Kind.UNKNOWN),  # half a marker
        (bytes(1024) + b"\x01", Kind.UNKNOWN),  # not whole blocks
        (bytes(10240) + b"data" + bytes(508), Kind.UNKNOWN),  # zeros, then something
    ],
)
def test_only_whole_blocks_of_zeros_are_taken_for_an_empty_archive(tmp_path, content, kind):
    path = tmp_path / "file"
    path.write_bytes(content)

    assert kind_of(path) is kind
