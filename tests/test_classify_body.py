"""The classify route parses a JSON body's log straight into UTF-8 bytes; what it accepts,
refuses and answers is what the documented `ClassifyRequest` model gives."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from model import LogText, extract_region
from service._errors import ApiError
from service.routers._common import invalid_body
from service.routers.classify import _is_blank_text, _parse_json
from service.schemas import ClassifyRequest

# Characters that matter here: ASCII and Unicode white space (\x1c-\x1f count for str.isspace),
# escapes JSON must write, astral characters (surrogate pairs in JSON), a BOM, text.
_SPACES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2003"]
_TEXT_CHARS = st.sampled_from(
    [*_SPACES, "\u3000", "\x00", '"', "\\", "/", "\ufeff", "é", "✓", "😀", "a"]
)
_LOGS = st.one_of(st.text(_TEXT_CHARS, max_size=12), st.text(max_size=40))


def _documented(body: bytes) -> tuple[str, Any]:
    """What the route answered when it parsed with `ClassifyRequest` alone: the log's UTF-8
    bytes and the context, or the error."""
    try:
        parsed = ClassifyRequest.model_validate_json(body)
    except ValidationError as exc:
        # A blank log is named as such, whatever else is wrong with the body.
        errors = exc.errors(include_url=False, include_input=False)
        if any(e["loc"] == ("log",) and e["type"] == "string_pattern_mismatch" for e in errors):
            return "error", "empty_log"
        error = invalid_body(exc)
        return "invalid", (error.status, error.code, error.message)
    if not parsed.log or parsed.log.isspace():
        return "error", "empty_log"
    context = parsed.model_dump(exclude={"log"}, exclude_none=True)
    return "ok", (parsed.log.encode("utf-8", "surrogatepass"), context)


def _fast(body: bytes) -> tuple[str, Any]:
    try:
        log, context = _parse_json(body)
    except ApiError as exc:
        if exc.code == "empty_log":
            return "error", "empty_log"
        return "invalid", (exc.status, exc.code, exc.message)
    if _is_blank_text(log):
        return "error", "empty_log"
    return "ok", (log, context)


_CONTEXT = st.fixed_dictionaries(
    {},
    optional={
        "repository": st.one_of(
            st.none(), st.text(max_size=5), st.integers(), st.text(min_size=1025, max_size=1025)
        ),
        "workflow": st.one_of(st.none(), st.text(max_size=5)),
        "job": st.text(max_size=5),
        "run_id": st.one_of(st.none(), st.integers(-2, 2**64), st.text(max_size=3)),
        "extra": st.integers(),
    },
)


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(_LOGS, st.integers(), st.none(), st.lists(st.text(max_size=3), max_size=2)),
    _CONTEXT,
    st.booleans(),
    st.booleans(),
)
def test_json_bodies_get_what_the_documented_model_gives(
    log: object, context: dict[str, Any], with_log: bool, ascii_only: bool
) -> None:
    document = {**context, "log": log} if with_log else context
    body = json.dumps(document, ensure_ascii=ascii_only).encode()
    assert _fast(body) == _documented(body)


_VALID = json.dumps({"log": 'Error: \u2003 ✓ 😀\n"x"', "run_id": 7}, ensure_ascii=False).encode()


@settings(max_examples=400, deadline=None)
@given(
    st.binary(max_size=30)
    | st.integers(0, len(_VALID)).map(lambda cut: _VALID[:cut])
    | st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255)).map(
        lambda hit: _VALID[: hit[0]] + bytes([hit[1]]) + _VALID[hit[0] + 1 :]
    )
)
def test_malformed_bodies_are_refused_as_before(body: bytes) -> None:
    """Random bytes, a valid body cut short, a valid body with one byte changed."""
    assert _fast(body) == _documented(body)


@settings(max_examples=500, deadline=None)
@given(st.text(_TEXT_CHARS, max_size=10) | st.text(max_size=20))
def test_blank_is_what_str_isspace_says(text: str) -> None:
    assert _is_blank_text(text.encode("utf-8", "surrogatepass")) == (not text or text.isspace())


def test_a_logs_text_is_never_read_as_a_container() -> None:
    """A JSON log that starts with gzip's or zip's magic bytes is text, as a str log is."""
    for head in ("\x1f\x8b", "PK\x03\x04"):
        text = head + "\n##[error]Process completed with exit code 1.\n"
        assert extract_region(LogText(text.encode())) == extract_region(text)
