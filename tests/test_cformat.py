"""`detect_format` in C (`model._cformat`) names the same format as the re2 set of
`_FORMAT_PROBES`, for every byte string."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import _logtext
from model._logtext import (
    _FORMAT_PROBES,
    FORMAT_PROBE_BYTES,
    _detect_format_re2,
    detect_format,
)

try:
    from model import _cformat
except ImportError:  # pragma: no cover - depends on the build
    _cformat = None  # type: ignore[assignment]

needs_cformat = pytest.mark.skipif(_cformat is None, reason="model._cformat is not built")

NAMES = [name for name, _ in _FORMAT_PROBES]
BOM = b"\xef\xbb\xbf"
STAMP = b"2024-01-02T03:04:05.1234567Z "

# Every alternative of every probe, spelled out, with the probe it belongs to.
ALTERNATIVES: list[tuple[bytes, str]] = [
    (b"##[section]Starting: ", "azure"),
    (b"##[section]Finishing: ", "azure"),
    (b"##vso[", "azure"),
    (b"section_start:0:", "gitlab"),
    (b"section_start:1700000000:", "gitlab"),
    (b"Running with gitlab-runner", "gitlab"),
    (b"ERROR: Job failed", "gitlab"),
    (b"[Pipeline] ", "jenkins"),
    (b"Started by user", "jenkins"),
    (b"Started by an SCM", "jenkins"),
    (b"Started by timer", "jenkins"),
    (b"Started by upstream", "jenkins"),
    (b"Finished: ABCD", "jenkins"),
    (b"Finished: SUCCESS", "jenkins"),
    (b"#!/bin/sh -eo pipefail", "circleci"),
    (b"#!/bin/bash -eo pipefail", "circleci"),
    (b"Exited with code exit status", "circleci"),
    (b"CircleCI", "circleci"),
    (STAMP, "github_actions"),
    (BOM + STAMP, "github_actions"),
    (b"##[group]", "github_actions"),
    (b"##[endgroup]", "github_actions"),
    (b"##[error]", "github_actions"),
    (b"##[warning]", "github_actions"),
    (b"##[notice]", "github_actions"),
    (b"##[command]", "github_actions"),
]
# The alternatives that hold only at the start of a line.
LINE_START = {STAMP, BOM + STAMP}


def c_format(head: bytes) -> str:
    """The C answer; the passes without AVX2 (what other CPUs run) must give the same."""
    assert _cformat is not None
    index = _cformat.format_index(head)
    assert _cformat._format_index_without_avx2(head) == index
    return NAMES[index] if index >= 0 else "plain"


def test_every_probe_has_its_alternatives_listed() -> None:
    assert {name for _, name in ALTERNATIVES} == set(NAMES)


@pytest.mark.parametrize(("alternative", "name"), ALTERNATIVES)
def test_each_alternative_matches_alone(alternative: bytes, name: str) -> None:
    assert _detect_format_re2(alternative) == name
    assert detect_format(alternative) == name
    around = b"x " + alternative + b" y"
    if alternative in LINE_START:
        assert detect_format(around) == _detect_format_re2(around) == "plain"
        around = b"x \n" + alternative + b" y"
    assert _detect_format_re2(around) == name
    assert detect_format(around) == name


# Near misses: each is one step from an alternative, and no probe matches it.
NEAR_MISSES = [
    b"##[section]Started: ",
    b"##[section]starting: ",
    b"##vso]",
    b"section_start::",
    b"section_start:12",
    b"section_start:1x:",
    b"Running with gitlab runner",
    b"ERROR: job failed",
    b"[Pipeline]",
    b"Started by admin",
    b"Started by an scm",
    b"Finished: ABC",
    b"Finished: ABCd",
    b"Finished: \xc3\x89CHEC",
    b"#!/bin/zsh -eo pipefail",
    b"#!/bin/bash -eo pipefai",
    b"Exited with code 1",
    b"Circleci",
    b"x\r" + STAMP,
    b"\r\n" + STAMP[:-1] + b"\n",
    BOM + BOM + STAMP,
    b"\xef\xbb" + STAMP,
    b"\xff" + STAMP,
    b" " + STAMP,
    STAMP.replace(b".1234567", b".123456"),
    STAMP.replace(b".1234567", b".12345678"),
    STAMP.replace(b"T", b" "),
    b"##[group",
    b"##[groups]",
    b"##[Group]",
    b"# #[error]",
]


@pytest.mark.parametrize("head", NEAR_MISSES)
def test_near_misses_match_nothing(head: bytes) -> None:
    assert _detect_format_re2(head) == "plain"
    assert detect_format(head) == "plain"
    assert detect_format((head + b"\n") * 3) == "plain"


@needs_cformat
@pytest.mark.parametrize(("alternative", "name"), ALTERNATIVES)
def test_each_alternative_at_every_offset_and_cut_short(alternative: bytes, name: str) -> None:
    """Before, across and after a 16-byte block edge, ending at the text's end or cut short."""
    for pad in range(40):
        for prefix in (b"-" * pad, b"\n" * pad, b"Z" * pad):
            for cut in range(len(alternative) + 1):
                text = prefix + alternative[:cut]
                assert c_format(text) == _detect_format_re2(text), text
                text = prefix + alternative[:cut] + b"\xff" * (pad % 3)
                assert c_format(text) == _detect_format_re2(text), text


