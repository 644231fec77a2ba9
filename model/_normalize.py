"""Text normalisation for features and fingerprints.

The same failure on two runs differs in timestamps, durations, run ids, temp directories,
commit hashes, port numbers and line numbers. `normalize_text` masks those with stable
placeholders and keeps what carries meaning:

* a file path keeps its last component (`/home/runner/work/app/tests/test_api.py` becomes
  `<path>/test_api.py`): the file name and extension say which language and which test file
  failed, while the directories above it depend on the runner;
* a path under a temporary directory becomes `<tmp>/` plus that last component, unless the
  component itself looks random (then just `<tmp>`);
* a URL keeps its host (`<url:pypi.org>`): the host tells which registry or service failed;
* versions become `<ver>`, sizes `<size>`, durations `<dur>`, timestamps `<ts>`, UUIDs `<uuid>`,
  hex ids and SHAs `<hex>`, IP addresses `<ip>`, remaining numbers `<n>`.

The result is lowercased with whitespace collapsed. It is deterministic and runs in linear time
(it is only ever applied to the bounded error region).
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

from model._runs import ASCII_LETTERS, DIGITS, RunAnchoredSub

try:
    from model import _cnormalize
except ImportError:  # built without a C compiler: `_normalize_text_python` gives the same text
    _cnormalize = None  # type: ignore[assignment]

try:
    from model import _cshape
except ImportError:  # built without a C compiler: `_shape_key_python` gives the same keys
    _cshape = None  # type: ignore[assignment]

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
# Quoted values, tokens holding a path separator (from the match start to the token's end) and
# numbers: the same matches as `'[^']*'|"[^"]*"|`[^`]*`|\S*[/\\]\S*|[0-9a-fA-F]*\d[0-9a-fA-F.:]*`,
# in linear time. Written plainly, the last two alternatives are tried again from every character
# of a long token that holds no separator or no digit, each try reading the rest of the token
# (14 ms for one 1,000-character line). Here:
# * the token alternative fails without backtracking (a separator cannot match where
#   `[^\s/\\]` did), and starts only after whitespace or a quote: a position preceded by any
#   other character either follows a failed try from that character (whose token had no
#   separator, nor has its rest), or follows a number's or a token's match (after which the
#   rest of the token has no separator, or is whitespace); only a quoted value can end where a
#   token holding a separator goes on;
# * the number alternative starts where no hex digit precedes (a failed try from that hex digit
#   found no digit in its run, nor after it, so its rest holds none), or at a digit that is not
#   an ASCII hex digit (`\d` is any Unicode digit): after a number's match, the only character
#   that can start another one at once.
_SHAPE_NOISE: Final = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`|(?<![^\s'\"`])[^\s/\\]*+[/\\]\S*"
    r"|(?<![0-9a-fA-F])[0-9a-fA-F]*\d[0-9a-fA-F.:]*|(?<=[0-9a-fA-F])(?![0-9a-fA-F])\d[0-9a-fA-F.:]*"
)
# For a text without a separator the token alternative never matches: left out.
_SHAPE_NOISE_NO_PATH: Final = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`"
    r"|(?<![0-9a-fA-F])[0-9a-fA-F]*\d[0-9a-fA-F.:]*|(?<=[0-9a-fA-F])(?![0-9a-fA-F])\d[0-9a-fA-F.:]*"
)
_RULER: Final = re.compile(r"([_=\-.*#~+])\1{2,}")
_RULER_HINTS: Final = ("___", "===", "---", "...", "***", "###", "~~~", "+++")

# Hints: fast searches (they start with a literal or a character class, which the regex engine
# skips to directly) for a substring that every match of the pattern above contains. A text
# without the hint cannot match, so the slower pass is skipped; the output is the same.
_TIMESTAMP_HINT: Final = re.compile(r"\d[-:]\d")  # `dddd-dd` or `dd:dd`
_UUID_HINT: Final = re.compile(r"-[0-9a-fA-F]{4}-")
_IP_HINT: Final = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d")
_IPV6_HINT: Final = re.compile(r"\[[0-9a-fA-F:]*::")
_VERSION_HINT: Final = re.compile(r"\d\.\d")
_SIZE_HINT: Final = re.compile(r"\d\s?[KMGTPkBb]")  # the number's last digit, then the unit
_DURATION_HINT: Final = re.compile(r"\d\s?[mµunsh]")  # ms µs us ns s sec m min h hours
_CLOCK_HINT: Final = re.compile(r"\(\d")  # (1:23)
_HEX_HINT: Final = re.compile(r"[0-9a-fA-F]{7}")
# A whole whitespace-separated token that holds a path separator (see `_mask_paths`). The
# look-behind lets a match start only where a token starts: without it, a long token without a
# separator would be tried from each of its characters in turn (quadratic).
_TOKEN_WITH_SEPARATOR: Final = re.compile(r"(?<!\S)[^\s/\\]*+[/\\]\S*")


def _mask_path(match: re.Match[str]) -> str:
    whole = match.group(0)
    last = match.group(1) if match.group(1) is not None else (match.group(2) or "")
    tag = "<tmp>" if _TEMP_DIR.match(whole) else "<path>"
    if not last or (tag == "<tmp>" and _RANDOM_NAME.match(last) and "." not in last):
        return tag
    return f"{tag}/{last}"


def _mask_url(match: re.Match[str]) -> str:
    return f"<url:{match.group(1).lower()}>"


def _mask_token(match: re.Match[str]) -> str:
    return _PATH.sub(_mask_path, match.group(0))


def _mask_paths(text: str) -> str:
    """`_PATH.sub(_mask_path, text)`, applied only to the whitespace-separated tokens that hold a
    separator.

    A path match holds no whitespace and needs a `/` or `\\`; its look-behind accepts
    whitespace as well as the start of a string, and its look-ahead accepts whitespace as well as
    the end. So each token can be rewritten alone, which skips the per-character scan of the
    rest of the text. `_TOKEN_WITH_SEPARATOR` finds exactly those tokens, whole.
    """
    return _TOKEN_WITH_SEPARATOR.sub(_mask_token, text)


# `_URL.sub(_mask_url, text)` in linear time: a URL starts in the run of scheme characters
# before its `://` (see `model._runs`).
_URL_SUB: Final = RunAnchoredSub(
    _URL,
    _mask_url,
    anchor=re.compile("://"),
    run=re.compile(r"[a-zA-Z0-9+.-]*+"),
    run_chars=ASCII_LETTERS | DIGITS | frozenset("+.-"),
    start=re.compile(r"\b[a-zA-Z]"),
)


def normalize_text(text: str) -> str:
    """Mask run-specific details (see the module docstring), lowercase, collapse whitespace.

    ASCII text goes to `model._cnormalize` when it is built (the same text, each substitution
    done in one linear pass without the regex engine).
    """
    if _cnormalize is not None and text.isascii():
        normalized = _cnormalize.normalize_text(text)
        if normalized is not None:
            return normalized
    return _normalize_text_python(text)


def _normalize_text_python(text: str) -> str:
    """`normalize_text` with regular expressions: the reference, and the code for non-ASCII
    text."""
    # Each pass runs only when its cheap hint finds what every match of the pass contains.
    if "://" in text:
        text = _URL_SUB.subn(text)[0]
    if _TIMESTAMP_HINT.search(text):
        text = _TIMESTAMP.sub("<ts>", text)
    if _UUID_HINT.search(text):
        text = _UUID.sub("<uuid>", text)
    if _IP_HINT.search(text) or _IPV6_HINT.search(text):
        text = _IP.sub("<ip>", text)
    if "/" in text or "\\" in text:
        text = _mask_paths(text)
    if _VERSION_HINT.search(text):
        text = _VERSION.sub("<ver>", text)
    if _SIZE_HINT.search(text):
        text = _SIZE.sub("<size>", text)
    if _DURATION_HINT.search(text) or _CLOCK_HINT.search(text):
        text = _DURATION.sub("<dur>", text)
    if "0x" in text or _HEX_HINT.search(text):
        text = _HEX.sub("<hex>", text)
    text = _NUMBER.sub("<n>", text)
    # str.split() and the regex `\s` agree on what whitespace is (every code point checked).
    return " ".join(text.split()).lower()


def shape_key(text: str) -> str:
    """A coarser, cheaper key than `normalize_text`: drops paths, quoted values and numbers.

    Two lines with the same shape are echoes of one message about different files or symbols
    (`ENOENT ... open 'a.json'` and `ENOENT ... open 'b.json'`); evidence keeps only the first.
    ASCII text goes to `model._cshape` when it is built (the same key in one linear pass).
    """
    if _cshape is not None and text.isascii():
        key = _cshape.shape_key(text)
        if key is not None:
            return key
    return _shape_key_python(text)


def _shape_key_python(text: str) -> str:
    """`shape_key` with regular expressions: the reference, and the code for non-ASCII text."""
    if any(hint in text for hint in _RULER_HINTS):
        text = _RULER.sub(r"\1\1\1", text)
    noise = _SHAPE_NOISE if "/" in text or "\\" in text else _SHAPE_NOISE_NO_PATH
    # `" ".join(text.split())` is `re.sub(r"\s+", " ", text).strip()` (see `normalize_text`).
    return " ".join(noise.sub("#", text).split()).lower()


def fingerprint(decisive: str, step: str | None) -> str:
    """Stable 16-hex-char id of a failure: the normalised decisive line(s) and failing step."""
    material = normalize_text(decisive) + "\n" + normalize_text(step or "")
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]
