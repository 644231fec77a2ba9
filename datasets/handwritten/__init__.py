"""Hand-written example logs: autoheal's frozen, realistic evaluation set.

Layout: ``<root>/<label>/<slug>.log``, one example per file, the folder naming the label. The
first line of each file is a header comment, stripped on load::

    # autoheal-example: format=<format> kind=<full|excerpt> ecosystem=<ecosystem>

These logs are for evaluation; they are never part of the training data by default.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from datasets.records import DatasetError, LabelledLog
from model.taxonomy import DESCRIPTIONS

__all__ = ["ECOSYSTEMS", "FORMATS", "KINDS", "SOURCE", "load", "parse_header"]

SOURCE: Final = "handwritten"
FORMATS: Final[frozenset[str]] = frozenset(
    {"github_actions", "gitlab", "jenkins", "azure", "circleci", "plain"}
)
KINDS: Final[frozenset[str]] = frozenset({"full", "excerpt"})
ECOSYSTEMS: Final[frozenset[str]] = frozenset(
    {"python", "node", "java", "go", "rust", "cpp", "dotnet", "ruby", "docker", "shell"}
)

_HEADER = re.compile(
    r"# autoheal-example: format=(?P<format>\S+) kind=(?P<kind>\S+) ecosystem=(?P<ecosystem>\S+)"
)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DEFAULT_ROOT: Final = Path(__file__).resolve().parent


def parse_header(line: str, path: Path) -> tuple[str, str, str]:
    """Return ``(format, kind, ecosystem)`` from a header line, or raise naming ``path``."""
    match = _HEADER.fullmatch(line.rstrip("\r\n"))
    if match is None:
        raise DatasetError(path, 1, "missing or malformed '# autoheal-example:' header")
    values = (match["format"], match["kind"], match["ecosystem"])
    for name, value, allowed in zip(
        ("format", "kind", "ecosystem"), values, (FORMATS, KINDS, ECOSYSTEMS), strict=True
    ):
        if value not in allowed:
            raise DatasetError(
                path, 1, f"unknown {name} {value!r}; expected one of: {', '.join(sorted(allowed))}"
            )
    return values


def _read_example(path: Path, label: str) -> LabelledLog:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(path, None, f"not valid UTF-8 ({exc.reason})") from exc
    except OSError as exc:
        raise DatasetError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    header, newline, body = text.partition("\n")
    if not newline:
        raise DatasetError(path, None, "no log after the header line")
    fmt, kind, ecosystem = parse_header(header, path)
    if not body.strip():
        raise DatasetError(path, None, "empty log after the header line")
    slug = path.stem
    if _SLUG.fullmatch(slug) is None:
        raise DatasetError(path, None, f"file name {slug!r} is not a kebab-case slug")
    return LabelledLog(
        id=slug,
        label=label,
        source=SOURCE,
        log=body,
        family=f"{SOURCE}/{slug}",
        ecosystem=ecosystem,
        format=fmt,
        kind=kind,
    )


def load(root: Path | None = None) -> list[LabelledLog]:
    """Read every ``<label>/*.log`` under ``root`` (default: this package), sorted by path.

    Folders whose names start with ``_`` or ``.`` (caches) are skipped; any other folder must be
    a label. Raises :class:`DatasetError` naming the file for a bad header, an unknown label
    folder, a non-UTF-8 or empty body, or a slug used twice.
    """
    base = _DEFAULT_ROOT if root is None else Path(root)
    if not base.is_dir():
        raise DatasetError(base, None, "not a directory")
    records: list[LabelledLog] = []
    seen: dict[str, Path] = {}
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        if folder.name.startswith(("_", ".")):
            continue
        if folder.name not in DESCRIPTIONS:
            raise DatasetError(folder, None, f"folder {folder.name!r} is not a label")
        for path in sorted(folder.glob("*.log")):
            record = _read_example(path, folder.name)
            if record.id in seen:
                raise DatasetError(
                    path, None, f"slug {record.id!r} already used by {seen[record.id]}"
                )
            seen[record.id] = path
            records.append(record)
    return records
