"""The fast `normalize_text` and `redact_secrets` give exactly the output of the reference
implementations kept below (one full regex pass per pattern, as they were first written)."""

from __future__ import annotations

import re
import sys
from functools import cache
from typing import Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model._features import feature_text
from model._normalize import normalize_text
from model.redact import _FOLD, REDACTED, redact_secrets

# --- reference implementations ------------------------------------------------------------------
_URL: Final = re.compile(
    r"\b[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^\s/@:]+@)?([^\s/:?#'\"<>()]+)[^\s'\"<>()]*"
)
_TIMESTAMP: Final = re.compile(
    r"\b\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\b"
    r"|\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b"
)
_UUID: Final = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
_IP: Final = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\[[0-9a-fA-F:]*::[0-9a-fA-F:]*\]")
# A path: at least one separator between name characters. Windows drive paths are included.
_PATH: Final = re.compile(
    r"(?<![\w>])(?:[A-Za-z]:\\|~?/|\.{1,2}/)?(?:[\w.@+~-]+[/\\])+([\w.@+~-]*)"
    r"|(?<![\w>])(?:[A-Za-z]:\\|/)([\w.@+~-]+)(?=$|[\s:'\"),;\]])"
)
_TEMP_DIR: Final = re.compile(
    r"^(?:/tmp/|/var/folders/|/private/var/|[A-Za-z]:\\.*\\Temp\\|/home/runner/work/_temp/"
    r"|.*/AppData/Local/Temp/|/dev/shm/)",
    re.IGNORECASE,
)
_RANDOM_NAME: Final = re.compile(r"^(?:tmp|pip-|npm-|_)?[\w-]*\d[\w-]*$")
_VERSION: Final = re.compile(r"\bv?\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.-]+)?\b")
_SIZE: Final = re.compile(r"\b\d+(?:\.\d+)?\s?(?:[KMGTP]i?B|[kKMGT]b|bytes?|B)\b")
_DURATION: Final = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:ms|µs|us|ns|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b"
    r"|\(\d+:\d\d(?::\d\d)?\)"
)
_HEX: Final = re.compile(
    r"\b0x[0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\b"
)
_NUMBER: Final = re.compile(r"\d+")
_WHITESPACE: Final = re.compile(r"\s+")


def _mask_path(match: re.Match[str]) -> str:
    whole = match.group(0)
    last = match.group(1) if match.group(1) is not None else (match.group(2) or "")
    tag = "<tmp>" if _TEMP_DIR.match(whole) else "<path>"
    if not last or (tag == "<tmp>" and _RANDOM_NAME.match(last) and "." not in last):
        return tag
    return f"{tag}/{last}"


def reference_normalize_text(text: str) -> str:
    """Mask run-specific details (see the module docstring), lowercase, collapse whitespace."""
    text = _URL.sub(lambda m: f"<url:{m.group(1).lower()}>", text)
    text = _TIMESTAMP.sub("<ts>", text)
    text = _UUID.sub("<uuid>", text)
    text = _IP.sub("<ip>", text)
    text = _PATH.sub(_mask_path, text)
    text = _VERSION.sub("<ver>", text)
    text = _SIZE.sub("<size>", text)
    text = _DURATION.sub("<dur>", text)
    text = _HEX.sub("<hex>", text)
    text = _NUMBER.sub("<n>", text)
    return _WHITESPACE.sub(" ", text).strip().lower()


# Order matters: whole blocks first, then tokens with known prefixes, then generic assignments.
_SECRET_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?"
            r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
            re.DOTALL,
        ),
        REDACTED,
    ),
    # GitHub tokens: classic and fine-grained personal, OAuth, app installation, refresh, user.
    (
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
        REDACTED,
    ),
    # AWS access key ids and the secret that usually follows them.
    (re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"), REDACTED),
    (
        re.compile(r"(?i)(aws_secret_access_key\s*[=:]\s*[\"']?)[A-Za-z0-9/+=]{40}"),
        r"\1" + REDACTED,
    ),
    # Slack, npm, PyPI, GitLab, Google API keys.
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), REDACTED),
    (re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), REDACTED),
    (re.compile(r"\bpypi-[A-Za-z0-9_-]{50,}\b"), REDACTED),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"), REDACTED),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), REDACTED),
    # JSON Web Tokens: three base64url segments, the first two starting with '{"' encoded.
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), REDACTED),
    # Authorization headers (Bearer, Basic, token ...).
    (
        re.compile(r"(?i)\b((?:proxy-)?authorization\s*[:=]\s*[\"']?)(?:[A-Za-z]+\s+)?[^\s\"',;]+"),
        r"\1" + REDACTED,
    ),
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{12,}"), r"\1" + REDACTED),
    # Credentials in URLs: scheme://user:password@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@"), r"\1" + REDACTED + "@"),
    # key=value / key: value assignments of secret-looking names.
    (
        re.compile(
            r"(?i)\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key"
            r"|private[_-]?key|client[_-]?secret)[A-Za-z0-9_.-]*\s*[=:]\s*[\"']?)"
            r"(?!\*\*\*)(?!\[REDACTED\])[^\s\"',;&]{4,}"
        ),
        r"\1" + REDACTED,
    ),
)


