"""The evidence selection's shortcuts give exactly what the plain definitions they replace give.

`_names_reason` and `_first_naming_reason` answer what `_REASON` (the Python pattern) answers;
the feature text's fast path is the general one; `has_output` is its definition over
`clean_before`; and the selection relies on a shorter cleaning being the start of a longer one.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from model import _scoring as scoring
from model._clusters import Candidate, Step, clean_after, clean_before, has_output
from model._select import (
    _MAX_LINE_IN_TEXT,
    _REASON,
    _REASON_SPAN,
    _feature_text,
    _first_naming_reason,
    _fitted,
    _names_reason,
    _reason_nearby,
)

# Pieces that reach every alternative of `_REASON`, its word boundaries and case folding (ſ, K,
# İ, ı fold onto ASCII letters), newlines (no match crosses one) and text that is not ASCII.
_REASON_PIECES = [
    "status", "STATUS", "\u017ftatus", "code", "HTTP/1.1", "http", " ", ":", "=", "4", "5", "0",
    "\u0664", "04", "Too Many Requests", "too many", "Forbidden", "Not Found", "rate", "-", ".",
    "limit", "LIMIT", "throttl", "Connection ", "reset", "timed out", "Permission denied",
    "No space left", "E", "CONNRESET", "ACCES", "PERM", "NOSPC", "\u212aEY", "no such host",
    "Could not resolve host", "Name or service not known", "\u0130", "\u0131", "x", "_", "\u00e9",
    "response", "Gateway Time", "eai_again", "EAI_AGAIN", "\n", "\r", "\t", "\u2026",
]  # fmt: skip
_reason_text = st.lists(st.sampled_from(_REASON_PIECES), max_size=12).map("".join)
# Lines of ASCII text alone are searched together: they need examples of their own.
_ascii_reason_text = st.lists(
    st.sampled_from([piece for piece in _REASON_PIECES if piece.isascii()]), max_size=8
).map("".join)
_any_text = st.one_of(_ascii_reason_text, _reason_text, st.text(max_size=40))


def _reference_names_reason(text: str) -> bool:
    return _REASON.search(text) is not None


def _reference_first(texts: list[str]) -> int:
    return next((i for i, text in enumerate(texts) if _reference_names_reason(text)), -1)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_ascii_reason_text, _reason_text))
def test_names_reason_is_a_search_of_the_pattern(text: str) -> None:
    assert _names_reason(text) == _reference_names_reason(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_names_reason_is_a_search_of_the_pattern_on_any_text(text: str) -> None:
    assert _names_reason(text) == _reference_names_reason(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_any_text, max_size=6))
def test_first_naming_reason_is_the_first_text_the_pattern_matches(texts: list[str]) -> None:
    assert _first_naming_reason(texts) == _reference_first(texts)


def test_first_naming_reason_on_lines_searched_together() -> None:
    assert _first_naming_reason([]) == -1
    assert _first_naming_reason(["ok", "HTTP 404", "timed out"]) == 1
    assert _first_naming_reason(["rate", "limit"]) == -1  # `rate.limit` never spans two lines
    assert _first_naming_reason(["status 40", "4"]) == -1
    assert _first_naming_reason(["x\nstatus", "code 503"]) == 1  # a text holding a newline
    assert _first_naming_reason(["caf\u00e9", "ECONNRESET"]) == 1  # a text that is not ASCII
    assert _first_naming_reason(["EPERM_", "EPERM"]) == 1  # `\b` at the end of a line


# --- `_reason_nearby`: the plain definition, text by text ---------------------------------------
def _reference_reason_nearby(
    root: Candidate, items: list[Candidate], said: list[str], after: tuple[tuple[int, str], ...]
) -> list[tuple[int, str]]:
    if any(_reference_names_reason(text) for text in said):
        return []
    near = [(c.line, c.text) for c in items if root.line < c.line <= root.line + _REASON_SPAN]
    near += after
    naming = [i for i, (_, text) in enumerate(near) if _reference_names_reason(text)]
    if naming:
        return [near[max(naming, key=lambda i: (near[i][0], i))]]
    before = clean_before(root.before, 1)
    return [before[0]] if before and _reference_names_reason(before[0][1]) else []


_LINE_TEXTS = ["ok", "HTTP 404", "Connection refused", "", "   ", "caf\u00e9 timed out", "x\ny"]
_raw_line = st.sampled_from(_LINE_TEXTS).map(lambda text: text.encode("utf-8"))


@st.composite
def _root_and_items(draw: st.DrawFn) -> tuple[Candidate, list[Candidate]]:
    root_line = 20
    before = tuple((root_line - 5 + i, draw(_raw_line)) for i in range(5))
    after = tuple((root_line + 1 + i, draw(_raw_line)) for i in range(draw(st.integers(0, 5))))
    root = Candidate(root_line, draw(st.sampled_from(_LINE_TEXTS)), 80, scoring.EXCEPTION)
    root.before, root.after = before, after
    lines = sorted(draw(st.lists(st.integers(0, 45), max_size=6)))
    items = [Candidate(n, draw(st.sampled_from(_LINE_TEXTS)), 60, scoring.EXCEPTION) for n in lines]
    return root, items


@settings(max_examples=800, deadline=None)
@given(_root_and_items(), st.lists(st.sampled_from(_LINE_TEXTS), max_size=2), st.integers(1, 6))
def test_reason_nearby_is_the_plain_definition(
    root_items: tuple[Candidate, list[Candidate]], extra_said: list[str], before_limit: int
) -> None:
    root, items = root_items
    said = [root.text, *extra_said]
    after = clean_after(root.after)
    before = clean_before(root.before, before_limit)
    expected = _reference_reason_nearby(root, items, said, after)
    assert _reason_nearby(root, items, said, after, before) == expected


# --- cleaning -----------------------------------------------------------------------------------
_RAW_PIECES = [
    b"", b" ", b"x", b"error: boom", b"##[warning]careful", b"##[group]Run a", b"Post job cleanup.",
    b"[Pipeline] }", b"section_start:12:build\r", b"section_", b"\x1b[31m", b"\r", b"PASSED",
    b"2024-01-01T00:00:00.0000000Z ", "\u00e9".encode(), b"\xff", b"y" * 1200,
]  # fmt: skip
_raw_context = st.lists(
    st.lists(st.sampled_from(_RAW_PIECES), max_size=3).map(b"".join), max_size=12
).map(lambda raws: tuple(enumerate(raws, start=1)))


@settings(max_examples=1000, deadline=None)
@given(_raw_context)
def test_has_output_is_its_definition(context: tuple[tuple[int, bytes], ...]) -> None:
    expected = any(not scoring.is_noise(text) for _, text in clean_before(context))
    assert has_output(context) == expected


@settings(max_examples=1000, deadline=None)
@given(_raw_context, st.integers(1, 8))
def test_shorter_cleaning_is_the_start_of_a_longer_one(
    context: tuple[tuple[int, bytes], ...], limit: int
) -> None:
    assert clean_before(context, 1) == clean_before(context, limit)[-1:]
    assert clean_after(context, 1) == clean_after(context, limit)[:1]
    assert clean_before(context, 0) == clean_after(context, 0) == ()


# --- feature text -------------------------------------------------------------------------------
_PART_TEXTS = ["a", "error: x", "", "z" * (_MAX_LINE_IN_TEXT - 1), "w" * (_MAX_LINE_IN_TEXT + 3)]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from(_PART_TEXTS)), max_size=8),
    st.sampled_from([None, "", "build"]),
    st.tuples(st.integers(0, 30), st.integers(0, 30)),
    st.integers(-2, 3000),
)
def test_feature_text_fast_path_is_the_general_one(
    pairs: list[tuple[int, str]], name: str | None, span: tuple[int, int], max_chars: int
) -> None:
    lines = tuple(sorted(pairs))
    lo, hi = span
    parts = [f"step: {name}"] if name else []
    parts += [t for n, t in lines if lo <= n <= hi] + [t for n, t in lines if not lo <= n <= hi]
    step = Step(name, 0)
    assert _feature_text(step, lines, span, max_chars) == _fitted(parts, max_chars)
