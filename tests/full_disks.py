"""A disk that fills up, for the tests of what a full disk leaves behind: backups.files'
`open` replaced by one whose writes fail with ENOSPC, as a full disk's do, once a file
written through it passes a given size.

A file-size limit (RLIMIT_FSIZE) does the same to every file of the process, pytest's
own included; this fails only what Marquee writes through backups.files. Used in
pytest's process (tests/feedback/test_exports.py) and in a manage.py process of its own
(tests/backups/test_full_disk.py).
"""

import builtins
import errno
import os


class FillingFile:
    """A file open for writing that refuses, as a full disk, the write past `room` bytes."""

    def __init__(self, file, room: int):
        self.file, self.room, self.written = file, room, 0

    def write(self, data):
        if self.written + len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.written += len(data)
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.file.__exit__(*exc)


def filling_open(room: int):
    """An `open` whose files written through it fill up at `room` bytes."""

    def opened(file, mode="r", *args, **kwargs):
        handle = builtins.open(file, mode, *args, **kwargs)  # noqa: SIM115 - the caller closes it
        return FillingFile(handle, room) if "w" in mode else handle

    return opened