def reference_redact_secrets(text: str) -> str:
    """Return ``text`` with credentials replaced by ``[REDACTED]``."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


# --- inputs -------------------------------------------------------------------------------------
# Fragments that exercise every pattern and every cheap pre-check: separators, digits next to
# units, hex runs, URL and credential shapes, the four non-ASCII letters that case-insensitive
# matching maps to ASCII, and the unusual whitespace characters.
FRAGMENTS = [
    *"0123456789abcdefABCDEFxyzXYZ_.-:/\\@+~<>[](),;'\"`=*#&?!",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x1c",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\u0130",
    "\u0131",
    "\u017f",
    "\u212a",
    "\u00b5",
    "\u00e9",
    "\u0663",
    "://",
    "https://",
    "git@",
    "user:pw@host",
    "/tmp/",
    "/home/runner/work/_temp/",
    "C:\\",
    "~/",
    "../",
    "0x",
    "v1.2.3",
    "10.0.0.1",
    "[::1]",
    "2026-01-02T03:04:05Z",
    "12:34:56",
    "12.5s",
    " ms",
    " MiB",
    "kB",
    "bytes",
    "(1:23)",
    "5c115507f6dd24b8",
    "123e4567-e89b-12d3-a456-",
    "ghp_",
    "gho_",
    "github_pat_",
    "AKIA",
    "ASIA",
    "aws_secret_access_key=",
    "xoxb-",
    "npm_",
    "pypi-",
    "glpat-",
    "AIza",
    "eyJ",
    ".eyJ",
    "authorization: ",
    "Proxy-Authorization=",
    "Bearer ",
    "BEARER ",
    "password=",
    "PA\u017fSWORD: ",
    "passwd:",
    "pwd=",
    "secret=",
    "api_key=",
    "ApiKey: ",
    "access-key=",
    "private_key=",
    "client_secret=",
    "TOKEN=",
    "***",
    "[REDACTED]",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "x" * 24,
    "A1b2" * 10,
    "Z" * 16,
]
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join) | st.text(max_size=200)


@cache
def corpus() -> list[str]:
    """Feature texts and raw log lines of generated logs: what the functions see in practice."""
    from datasets.generator import generate
    from model import extract_region

    out: list[str] = []
    for record in generate(150, seed=11):
        out.append(feature_text(extract_region(record.log)))
        out.extend(record.log.splitlines()[:40])
    return out


# --- tests --------------------------------------------------------------------------------------
def test_normalize_matches_reference_on_generated_logs() -> None:
    texts = corpus()
    assert len(texts) > 500
    assert [normalize_text(t) for t in texts] == [reference_normalize_text(t) for t in texts]


def test_redact_matches_reference_on_generated_logs() -> None:
    texts = corpus()
    assert [redact_secrets(t) for t in texts] == [reference_redact_secrets(t) for t in texts]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_normalize_matches_reference(text: str) -> None:
    assert normalize_text(text) == reference_normalize_text(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_redact_matches_reference(text: str) -> None:
    assert redact_secrets(text) == reference_redact_secrets(text)


@pytest.mark.parametrize(
    "text",
    [
        "PA\u017fSWORD=hunter2hunter2",  # long s: matched as "s" case-insensitively
        "\u0130NSTALLATION_TOKEN=abcdefgh1234",  # dotted capital I
        "api_\u212aey: q8Xv-k2LmN",  # Kelvin sign
        "curl -H 'Author\u0131zation: token 0123456789abcdef0123'",  # dotless i
    ],
)
def test_non_ascii_letters_in_secret_names_are_redacted_as_before(text: str) -> None:
    assert redact_secrets(text) == reference_redact_secrets(text)
    assert REDACTED in redact_secrets(text)


def test_fold_covers_every_letter_case_insensitive_matching_maps_to_ascii() -> None:
    """`_FOLD` must list every non-ASCII character that `(?i)[a-z]` matches, or a secret name
    spelled with it would skip its pre-check."""
    letter = re.compile(r"(?i)[a-z]")
    found = {chr(c) for c in range(0x80, sys.maxunicode + 1) if letter.fullmatch(chr(c))}
    assert found == {chr(c) for c in _FOLD}


def test_str_split_whitespace_is_regex_whitespace() -> None:
    """`normalize_text` collapses whitespace with `str.split`; the reference used `\\s+`."""
    space = re.compile(r"\s")
    differ = [c for c in range(sys.maxunicode + 1) if bool(space.match(chr(c))) != chr(c).isspace()]
    assert differ == []
