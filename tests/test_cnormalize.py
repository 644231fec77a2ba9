"""`model._cnormalize.normalize_text` gives exactly what the regular expressions give.

The C function handles ASCII text and returns None for any other; `normalize_text` uses it when
it is built and falls back to `_normalize_text_python`, the reference. Texts here are dense in
what the ten substitutions reason about (digits next to dots, units, separators, `://`, hex
runs, the backtracking corners of the version, size and duration patterns), fully random ASCII
with control characters, the texts of generated logs, and inputs that a naive matcher would
read quadratically.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from functools import cache
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import _normalize
from model._normalize import _normalize_text_python, fingerprint, normalize_text

try:
    from model import _cnormalize
except ImportError:  # built without a C compiler
    _cnormalize = None  # type: ignore[assignment]

needs_c = pytest.mark.skipif(
    _cnormalize is None, reason="model._cnormalize is not built (no C compiler at install time)"
)


def c_normalize(text: str) -> str | None:
    assert _cnormalize is not None
    return _cnormalize.normalize_text(text)


def test_the_extension_is_built_where_required() -> None:
    if os.environ.get("AUTOHEAL_REQUIRE_NATIVE") != "1":
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert _cnormalize is not None, "model._cnormalize did not build: is a C compiler installed?"


# --- inputs -------------------------------------------------------------------------------------
PIECES = [
    *"0123456789abcdefABCDEFvxyzTZKMGPBbimsnhu_.-+:/\\@~<>[](),;'\"`?# \t\n\r\x0b\x0c\x00",
    *"\x1c\x1d\x1e\x1f",
    "://", "https://", "git+ssh://", "user@", "user:pw@", "x.com", "a.b",
    "/tmp/", "/TMP/", "/var/folders/", "/private/var/", "/home/runner/work/_temp/", "/dev/shm/",
    "C:\\", "\\Temp\\", "/AppData/Local/Temp/", "~/", "../", "./", "tmp", "pip-", "npm-", ".py",
    "0x", "0x1f", "deadbee1", "5c115507f6dd24b8", "123e4567-e89b-12d3-a456-426614174000",
    "v1.2.3", "1.2", "1.2.", "1.2.3-", "1.2.3.4.5", "-rc.1", "+build.", "-.", "..",
    "10.0.0.1", "10.0.0.1:80", "[::1]", "[fe80::", "::", "2026-01-02", "T03:04", ":05", ".123",
    "+01:00", "-0130", "12:34:56", ",5",
    " ms", "us", "ns", "s", " sec", "secs", "second", "seconds", "min", "mins", "minute",
    "minutes", "h", "hour", "hours", "(1:23)", "(12:34:56)", "(",
    " MiB", "KiB", "kb", "Kb", "GB", "Tb", "PB", "byte", "bytes", "B",
]  # fmt: skip
dense_texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ascii_texts = st.text(alphabet=st.characters(max_codepoint=127), max_size=120)
NON_ASCII = ["\u00e9", "\u00b5s", "\u0130", "\u017f", "\u212a", "\u00a0", "\u2003", "\u0663"]


@cache
def generated_texts() -> list[str]:
    """What `normalize_text` sees in the service: the redacted feature text of each generated
    log, its decisive lines and failing step (the fingerprint's inputs), and raw log lines."""
    from datasets.generator import generate
    from model import extract_region
    from model._features import feature_text
    from model.redact import redact_secrets

    texts: list[str] = []
    for record in generate(120, seed=23):
        region = extract_region(record.log)
        texts.append(redact_secrets(feature_text(region)))
        texts.append(region.decisive)
        texts.append(region.step or "")
        texts.extend(record.log.splitlines()[:30])
    return texts


# --- equality with the reference ----------------------------------------------------------------
@needs_c
@settings(max_examples=4000, deadline=None)
@given(dense_texts)
def test_dense_texts_match_the_reference(text: str) -> None:
    assert c_normalize(text) == _normalize_text_python(text)


@needs_c
@settings(max_examples=2000, deadline=None)
@given(ascii_texts)
def test_random_ascii_matches_the_reference(text: str) -> None:
    assert c_normalize(text) == _normalize_text_python(text)


@needs_c
def test_many_seeded_dense_texts_match_the_reference() -> None:
    """More combinations than hypothesis draws in its budget, from a fixed seed."""
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(25)))
        assert c_normalize(text) == _normalize_text_python(text), text


@needs_c
def test_generated_logs_match_the_reference() -> None:
    texts = [text for text in generated_texts() if text.isascii()]
    assert len(texts) > 1000
    assert [c_normalize(t) for t in texts] == [_normalize_text_python(t) for t in texts]
    # A log's first line starts with a byte order mark: the Python code's, whole.
    assert [normalize_text(t) for t in generated_texts()] == [
        _normalize_text_python(t) for t in generated_texts()
    ]


@needs_c
def test_fingerprints_of_generated_logs_do_not_change(monkeypatch: pytest.MonkeyPatch) -> None:
    from datasets.generator import generate
    from model import extract_region

    regions = [extract_region(record.log) for record in generate(120, seed=29)]
    with_c = [fingerprint(region.decisive, region.step) for region in regions]
    monkeypatch.setattr(_normalize, "_cnormalize", None)
    without_c = [fingerprint(region.decisive, region.step) for region in regions]
    assert with_c == without_c
    assert len(set(with_c)) > 10  # distinct failures keep distinct fingerprints


