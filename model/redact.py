"""Secret redaction: applied to every log text before it is vectorised, stored or written out.

A fitted TF-IDF vocabulary keeps every token it uses, so a secret that reached the vectoriser
could end up inside the model file; and anything written to GitHub is public to the repository's
readers. Patterns cover the common shapes; ``***`` (GitHub's own mask) is left as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Final

from model._runs import ASCII_LETTERS, DIGITS, FOLDED_LETTERS, RunAnchoredSub

try:  # the same rules in C for ASCII text; absent when the package was built without a compiler
    from model import _credact
except ImportError:  # pragma: no cover - depends on the build
    _credact = None  # type: ignore[assignment]

REDACTED: Final = "[REDACTED]"

# Credentials in URLs (scheme://user:password@host) and key=value / key: value assignments of
# secret-looking names: run in linear time by `RunAnchoredSub` (see `model._runs`), since each
# begins with a run of name characters that a plain scan would read again from every boundary.
_SECRET_WORD: Final = (
    r"password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret"
)
_URL_CREDENTIALS: Final = RunAnchoredSub(
    re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@"),
    r"\1" + REDACTED + "@",
    anchor=re.compile("://"),
    run=re.compile(r"(?i)[a-z0-9+.-]*+"),
    run_chars=ASCII_LETTERS | FOLDED_LETTERS | DIGITS | frozenset("+.-"),
    start=re.compile(r"(?i)\b[a-z]"),
)
_ASSIGNMENT: Final = RunAnchoredSub(
    # The name is the whole run of name characters from the start, holding a secret word
    # (`[A-Za-z0-9_.-]*(?:word)[A-Za-z0-9_.-]*` can only end where the run does, before `=` or
    # `:`): said so, a name with a thousand secret words is read once, not once per word.
    re.compile(
        rf"(?i)\b((?=[A-Za-z0-9_.-]*?(?:{_SECRET_WORD}))[A-Za-z0-9_.-]*+\s*[=:]\s*[\"']?)"
        r"(?!\*\*\*)(?!\[REDACTED\])[^\s\"',;&]{4,}"
    ),
    r"\1" + REDACTED,
    anchor=re.compile(rf"(?i){_SECRET_WORD}"),
    run=re.compile(r"(?i)[A-Za-z0-9_.-]*+"),
    run_chars=ASCII_LETTERS | FOLDED_LETTERS | DIGITS | frozenset("_.-"),
    start=re.compile(r"\b"),
)
_Rule = tuple[Callable[[str], tuple[str, int]], bool, tuple[str, ...]]


def _plain(pattern: re.Pattern[str], replacement: str, hints: tuple[str, ...]) -> _Rule:
    return partial(pattern.subn, replacement), bool(pattern.flags & re.IGNORECASE), hints


# Order matters: whole blocks first, then tokens with known prefixes, then generic assignments.
# Each rule is (substitution, case-insensitive, hints): the pattern can only match a text that
# contains one of its hints, so a text without any is not scanned. Hints of case-insensitive
# patterns are lowercase and are looked up in the folded text (see `fold_case`).
_RULES: Final[tuple[_Rule, ...]] = (
    _plain(
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?"
            r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
            re.DOTALL,
        ),
        REDACTED,
        ("-----BEGIN ",),
    ),
    # GitHub tokens: classic and fine-grained personal, OAuth, app installation, refresh, user.
    _plain(
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
        REDACTED,
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    # AWS access key ids and the secret that usually follows them.
    _plain(
        re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
        REDACTED,
        ("AKIA", "ASIA", "ABIA", "ACCA"),
    ),
    _plain(
        re.compile(r"(?i)(aws_secret_access_key\s*[=:]\s*[\"']?)[A-Za-z0-9/+=]{40}"),
        r"\1" + REDACTED,
        ("aws_secret_access_key",),
    ),
    # Slack, npm, PyPI, GitLab, Google API keys.
    _plain(re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), REDACTED, ("xox",)),
    _plain(re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), REDACTED, ("npm_",)),
    _plain(re.compile(r"\bpypi-[A-Za-z0-9_-]{50,}\b"), REDACTED, ("pypi-",)),
    _plain(re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"), REDACTED, ("glpat-",)),
    _plain(re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), REDACTED, ("AIza",)),
    # JSON Web Tokens: three base64url segments, the first two starting with '{"' encoded.
    _plain(
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        REDACTED,
        (".eyJ",),
    ),
    # Authorization headers (Bearer, Basic, token ...).
    _plain(
        re.compile(r"(?i)\b((?:proxy-)?authorization\s*[:=]\s*[\"']?)(?:[A-Za-z]+\s+)?[^\s\"',;]+"),
        r"\1" + REDACTED,
        ("authorization",),
    ),
    _plain(re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{12,}"), r"\1" + REDACTED, ("bearer",)),
    # Credentials in URLs: scheme://user:password@host
    (_URL_CREDENTIALS.subn, True, ("://",)),
    # key=value / key: value assignments of secret-looking names.
    (_ASSIGNMENT.subn, True, ("pass", "pwd", "secret", "token", "key")),
)

# The only non-ASCII characters that a case-insensitive pattern matches to an ASCII letter
# (checked over every code point in the tests); folding maps them to that letter.
_FOLD: Final = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold_case(text: str) -> str:
    """Lowercase ``text`` so that a case-insensitive match of a word implies the word is in it."""
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def redact_secrets(text: str) -> str:
    """Return ``text`` with credentials replaced by ``[REDACTED]``.

    ASCII text goes to `model._credact` when it is built: the same rules in C, same output."""
    if _credact is not None and text.isascii():
        redacted = _credact.redact_secrets(text)
        if redacted is not None:
            return redacted
    return _redact_secrets_python(text)


def _redact_secrets_python(text: str) -> str:
    """`redact_secrets` by the rules of `_RULES`: the reference for the C code, and its fallback."""
    folded = fold_case(text)
    for substitute, insensitive, hints in _RULES:
        haystack = folded if insensitive else text
        if any(hint in haystack for hint in hints):
            text, count = substitute(text)
            if count:
                folded = fold_case(text)
    return text
