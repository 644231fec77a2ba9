"""The scanner's byte searches (model/_lines.py): the C extension's (`model._speedups`) give
what `bytes.count(b"\\n", lo, hi)`, `bytes.find(needle, lo, hi)` and the newline searches
built on `bytes.find` and `bytes.rfind` give, for any bytes and any integer bounds, and the
scanner calls them."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import _lines, _scan, extract_region
from model._clusters import RawContext
from model._extract import Region

try:
    from model import _speedups
except ImportError:  # pragma: no cover - depends on the build
    _speedups = None  # type: ignore[assignment]

HAS_SEARCHES = hasattr(_speedups, "count_newlines") and hasattr(_speedups, "find_bytes")
needs_searches = pytest.mark.skipif(
    not HAS_SEARCHES, reason="model._speedups is not built (no C compiler at install time)"
)

Count = Callable[[bytes, int, int], int]
Find = Callable[[bytes, bytes, int, int], int]


def _counts() -> list[Any]:
    """Every implementation of `count_newlines`: the fallback, and the C passes where built."""
    params: list[Any] = [pytest.param(_lines._count_newlines_bytes, id="bytes")]
    if HAS_SEARCHES:
        params.append(pytest.param(_speedups.count_newlines, id="c"))
        params.append(pytest.param(_speedups._count_newlines_without_avx2, id="c-without-avx2"))
    return params


def _finds() -> list[Any]:
    params: list[Any] = [pytest.param(_lines._find_bytes_bytes, id="bytes")]
    if HAS_SEARCHES:
        params.append(pytest.param(_speedups.find_bytes, id="c"))
    return params


def _newline_searches() -> list[Any]:
    """(find_newline, rfind_newline, after_newlines, before_newlines) of each implementation."""
    names = ("find_newline", "rfind_newline", "after_newlines", "before_newlines")
    params: list[Any] = [
        pytest.param(tuple(getattr(_lines, f"_{name}_bytes") for name in names), id="bytes")
    ]
    if HAS_SEARCHES:
        params.append(pytest.param(tuple(getattr(_speedups, name) for name in names), id="c"))
    return params


def _after_newlines_reference(block: bytes, lo: int, hi: int, count: int) -> int:
    """Offset just past the count-th newline of block[lo:hi] (as slice bounds), or -1."""
    lo, hi, _ = slice(lo, hi).indices(len(block))
    places = [i for i in range(lo, hi) if block[i] == 10]
    return places[count - 1] + 1 if len(places) >= count else -1


def _before_newlines_reference(block: bytes, lo: int, hi: int, count: int) -> int:
    lo, hi, _ = slice(lo, hi).indices(len(block))
    places = [i for i in range(lo, hi) if block[i] == 10]
    return places[-count] if len(places) >= count else -1


# Bytes a log is made of, newlines and the needles the scanner looks for among them.
_PIECES = [b"\n", b"\r\n", b"a", b"#", b"##[", b"##[error]", b"##[error", b"]", b"\x00", b"\xff"]
_short_blocks = st.one_of(
    st.binary(max_size=300),
    st.lists(st.sampled_from(_PIECES), max_size=120).map(b"".join),
)
# Long blocks cross the point where a wide pass's 8-bit counters are summed (255 rounds of 16
# or 32 bytes), newlines dense or sparse.
_long_blocks = st.tuples(st.binary(min_size=1, max_size=90), st.integers(0, 400)).map(
    lambda t: t[0] * t[1]
)
_blocks = st.one_of(_short_blocks, _long_blocks)


@st.composite
def _bound(draw: st.DrawFn, length: int) -> int:
    """A slice bound: near the block (negative, inside, past its end) or far beyond it."""
    near = st.integers(-length - 3, length + 3)
    far = st.sampled_from([-(2**70), -(2**63), 2**63 - 1, 2**63, 2**70])
    value: int = draw(st.one_of(near, near, near, far))
    return value


@st.composite
def _sliced(draw: st.DrawFn) -> tuple[bytes, int, int]:
    block = draw(_blocks)
    return block, draw(_bound(len(block))), draw(_bound(len(block)))


@pytest.mark.parametrize("count", _counts())
@settings(max_examples=400, deadline=None)
@given(sliced=_sliced())
def test_count_newlines_is_bytes_count(count: Count, sliced: tuple[bytes, int, int]) -> None:
    block, lo, hi = sliced
    assert count(block, lo, hi) == block.count(b"\n", lo, hi)


@pytest.mark.parametrize("count", _counts())
def test_count_newlines_at_the_wide_passes_limits(count: Count) -> None:
    """Only newlines: every byte lane's counter reaches its limit before it is summed."""
    for length in (0, 1, 15, 16, 17, 31, 32, 33, 4079, 4080, 4096, 8159, 8160, 8161, 20_000):
        for block in (b"\n" * length, b"\n" * length + b"x", b"x" + b"\n" * length):
            for lo in (0, 1, 2, 17):
                for hi in (len(block), len(block) - 1, len(block) - 31):
                    assert count(block, lo, hi) == block.count(b"\n", lo, hi)