@pytest.mark.parametrize(("first", "first_name"), ALTERNATIVES)
def test_the_first_probe_in_order_wins_wherever_it_is(first: bytes, first_name: str) -> None:
    for second, second_name in ALTERNATIVES:
        expected = min(first_name, second_name, key=NAMES.index)
        for text in (first + b"\n" + second, second + b"\n" + first):
            assert _detect_format_re2(text) == expected
            assert detect_format(text) == expected


def _variants(alternative: bytes) -> st.SearchStrategy[bytes]:
    """The alternative whole, cut short, with one byte changed, or in another case."""
    whole = st.just(alternative)
    cut = st.integers(0, len(alternative)).map(lambda k: alternative[:k])
    tail = st.integers(0, len(alternative)).map(lambda k: alternative[k:])
    changed = st.tuples(st.integers(0, len(alternative) - 1), st.integers(0, 255)).map(
        lambda kb: alternative[: kb[0]] + bytes([kb[1]]) + alternative[kb[0] + 1 :]
    )
    cases = st.sampled_from(
        [alternative.upper(), alternative.lower(), alternative.swapcase(), alternative.title()]
    )
    return st.one_of(whole, whole, cut, tail, changed, cases)


_SEPARATORS = [
    b"\n",
    b"\r",
    b"\r\n",
    b" ",
    BOM,
    b"\xef",
    b"\xef\xbb",
    b"\xc3",
    b"\xff",
    b"\x00",
    b"\xe2\x80",
    b"\xf0\x9f\x98",
    b"#",
    b"##",
    b"[",
    b"]",
    b":",
    b"_",
]
_FRAGMENT = st.one_of(
    st.one_of(*(_variants(alternative) for alternative, _ in ALTERNATIVES)),
    st.sampled_from(_SEPARATORS),
    st.text("0123456789", min_size=1, max_size=9).map(str.encode),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6).map(str.encode),
    st.binary(max_size=6),
)
# A filler of any length first, so that the fragments fall anywhere in the 32- and 16-byte
# blocks the C code scans, and in its byte-wise tail.
_HEADS = st.tuples(st.integers(0, 70), st.lists(_FRAGMENT, max_size=12)).map(
    lambda drawn: b"." * drawn[0] + b"".join(drawn[1])
)


@needs_cformat
@settings(max_examples=4000, deadline=None)
@given(_HEADS)
def test_c_names_the_same_format_as_re2_on_probe_fragments(head: bytes) -> None:
    assert c_format(head) == _detect_format_re2(head)


@needs_cformat
@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=200))
def test_c_names_the_same_format_as_re2_on_random_bytes(head: bytes) -> None:
    assert c_format(head) == _detect_format_re2(head)


def _fixed_seed_heads(count: int) -> list[bytes]:
    """Many more long fragment mixtures than hypothesis draws, from a fixed seed."""
    import random

    rng = random.Random(20240607)
    pieces = [a for a, _ in ALTERNATIVES] + _SEPARATORS + [b"0", b"12", b"ABCD", b"x" * 13]
    heads = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randrange(1, 30)):
            piece = rng.choice(pieces)
            if rng.random() < 0.5:
                k = rng.randrange(len(piece) + 1)
                piece = piece[:k] if rng.random() < 0.5 else piece[k:]
            parts.append(piece)
        heads.append(b"".join(parts))
    return heads


