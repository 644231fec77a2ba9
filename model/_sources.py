"""Reading log inputs as streams of byte chunks, whatever their container.

A source is the log text itself (str), its bytes, a path to a file (plain, .gz, or the
whole-run logs .zip GitHub serves), or a binary stream. Containers are recognised by their
magic bytes, not their names. Every member is read in chunks of a few MB, so memory stays
bounded whatever the size.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import BinaryIO, Final, Protocol

CHUNK_SIZE: Final[int] = 4 * 1024 * 1024
_GZIP_MAGIC: Final[bytes] = b"\x1f\x8b"
_ZIP_MAGIC: Final[bytes] = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC: Final[bytes] = b"PK\x05\x06"


@dataclass(frozen=True, slots=True)
class LogText:
    """A log's text already encoded as UTF-8 (what a str log is read as): read as it is, never
    opened as a .gz or .zip image as raw bytes would be. Spares encoding a str that arrived
    as bytes anyway (the log of a JSON request body)."""

    data: bytes


LogInput = bytes | str | LogText | os.PathLike[str] | BinaryIO


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class LogReadError(Exception):
    """A log cannot be read: missing file, permission denied, corrupt container."""


@dataclass(frozen=True)
class LogMember:
    """One log inside a source: `name` is the zip member name, None for a single log."""

    name: str | None
    chunks: Iterator[bytes]


def _read_chunks(stream: _Readable, chunk_size: int, first: bytes = b"") -> Iterator[bytes]:
    if first:
        yield first
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            return
        yield chunk


def _is_zip(head: bytes) -> bool:
    return head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP_MAGIC)


def _job_members(archive: zipfile.ZipFile) -> list[str]:
    """Members worth reading: top-level job logs, and step logs of jobs that have none.

    GitHub's run archive holds `N_job name.txt` (the whole job) and `job name/M_step.txt`
    (the same lines again, per step); reading both would report every line twice.
    """
    names = [i.filename for i in archive.infolist() if not i.is_dir()]
    top_level = [n for n in names if "/" not in n.strip("/")]
    jobs = {n.rsplit(".", 1)[0].split("_", 1)[-1] for n in top_level}
    jobs |= {n.rsplit(".", 1)[0] for n in top_level}
    selected = list(top_level)
    for name in names:
        folder = name.split("/", 1)[0]
        if "/" in name.strip("/") and folder not in jobs:
            selected.append(name)
    return sorted(selected, key=names.index)


def _zip_members(stream: BinaryIO, label: str, chunk_size: int) -> Iterator[LogMember]:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LogReadError(f"{label}: not a readable zip archive ({exc})") from exc
    with archive:
        for name in _job_members(archive):
            try:
                with archive.open(name) as member:
                    yield from _single_members(member, name, chunk_size)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise LogReadError(f"{label}: cannot read member {name!r} ({exc})") from exc


def _single_members(stream: _Readable, name: str | None, chunk_size: int) -> Iterator[LogMember]:
    head = stream.read(chunk_size)
    label = name or "<stream>"
    if head.startswith(_GZIP_MAGIC):
        raw = io.BufferedReader(_Prepended(head, stream))
        gz = gzip.GzipFile(fileobj=raw, mode="rb")
        yield LogMember(name, _guarded(_read_chunks(gz, chunk_size), label))
        return
    yield LogMember(name, _read_chunks(stream, chunk_size, head))


def _guarded(chunks: Iterator[bytes], label: str) -> Iterator[bytes]:
    """Turn decompression errors in the middle of a stream into LogReadError."""
    try:
        yield from chunks
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise LogReadError(f"{label}: corrupt compressed data ({exc})") from exc


class _Prepended(io.RawIOBase):
    """A read-only stream that replays already-consumed bytes before the rest of a stream."""

    def __init__(self, head: bytes, rest: _Readable) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _stream_members(stream: BinaryIO, label: str, chunk_size: int) -> Iterator[LogMember]:
    head = stream.read(chunk_size)
    if not _is_zip(head):
        rest = io.BufferedReader(_Prepended(head, stream)) if head.startswith(_GZIP_MAGIC) else None
        if rest is not None:
            yield from _single_members(rest, None, chunk_size)
        else:
            yield LogMember(None, _read_chunks(stream, chunk_size, head))
        return
    # zipfile needs to seek; a non-seekable stream is spooled to a temporary file first.
    with ExitStack() as stack:
        seekable: BinaryIO
        if stream.seekable():
            stream.seek(-len(head), os.SEEK_CUR)
            seekable = stream
        else:
            spool = stack.enter_context(tempfile.TemporaryFile())
            spool.write(head)
            shutil.copyfileobj(stream, spool, chunk_size)
            spool.seek(0)
            seekable = spool
        yield from _zip_members(seekable, label, chunk_size)


def read_sources(source: LogInput, *, chunk_size: int = CHUNK_SIZE) -> Iterator[LogMember]:
    """Yield every log in `source` as a `LogMember` whose chunks are read lazily.

    A str (or a `LogText`) is the log text itself; bytes are the raw log (or a .gz/.zip image);
    a path-like is a file to open; anything else is a binary stream. Raises LogReadError for a
    file that cannot be opened or a corrupt container. Consume each member's chunks before
    asking for the next.
    """
    if isinstance(source, str | LogText):
        data = (
            source.data if isinstance(source, LogText) else source.encode("utf-8", "surrogatepass")
        )
        yield LogMember(None, iter([data]) if data else iter(()))
        return
    if isinstance(source, bytes | bytearray | memoryview):
        yield from _stream_members(io.BytesIO(bytes(source)), "<bytes>", chunk_size)
        return
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed by the with block below
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise LogReadError(f"cannot read log file {path!r}: {reason}") from exc
        with handle:
            if os.path.isdir(path):
                raise LogReadError(f"cannot read log file {path!r}: is a directory")
            yield from _stream_members(handle, path, chunk_size)
        return
    yield from _stream_members(source, "<stream>", chunk_size)
