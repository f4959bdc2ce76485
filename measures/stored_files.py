"""An import's stored file, read back from the database a piece at a time.

The file lives in ImportBatch.content so that every app server can read it; reading it through
this stream keeps one piece (1 MB) in memory, however large the file.
"""

import io

from django.db.models import BinaryField
from django.db.models.functions import Substr

PIECE_BYTES = 1 << 20


class StoredFile(io.RawIOBase):
    def __init__(self, queryset, size: int):
        """`queryset` selects the one ImportBatch; `size` is its file's length in bytes."""
        self.queryset = queryset
        self.size = size
        self.piece = b""
        self.piece_start = 0  # where in the file `piece` starts
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        offset = self.position - self.piece_start
        if not 0 <= offset < len(self.piece):
            self.piece, self.piece_start, offset = self._read_piece(self.position), self.position, 0
        count = min(len(buffer), len(self.piece) - offset)
        buffer[:count] = self.piece[offset : offset + count]
        self.position += count
        return count

    def _read_piece(self, start: int) -> bytes:
        piece = (
            self.queryset.annotate(
                piece=Substr("content", start + 1, PIECE_BYTES, output_field=BinaryField())
            )
            .values_list("piece", flat=True)
            .get()
        )
        return bytes(piece)


def open_stored(queryset, size: int) -> io.BufferedReader:
    return io.BufferedReader(StoredFile(queryset, size))
