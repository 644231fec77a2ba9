"""Finding the files a check names and refusing, with a clear message, those it cannot read:
missing, too large, binary, or not UTF-8 text."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Final

from autoheal.validate._results import Problem
from model.redact import redact_secrets

CHUNK: Final = 1 << 20
SNIFF: Final = 8192
MAX_MESSAGE: Final = 300


class FileRefused(Exception):
    """A file cannot be checked; ``problem`` says why and where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def bounded(text: str, limit: int = MAX_MESSAGE) -> str:
    """One line, secrets redacted, at most ``limit`` characters: messages quote data values."""
    text = redact_secrets(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def expand(root: Path, patterns: list[str]) -> tuple[list[Path], list[str]]:
    """The regular files matching any pattern (sorted, each once) and the patterns matching none.

    Files reached through a symbolic link that leaves the repository are skipped.
    """
    found: dict[str, Path] = {}
    unmatched: list[str] = []
    resolved_root = root.resolve()
    for pattern in patterns:
        hits = 0
        for path in root.glob(pattern):
            if not path.is_file():
                continue
            if not path.resolve().is_relative_to(resolved_root):
                continue
            hits += 1
            found.setdefault(relative(root, path), path)
        if not hits:
            unmatched.append(pattern)
    return [found[name] for name in sorted(found)], unmatched


def check_size(path: Path, name: str, limit: int) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(Problem(f"cannot read: {exc.strerror or exc}", file=name)) from exc
    if size > limit:
        raise FileRefused(
            Problem(
                f"file is {size:,} bytes, over the limit of {limit:,} (max_file_mb); not loaded",
                file=name,
            )
        )
    return size


def check_text(path: Path, name: str, what: str) -> None:
    """Refuse binary files and text that is not UTF-8, naming the line and byte at fault.

    Reads in chunks: memory stays small whatever the file's size.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    lines_before = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                if offset == 0 and b"\x00" in chunk[:SNIFF]:
                    raise FileRefused(
                        Problem(
                            f"binary file (NUL bytes near the start), not {what} text", file=name
                        )
                    )
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk, final=False)
                except UnicodeDecodeError as exc:
                    where = max(0, exc.start - pending)
                    line = lines_before + chunk.count(b"\n", 0, where) + 1
                    raise FileRefused(
                        Problem(
                            f"not valid UTF-8: {exc.reason} at byte {offset + where}",
                            file=name,
                            line=line,
                        )
                    ) from None
                offset += len(chunk)
                lines_before += chunk.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise FileRefused(
                    Problem(
                        f"not valid UTF-8: truncated character at the end (byte {offset})",
                        file=name,
                        line=lines_before + 1,
                    )
                ) from None
    except OSError as exc:
        raise FileRefused(Problem(f"cannot read: {exc.strerror or exc}", file=name)) from exc