@needs_cformat
def test_c_names_the_same_format_as_re2_on_many_fixed_mixtures() -> None:
    for head in _fixed_seed_heads(20000):
        assert c_format(head) == _detect_format_re2(head), head


def _generated_logs() -> list[tuple[str | None, bytes]]:
    from datasets.generator import generate

    return [(record.format, record.log.encode()) for record in generate(240, seed=11)]


def test_generated_logs_of_every_format() -> None:
    logs = _generated_logs()
    assert {fmt for fmt, _ in logs} == set(NAMES) | {"plain"}
    for _, log in logs:
        assert detect_format(log) == _detect_format_re2(log)
    # A log's format is recognised from its own framing (excerpts may lose it).
    assert sum(detect_format(log) == fmt for fmt, log in logs) > len(logs) // 2


def test_handwritten_logs() -> None:
    paths = sorted(Path(__file__).parent.parent.joinpath("datasets", "handwritten").rglob("*.log"))
    assert paths
    for path in paths:
        head = path.read_bytes()
        assert detect_format(head) == _detect_format_re2(head), path


@pytest.mark.parametrize(("alternative", "name"), ALTERNATIVES[:: len(ALTERNATIVES) // 8])
def test_only_the_first_64_kb_are_probed(alternative: bytes, name: str) -> None:
    if alternative in LINE_START:
        alternative = b"\n" + alternative
    filler = b"plain text line\n"
    body = filler * (FORMAT_PROBE_BYTES // len(filler))
    inside = body[: FORMAT_PROBE_BYTES - len(alternative)] + alternative + body
    straddling = body[: FORMAT_PROBE_BYTES - len(alternative) + 1] + alternative + body
    assert len(inside) > FORMAT_PROBE_BYTES
    for head, expected in ((inside, name), (straddling, "plain")):
        assert _detect_format_re2(head) == expected
        assert detect_format(head) == expected


@needs_cformat
def test_the_c_function_reads_any_length() -> None:
    assert c_format(b"") == _detect_format_re2(b"") == "plain"
    huge = b"no probe here \xff\n" * 70000 + b"CircleCI"
    assert c_format(huge) == "circleci"  # the C function itself has no limit
    assert c_format(b"\n" * 1_000_000) == "plain"
    assert c_format(b"section_start:" + b"7" * 1_000_000) == "plain"


@needs_cformat
def test_buffers_and_wrong_types() -> None:
    assert _cformat is not None
    assert _cformat.format_index(bytearray(b"x CircleCI")) == NAMES.index("circleci")
    assert _cformat.format_index(memoryview(b"x ##vso[")) == NAMES.index("azure")
    with pytest.raises(TypeError):
        _cformat.format_index("CircleCI")  # type: ignore[arg-type]
    # Text is not for the C function: the public one hands it to re2, as before.
    assert detect_format("CircleCI") == _detect_format_re2("CircleCI") == "circleci"  # type: ignore[arg-type]


@needs_cformat
def test_detect_format_calls_the_c_function(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _cformat is not None
    calls: list[int] = []
    original = _cformat.format_index

    def counted(head: Any) -> int:
        calls.append(len(head))
        return original(head)

    monkeypatch.setattr(_cformat, "format_index", counted)  # the module _logtext calls
    heads = [a for a, _ in ALTERNATIVES] + [b"", b"nothing", b"x" * (FORMAT_PROBE_BYTES + 5)]
    for head in heads:
        assert detect_format(head) == _detect_format_re2(head)
    assert calls == [min(len(head), FORMAT_PROBE_BYTES) for head in heads]


def test_without_the_c_module_re2_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_logtext, "_cformat", None)
    for alternative, name in ALTERNATIVES:
        assert detect_format(alternative) == name
    assert detect_format(b"just text") == "plain"


def test_the_module_is_built_where_required() -> None:
    if os.environ.get("AUTOHEAL_REQUIRE_NATIVE") != "1":
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert _cformat is not None, "model._cformat did not build: is a C compiler installed?"