@st.composite
def _search(draw: st.DrawFn) -> tuple[bytes, bytes, int, int]:
    block = draw(_blocks)
    start = draw(st.integers(0, len(block)))
    needle = draw(
        st.one_of(
            # Bytes of the block itself: found at its first place, or at a bound's edge.
            st.integers(0, 12).map(lambda n: block[start : start + n]),
            st.sampled_from([b"", b"\n", b"##[error]", b"##[error]\n", b"]"]),
            st.binary(max_size=4),
        )
    )
    return block, needle, draw(_bound(len(block))), draw(_bound(len(block)))


@pytest.mark.parametrize("find", _finds())
@settings(max_examples=400, deadline=None)
@given(search=_search())
def test_find_bytes_is_bytes_find(find: Find, search: tuple[bytes, bytes, int, int]) -> None:
    block, needle, lo, hi = search
    assert find(block, needle, lo, hi) == block.find(needle, lo, hi)


@pytest.mark.parametrize("find", _finds())
def test_find_bytes_at_the_bounds(find: Find) -> None:
    block = b"x##[error]y##[error]"
    needle = b"##[error]"
    for lo in range(-len(block) - 2, len(block) + 3):
        for hi in range(-len(block) - 2, len(block) + 3):
            for probe in (needle, b"", b"x", b"y##[error]", block, block + b"z"):
                assert find(block, probe, lo, hi) == block.find(probe, lo, hi), (probe, lo, hi)


@pytest.mark.parametrize("searches", _newline_searches())
@settings(max_examples=400, deadline=None)
@given(sliced=_sliced(), count=st.integers(1, 12))
def test_the_newline_searches_are_the_bytes_methods(
    searches: tuple[Any, ...], sliced: tuple[bytes, int, int], count: int
) -> None:
    find, rfind, after, before = searches
    block, lo, hi = sliced
    assert find(block, lo, hi) == block.find(b"\n", lo, hi)
    assert rfind(block, lo, hi) == block.rfind(b"\n", lo, hi)
    # The references read far bounds as slices do: clipped to the block.
    if -(2**62) < lo < 2**62 and -(2**62) < hi < 2**62:
        assert after(block, lo, hi, count) == _after_newlines_reference(block, lo, hi, count)
        assert before(block, lo, hi, count) == _before_newlines_reference(block, lo, hi, count)


@pytest.mark.parametrize("searches", _newline_searches())
def test_the_newline_searches_at_the_bounds(searches: tuple[Any, ...]) -> None:
    find, rfind, after, before = searches
    block = b"\nab\n\ncd\n"
    for lo in range(-len(block) - 2, len(block) + 3):
        for hi in range(-len(block) - 2, len(block) + 3):
            assert find(block, lo, hi) == block.find(b"\n", lo, hi), (lo, hi)
            assert rfind(block, lo, hi) == block.rfind(b"\n", lo, hi), (lo, hi)
            for count in range(1, 6):
                expected = _after_newlines_reference(block, lo, hi, count)
                assert after(block, lo, hi, count) == expected, (lo, hi, count)
                expected = _before_newlines_reference(block, lo, hi, count)
                assert before(block, lo, hi, count) == expected, (lo, hi, count)


@needs_searches
def test_the_newline_searches_reject_a_count_below_one_and_wrong_arguments() -> None:
    after: Any = _speedups.after_newlines
    before: Any = _speedups.before_newlines
    for search in (after, before):
        with pytest.raises(ValueError, match="count must be at least 1"):
            search(b"a\n", 0, 2, 0)
        with pytest.raises(TypeError):
            search(b"a\n", 0, 2)
        with pytest.raises(TypeError):
            search("a\n", 0, 2, 1)
    with pytest.raises(TypeError):
        _speedups.find_newline(b"a\n", 0)  # type: ignore[call-arg]


@needs_searches
def test_the_searches_read_any_buffer() -> None:
    # Typed for bytes, the scanner's blocks; any object exporting a buffer is read as bytes.
    count: Any = _speedups.count_newlines
    count_16: Any = _speedups._count_newlines_without_avx2
    find: Any = _speedups.find_bytes
    block = b"ab\ncd\n##[error]e\n"
    for view in (bytearray(block), memoryview(block)):
        assert count(view, 0, 100) == 3
        assert count_16(view, 1, -1) == 2
        assert find(view, bytearray(b"##[error]"), 0, 100) == 6
        assert find(block, memoryview(b"e\n"), 0, 100) == 15
    assert count(block, True, 4) == block.count(b"\n", True, 4)


