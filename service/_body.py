"""Reading a request body safely: size-capped while streaming, gzip inflated under the same cap."""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Final, Literal

from starlette.requests import ClientDisconnect, Request

from service._errors import ApiError

BodyKind = Literal["json", "text", "bytes"]

ACCEPTED_TYPES: Final[dict[str, BodyKind]] = {
    "application/json": "json",
    "text/plain": "text",
    "application/octet-stream": "bytes",
}
GZIP_ENCODINGS: Final = frozenset({"gzip", "x-gzip"})
_GZIP_MAGIC: Final = b"\x1f\x8b"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06")
# How many gzip layers a body may carry (Content-Encoding plus a .gz file, say).
MAX_GZIP_LAYERS: Final = 3
MAX_ZIP_MEMBERS: Final = 1000


def _too_large(limit: int, what: str) -> ApiError:
    return ApiError(413, "payload_too_large", f"{what} is larger than the limit of {limit} bytes")


def body_kind(request: Request) -> BodyKind:
    """Which of the accepted media types the request declares; 415 for any other."""
    raw = request.headers.get("content-type", "")
    media = raw.split(";", 1)[0].strip().lower()
    if media.endswith("+json"):
        media = "application/json"
    kind = ACCEPTED_TYPES.get(media)
    if kind is None:
        accepted = ", ".join(ACCEPTED_TYPES)
        shown = media or "none"
        raise ApiError(
            415, "unsupported_media_type", f"content type {shown!r} is not accepted; use {accepted}"
        )
    return kind


def is_gzipped(request: Request) -> bool:
    """True for ``Content-Encoding: gzip``; 415 for an encoding other than gzip or identity."""
    raw = request.headers.get("content-encoding", "").strip().lower()
    codings = [c.strip() for c in raw.split(",") if c.strip() and c.strip() != "identity"]
    if not codings:
        return False
    if len(codings) == 1 and codings[0] in GZIP_ENCODINGS:
        return True
    raise ApiError(
        415, "unsupported_encoding", f"content encoding {raw!r} is not accepted; use gzip"
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing with 413 as soon as it passes ``limit`` bytes.

    A declared ``Content-Length`` above the limit is refused before reading anything; otherwise
    the count is kept while the chunks arrive, so an unbounded body is never buffered.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _too_large(limit, "the request body")
    chunks: list[bytes] = []
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _too_large(limit, "the request body")
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, "client_disconnected", "the client closed the request") from None
    return b"".join(chunks)


def gunzip(data: bytes, limit: int) -> bytes:
    """Inflate a gzip body (one or several members) into at most ``limit`` bytes.

    Output is produced in bounded steps (``max_length``), so a gzip bomb is stopped with 413 after
    ``limit`` bytes instead of being inflated in full.
    """
    out: list[bytes] = []
    total = 0
    rest = data
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip wrapper only
        pending = rest
        try:
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, limit - total + 1)
                total += len(piece)
                if total > limit:
                    raise _too_large(limit, "the decompressed body")
                out.append(piece)
                pending = inflater.unconsumed_tail
        except zlib.error as exc:
            raise ApiError(400, "invalid_gzip", f"the body is not valid gzip: {exc}") from None
        if not inflater.eof:
            raise ApiError(400, "invalid_gzip", "the gzip body is truncated")
        rest = inflater.unused_data
        if not rest.startswith(_GZIP_MAGIC):
            break  # no further member; trailing zero padding is tolerated like gzip(1) does
    if rest.strip(b"\x00"):
        raise ApiError(400, "invalid_gzip", "unexpected data after the gzip stream")
    return b"".join(out)


def _check_zip(data: bytes, limit: int) -> None:
    """Refuse a zip whose members would inflate past ``limit`` or hide compressed members.

    The classifier reads zip members (GitHub's run log archive) itself; each member read stops
    at its declared size, so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                raise ApiError(413, "payload_too_large", "the zip archive has too many members")
            if sum(info.file_size for info in members) > limit:
                raise _too_large(limit, "the zip archive's content")
            for info in members:
                with archive.open(info) as member:
                    if member.read(2) == _GZIP_MAGIC:
                        raise ApiError(
                            415, "unsupported_archive", "compressed files inside a zip are refused"
                        )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
        RuntimeError,
    ) as exc:
        raise ApiError(400, "invalid_zip", f"the body is not a readable zip: {exc}") from None


def unwrap_log(data: bytes, limit: int) -> bytes:
    """Inflate gzip layers under the size cap and vet zip archives, before the classifier reads.

    The classifier recognises compressed containers by their magic bytes and would inflate a
    gzip bomb without limit; here every layer is inflated with the request's size cap.
    """
    for _ in range(MAX_GZIP_LAYERS):
        if not data.startswith(_GZIP_MAGIC):
            break
        data = gunzip(data, limit)
    else:
        if data.startswith(_GZIP_MAGIC):
            raise ApiError(415, "unsupported_archive", "too many nested gzip layers")
    if data.startswith(_ZIP_MAGICS):
        _check_zip(data, limit)
    return data