@needs_c
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        (" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", ""),
        ("\x00", "\x00"),
        ("A\x1cB\x1fC", "a b c"),
        # The version's suffix and parts backtrack to the last `\b`.
        ("1.2.3- x", "<ver>- x"),
        ("1.2. x", "<ver>. x"),
        ("1.2.3.4.5", "<ip>.<n>"),  # an address first
        ("v1.2.3.4a", "<ver>.<n>a"),  # three parts have no `\b`, two have
        ("1.2.3a", "<ver>.<n>a"),
        ("v1.2-rc.1.", "<ver>."),
        # The first unit of the alternation that `\b` accepts.
        ("5 sec", "<dur>"),
        ("5 seconds", "<dur>"),
        ("5 Bytes", "<n> bytes"),
        ("5 bytes", "<size>"),
        ("5KiB", "<size>"),
        # `./x` matches as the directory `.` and the last component `x`.
        ("./x", "<path>/x"),
        ("a//b", "<path><path>/b"),
        ("C:\\Temp\\x1", "<path>/x<n>"),  # `\Temp\` must come after the drive's `\`
        ("C:\\a\\Temp\\x1", "<tmp>"),
        ("C:/x/AppData/Local/Temp/abc1", "c:<tmp>"),
        ("/TMP/abc/Data.csv", "<tmp>/data.csv"),
        ("http://user@/x", "<url:user@>"),
        ("1http://host", "<n>http:/<path>/host"),
        ("[a::]:80", "<ip>:<n>"),
        ("2026-01-02T03:04:05.123+01:00Z", "<ts>+<n>:<n>z"),  # no `\b` after the zone
        ("2026-01-02T03:04x", "<n>-<n>-<n>t<n>:<n>x"),
        ("0x1fg 0abcdef1 abcdefa", "<n>x<n>fg <hex> abcdefa"),
    ],
)
def test_corners(text: str, expected: str) -> None:
    assert _normalize_text_python(text) == expected
    assert c_normalize(text) == expected


# --- size and pathological inputs ---------------------------------------------------------------
@needs_c
def test_a_megabyte_of_log_text_matches_the_reference() -> None:
    text = "\n".join(text for text in generated_texts() if text.isascii())
    text = (text * (1_000_000 // len(text) + 1))[:1_000_000]
    assert c_normalize(text) == _normalize_text_python(text)


# Each read again and again by a matcher that retries the run from every position.
PATHOLOGICAL: list[Callable[[int], str]] = [
    lambda n: "-a" * n + ":/",  # a run of name characters in a token with a separator
    lambda n: "a." * n + "://",  # a run of scheme characters before `://` without a host
    lambda n: "[" + ":" * n,  # a bracket never closed
    lambda n: "1.1-" + "." * n + " ",  # a version suffix with no word boundary
    lambda n: "1.1-" * n,
    lambda n: "[::" * n,
    lambda n: "0x" + "a" * n + "g",
    lambda n: "2024-01-01T00:00:00." + "1" * n + "x",
    lambda n: "a://" + "?" * n + "@",
    lambda n: "./" * n,
    lambda n: "C:\\" * n,
    lambda n: "(" + "1" * n + ":2",
    lambda n: "1" * n + ".5 KiBx",
    lambda n: " \x1c\t" * n,
    lambda n: "a1" * n,  # one word with many digits (the hex pass finds words by their digits)
    lambda n: "aaaaaaaa-aaaa-aaaa-aaaa-" * n,  # a `-` where a UUID's first one would be
    lambda n: "v1" * n,
    lambda n: "x." * n + "/",
    lambda n: "/tmp/a1 " * n,
]


@needs_c
@pytest.mark.parametrize("build", PATHOLOGICAL)
def test_pathological_inputs_match_the_reference(build: Callable[[int], str]) -> None:
    text = build(1500)  # small enough for the regular expressions
    assert c_normalize(text) == _normalize_text_python(text)


@needs_c
@pytest.mark.parametrize("build", PATHOLOGICAL[:3])
def test_long_runs_that_the_reference_reads_quadratically(build: Callable[[int], str]) -> None:
    """These stay as they are (checked on a short one); the C code reads each run once, so a
    megabyte of them takes milliseconds where the regular expressions take hours."""
    assert _normalize_text_python(build(50)) == build(50)
    text = build(500_000)
    assert c_normalize(text) == text


# --- dispatch -----------------------------------------------------------------------------------
@needs_c
@pytest.mark.parametrize("piece", NON_ASCII)
def test_non_ascii_text_goes_to_the_python_code(piece: str) -> None:
    text = f"took 12.5{piece} at /tmp/{piece}x1/a.py 1.2.3 {piece}"
    assert c_normalize(text) is None
    assert normalize_text(text) == _normalize_text_python(text)


@needs_c
def test_wrong_argument_type_raises() -> None:
    assert _cnormalize is not None
    bad: Any = b"bytes"
    with pytest.raises(TypeError):
        _cnormalize.normalize_text(bad)


@needs_c
def test_normalize_text_runs_the_c_code_on_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _cnormalize is not None
    calls: list[str] = []
    original = _cnormalize.normalize_text

    def counted(text: str) -> str | None:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(_normalize, "_cnormalize", SimpleNamespace(normalize_text=counted))
    assert normalize_text("took 12.5s") == "took <dur>"
    assert normalize_text("took 12.5\u00b5s") == "took <dur>"  # not ASCII: not sent to C
    assert calls == ["took 12.5s"]


def test_without_the_extension_the_python_code_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_normalize, "_cnormalize", None)
    assert normalize_text("connect 10.0.0.12:5432 after 3 s") == "connect <ip> after <dur>"
