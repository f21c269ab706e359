"""The ZIP a person brings from another service (Letterboxd's export, Trakt's or a backup
of it), opened and its files read with the same guards, refused in the same words, which
name the service: not a ZIP, damaged, a file packed again (a password, a method Python
lacks: catalog/importers/zips.py says which), or files expanding past what such an
export holds. The sizes a ZIP states can lie, so the bytes are counted as they are read:
a zip bomb stops at the limit, not at the machine's memory.
"""

import io
import zipfile

from catalog.importers.zips import UNREADABLE_MEMBER, why_unreadable

# What macOS's Compress adds beside the folder zipped: not the person's files.
MACOS_COPIES = "__MACOSX/"
DAMAGED_MESSAGE = "This ZIP is damaged and cannot be read: download the export again."


class ServiceZip:
    """A ZIP from `service`, whose files are read to `limit` bytes in all; `refused` (the
    import's format error) is raised, with one sentence, for one that cannot be read."""

    def __init__(self, data: bytes, *, service: str, limit: int, refused: type[Exception]):
        self.service, self.limit, self.left, self.refused = service, limit, limit, refused
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError):
            raise refused(
                f"This file is not a ZIP: upload the .zip {service} gave you, as it is."
            ) from None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.archive.close()

    def files(self) -> list[str]:
        """Its files' names, in the ZIP's order: not the folders' own entries, nor macOS's
        copies of their attributes (`__MACOSX/`)."""
        return [
            name
            for name in self.archive.namelist()
            if not name.endswith("/") and not name.startswith(MACOS_COPIES)
        ]

    def folder(self) -> str:
        """Where the export's files are: "" for the top, or the one folder (`name/`) that
        holds them all, the export unzipped and zipped again."""
        files = self.files()
        folders = {name.split("/", 1)[0] for name in files}
        if len(folders) == 1 and all("/" in name for name in files):
            return f"{folders.pop()}/"
        return ""

    def read(self, name: str) -> bytes:
        """The file's bytes, counted against what is left of the limit."""
        try:
            with self.archive.open(name) as member:
                raw = member.read(self.left + 1)
        except (NotImplementedError, RuntimeError) as exc:  # a password, an unknown method
            raise self.refused(
                f"{name} in this ZIP cannot be read: {why_unreadable(exc)}. Upload the export "
                f"as {self.service} gives it, not packed again."
            ) from None
        except UNREADABLE_MEMBER:
            raise self.refused(DAMAGED_MESSAGE) from None
        if len(raw) > self.left:
            raise self.refused(
                f"This ZIP's files expand to more than {self.limit // 1024**2} MB, far more "
                f"than a {self.service} export: it was not read."
            )
        self.left -= len(raw)
        return raw
