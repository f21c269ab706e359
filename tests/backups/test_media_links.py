"""Symbolic links in the media folder: followed as the application follows them (a folder
linked from a bigger disk is backed up and restored through the link), never round a loop,
and never turned into plain files by a restore."""

import tarfile
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def media(settings, tmp_path, backup_storage_dir):
    folder = tmp_path / "site" / "media"
    folder.mkdir(parents=True)
    settings.MEDIA_ROOT = str(folder)
    return folder


def test_links_are_followed_once_and_never_back_up_the_folder(media, tmp_path, backup_storage_dir):
    outside = tmp_path / "big-disk" / "posters"
    outside.mkdir(parents=True)
    (outside / "alien.jpg").write_bytes(b"poster")
    (media / "own.jpg").write_bytes(b"own")
    (media / "posters").symlink_to(outside)  # a folder kept on another disk
    (media / "same-posters").symlink_to(media / "posters")  # one folder twice: once
    (media / "loop").symlink_to("..")  # the site folder: database and backups
    (media / "self").symlink_to(".")
    (tmp_path / "site" / "live.sqlite3").write_bytes(b"not for the media backup")

    name = call_command_output("mediabackup").split(" to ")[1].strip()

    with tarfile.open(backup_storage_dir / name) as tar:
        names = sorted(tar.getnames())
    assert names == ["own.jpg", "posters/alien.jpg"]


def test_a_restore_writes_through_a_link_and_keeps_it(media, tmp_path):
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(b"as backed up")
    (media / "cover.jpg").symlink_to(outside)
    name = call_command_output("mediabackup").split(" to ")[1].strip()
    outside.write_bytes(b"changed since")

    call_command("mediarestore", "--noinput", "--replace", "-i", name, stdout=StringIO())

    assert (media / "cover.jpg").is_symlink()
    assert outside.read_bytes() == b"as backed up"


def call_command_output(*arguments) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()
