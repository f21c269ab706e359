"""Zips whose members cannot be read although the archive can: marked password-protected,
or compressed by a method Python does not read. Built from a readable zip by changing
its members' headers, the local ones and the central directory's, as such a file has them."""

import io
import struct
import zipfile

ENCRYPTED = 0x1  # bit 0 of the general purpose flags
UNKNOWN_METHOD = 99  # AES, as WinZip writes it: no method Python reads


def unreadable(data: bytes, *, encrypted: bool = False, method: int | None = None) -> bytes:
    """`data`, a zip, with every member marked encrypted, or compressed by `method`."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        members, central = archive.infolist(), archive.start_dir
    for member in members:
        mark(data, member.header_offset + 6, encrypted, method)  # flags, then method
    for _ in members:
        mark(data, central + 8, encrypted, method)
        name, extra, comment = struct.unpack_from("<HHH", data, central + 28)
        central += 46 + name + extra + comment
    return bytes(data)


def mark(data: bytearray, at: int, encrypted: bool, method: int | None) -> None:
    (flags,) = struct.unpack_from("<H", data, at)
    struct.pack_into("<H", data, at, flags | (ENCRYPTED if encrypted else 0))
    if method is not None:
        struct.pack_into("<H", data, at + 2, method)