@needs_searches
def test_the_searches_reject_wrong_arguments() -> None:
    count: Any = _speedups.count_newlines
    find: Any = _speedups.find_bytes
    with pytest.raises(TypeError):
        count(b"a\n", 0)
    with pytest.raises(TypeError):
        count(b"a\n", 0, 1, 2)
    with pytest.raises(TypeError):
        count("a\n", 0, 1)
    with pytest.raises(TypeError):
        count(b"a\n", 0.0, 1)
    with pytest.raises(TypeError):
        count(b"a\n", 0, None)
    with pytest.raises(TypeError):
        find(b"a\n", b"\n", 0)
    with pytest.raises(TypeError):
        find(b"a\n", "\n", 0, 2)
    with pytest.raises(TypeError):
        find(b"a\n", 10, 0, 2)


# ------------------------------------------------------------------ the scanner's use


def _logs() -> list[bytes]:
    from datasets.generator import generate

    return [record.log.encode() for record in generate(60, seed=5)]


def _regions(logs: list[bytes]) -> list[Region]:
    """Each log scanned whole, and in blocks small enough that lines carry over between them."""
    return [extract_region(log, chunk_size=size) for log in logs for size in (1 << 22, 3000)]


@needs_searches
def test_the_scanner_calls_the_c_searches(monkeypatch: pytest.MonkeyPatch) -> None:
    assert vars(_scan)["count_newlines"] is _speedups.count_newlines
    assert _lines.find_bytes is _speedups.find_bytes
    logs = _logs()
    expected = _regions(logs)
    counted: list[int] = []
    found: list[int] = []

    def count(block: bytes, lo: int, hi: int) -> int:
        counted.append(hi - lo)
        return _speedups.count_newlines(block, lo, hi)

    def find(block: bytes, needle: bytes, lo: int, hi: int) -> int:
        found.append(hi - lo)
        return _speedups.find_bytes(block, needle, lo, hi)

    monkeypatch.setattr(_scan, "count_newlines", count)  # the names the scanner calls
    monkeypatch.setattr(_lines, "find_bytes", find)
    assert _regions(logs) == expected
    assert counted and found


def test_the_scanner_finds_the_same_regions_with_the_bytes_methods(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Run from the module's source here or compiled, the scanner's newline searches can be
    swapped for the fallbacks built on `bytes.find` and `bytes.rfind`: same regions."""
    logs = _logs()
    expected = _regions(logs)
    names = ("find_newline", "rfind_newline", "after_newlines", "before_newlines")
    calls: dict[str, int] = dict.fromkeys(names, 0)

    def counted(name: str) -> Any:
        fallback = getattr(_lines, f"_{name}_bytes")

        def search(*args: Any) -> int:
            calls[name] += 1
            return int(fallback(*args))

        return search

    for name in names:
        monkeypatch.setattr(_scan, name, counted(name))
    assert _regions(logs) == expected
    assert all(calls.values()), calls


def test_the_fallbacks_give_the_same_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    logs = _logs()
    expected = _regions(logs)
    monkeypatch.setattr(_scan, "count_newlines", _lines._count_newlines_bytes)
    monkeypatch.setattr(_lines, "find_bytes", _lines._find_bytes_bytes)
    assert _regions(logs) == expected


def test_the_searches_are_built_where_required() -> None:
    if os.environ.get("AUTOHEAL_REQUIRE_NATIVE") != "1":
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert HAS_SEARCHES, "model._speedups has no count_newlines: is a C compiler installed?"
    assert _lines.count_newlines is _speedups.count_newlines
    assert _lines.find_bytes is _speedups.find_bytes


def _kept_context(log: bytes) -> list[tuple[int, RawContext, RawContext]]:
    scanner = _scan.LogScanner("plain")
    scanner.feed(log, 1)
    step = scanner.finish()
    assert step is not None
    return [(c.line, c.before, c.after) for cl in step.clusters() for c in cl.items]


@pytest.mark.parametrize("filler", [0, 3, 30])
def test_the_lines_at_a_log_s_start_have_their_own_context(filler: int) -> None:
    """The context the newline searches find is the lines just above and below a kept line,
    numbered as in the log; the first line of a log has none above it (not the log's end)."""
    head = b"Traceback (most recent call last):\nValueError: bad value\nKeyError: 'x'\n"
    log = head + b"".join(b"line %d\n" % i for i in range(filler))
    lines = log.split(b"\n")
    kept = _kept_context(log)
    assert [line for line, _, _ in kept] == [1, 2, 3]
    for line, before, after in kept:
        above = range(max(1, line - _scan._RAW_BEFORE), line)
        below = range(line + 1, min(len(lines), line + 1 + _scan._RAW_AFTER))
        assert before == tuple((n, lines[n - 1]) for n in above)
        assert after == tuple((n, lines[n - 1]) for n in below)
