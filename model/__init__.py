"""Inference: log reading, error-region extraction, normalisation and the classifier."""

from pathlib import Path

from model import _compiled

# Before the scanner's modules are imported: compiled, or their sources when the build is
# missing or older than them (see `model._compiled`).
COMPILED_SCANNER: str = _compiled.choose(Path(__file__).resolve().parent.parent)

from model._extract import Evidence, Region, extract_region  # noqa: E402
from model._logtext import LOG_FORMATS, clean_line, detect_format  # noqa: E402
from model._normalize import normalize_text  # noqa: E402
from model._sources import LogMember, LogReadError, LogText, read_sources  # noqa: E402

__all__ = [
    "LOG_FORMATS",
    "Evidence",
    "LogMember",
    "LogReadError",
    "LogText",
    "Region",
    "clean_line",
    "detect_format",
    "extract_region",
    "normalize_text",
    "read_sources",
]
