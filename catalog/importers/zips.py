"""A member of an uploaded zip that cannot be read, told in words, for every reader of
zips (the admin's MovieLens upload, the export import, the Letterboxd import).

An archive whose directory reads may still hold members that do not: damaged data, or a
member that is password-protected or compressed by a method Python lacks (WinZip's AES
is method 99). zipfile raises a different exception for each, none of them BadZipFile.
"""

import zipfile
import zlib

# RuntimeError: a password is required (zipfile's own choice of exception for it), or an
# unknown compression method (NotImplementedError, which is a RuntimeError).
UNREADABLE_MEMBER = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError)


def why_unreadable(exc: BaseException) -> str:
    """Why a member that raised one of UNREADABLE_MEMBER cannot be read, in words."""
    if isinstance(exc, NotImplementedError):  # first: it is a RuntimeError too
        return "it is compressed by a method this import cannot read"
    if isinstance(exc, RuntimeError):
        return "it is password-protected"
    return f"it is damaged ({exc})"
