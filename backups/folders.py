"""The folders the settings name for backups and uploads, refused in one line when a file
is in the way.

A MARQUEE_BACKUP_DIR that named a file, or a folder under one, reached the operator as
the storage's "[Errno 20] Not a directory" or "[Errno 17] File exists", naming no setting.
"""

from pathlib import Path

from backups.errors import BackupError


def refuse_file_in_the_way(setting: str, folder: Path) -> None:
    """Refuse `folder` (named by `setting`) if it is a file or lies under one. A folder
    that does not exist yet is fine: the first backup (or upload) creates it."""
    for path in (folder, *folder.parents):
        if path.is_dir():
            return
        if path.exists():
            where = "is a file" if path == folder else f"is under {path}, which is a file"
            raise BackupError(f"{setting} must name a folder Marquee can create: {folder} {where}.")
