"""Uploaded occurrence files waiting for the task worker, encrypted at rest.

An upload can carry names and dates of birth (Harbour's CSV and JSON formats allow them).
The web request stores it here and the worker imports it, so a large file never holds a
request open; in between it is on disk only as AES-GCM chunks under the field-encryption
key, each bound to its import and its place in the file (a chunk moved, swapped or cut off
fails to decrypt), and it is deleted once the import is over, whatever the outcome.

``StagedFile`` reads it back as the binary, seekable file ``import_occurrences`` expects.
"""

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings

from harbour.lib import crypto

CHUNK = 1024 * 1024


def directory() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_for(run_id) -> Path:
    return directory() / f"{run_id}.staged"


def _aad(run_id, index: int, last: bool) -> bytes:
    return f"occurrence-upload:{run_id}:{index}:{'last' if last else 'more'}".encode()


def store(run_id, chunks: Iterable[bytes]) -> int:
    """Write the upload for ``run_id``, re-chunked to CHUNK bytes; returns its size. The
    file is written beside its final name and renamed, so the worker never reads half."""
    target = path_for(run_id)
    partial = target.with_suffix(".partial")
    seal = crypto.encrypter()
    size = 0
    index = 0
    pending = b""
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:

        def write(data: bytes, last: bool) -> None:
            nonlocal index
            out.write(seal(data, _aad(run_id, index, last)) + "\n")
            index += 1

        for chunk in chunks:
            pending += chunk
            size += len(chunk)
            while len(pending) > CHUNK:
                write(pending[:CHUNK], last=False)
                pending = pending[CHUNK:]
        write(pending, last=True)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(target)
    return size


def discard(run_id) -> None:
    for path in (path_for(run_id), path_for(run_id).with_suffix(".partial")):
        path.unlink(missing_ok=True)


class StagedFile:
    """A staged upload, decrypted a chunk at a time: read(n), iteration by lines, seek(0)."""

    def __init__(self, run_id):
        self.run_id = run_id
        self.path = path_for(run_id)
        self._chunks: Iterator[bytes] = iter(())
        self._buffer = b""
        self.seek(0)

    def _decrypted(self) -> Iterator[bytes]:
        with open(self.path, encoding="ascii") as staged:
            # One token ahead, to know which is the last: a file cut short fails to decrypt.
            tokens = (line.strip() for line in staged)
            current = next(tokens, None)
            index = 0
            while current is not None:
                following = next(tokens, None)
                yield crypto.decrypt(current, _aad(self.run_id, index, following is None))
                current = following
                index += 1

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) != (0, 0):
            raise OSError("a staged upload can only be read again from its start")
        self._chunks = self._decrypted()
        self._buffer = b""
        return 0

    def _fill(self) -> bool:
        chunk = next(self._chunks, None)
        if chunk is None:
            return False
        self._buffer += chunk
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            if not self._fill():
                break
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def __iter__(self) -> Iterator[bytes]:
        while True:
            newline = self._buffer.find(b"\n")
            while newline < 0:
                if not self._fill():
                    if self._buffer:
                        line, self._buffer = self._buffer, b""
                        yield line
                    return
                newline = self._buffer.find(b"\n")
            line, self._buffer = self._buffer[: newline + 1], self._buffer[newline + 1 :]
            yield line
