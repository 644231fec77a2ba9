"""Inference: log reading, error-region extraction, normalisation and the classifier."""

from model._extract import Evidence, Region, extract_region
from model._logtext import LOG_FORMATS, clean_line, detect_format
from model._normalize import normalize_text
from model._sources import LogMember, LogReadError, read_sources

__all__ = [
    "LOG_FORMATS",
    "Evidence",
    "LogMember",
    "LogReadError",
    "Region",
    "clean_line",
    "detect_format",
    "extract_region",
    "normalize_text",
    "read_sources",
]
