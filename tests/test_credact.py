"""`model._credact.redact_secrets` (C) gives exactly what the regex rules give on ASCII text.

Compared with `_redact_secrets_python` (the rules of `model.redact`) and with
`reference_redact_secrets` (one plain `pattern.sub` per rule). The texts are built from pieces
around each rule's edges: prefixes, runs whose lengths straddle the counted classes, word
boundaries made by `-` and `.`, separators, quotes and blanks that a backtracking match could
give back, and `[REDACTED]` / `***` that later rules look at.
"""

from __future__ import annotations

import os
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import redact
from model.redact import REDACTED, _redact_secrets_python, redact_secrets
from tests.test_normalize_equivalence import reference_redact_secrets

try:
    from model import _credact
except ImportError:  # pragma: no cover - depends on the build
    _credact = None  # type: ignore[assignment]

needs_credact = pytest.mark.skipif(
    _credact is None, reason="model._credact is not built (no C compiler at install time)"
)


def _near(prefix: str, alphabet: str, lengths: list[int]) -> list[str]:
    """``prefix`` then runs of ``alphabet`` of the given lengths."""
    return [prefix + (alphabet * n)[:n] for n in lengths]


# Pieces per rule; a text mixes the pieces of one or two rules with the common ones.
# fmt: off
FOCUS: dict[str, list[str]] = {
    "private_key": [
        "-----BEGIN ", "-----END ", "RSA ", "OPENSSH ", "EC2 ", "PRIVATE KEY", "PRIVATE ", "KEY",
        " BLOCK", "BLOCK", "-----", "----", "-", "PGP ", "rsa ", "\n", "b3Bl", "\r\n",
        "-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----", "PRIVATE KEY-----",
        "-----END PRIVATE KEY-----", "-----END EC PRIVATE KEY BLOCK-----", " BLOCK-----",
    ],
    "github": [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "ghx_", "gh", "github_pat_", "g", "git",
        *_near("ghp_", "aB3", [19, 20, 21]), *_near("ghs_", "a", [254, 255, 256]),
        *_near("github_pat_", "a_", [21, 22, 23]),
    ],
    "aws": [
        "AKIA", "ASIA", "ABIA", "ACCA", "A", "AKI", "aws_secret_access_key",
        "AWS_Secret_Access_Key", "aws_secret_access_key=", "/", "+", "=",
        *_near("AKIA", "AZ09", [15, 16, 17]), *_near("ACCA", "Z", [16]),
        *_near("aws_secret_access_key = '", "aZ/+=", [39, 40, 41]),
    ],
    "prefixed": [
        "xoxb-", "xoxp-", "xoxa-", "xoxz-", "xox", "npm_", "NPM_", "pypi-", "pypi", "glpat-",
        "glpat", "AIza", "aiza",
        *_near("xoxb-", "a-", [9, 10, 11]), *_near("xoxs-", "-", [10, 11]),
        *_near("npm_", "aB3", [35, 36, 37]), *_near("pypi-", "a_-", [49, 50, 51]),
        *_near("glpat-", "a-", [19, 20, 21]), *_near("AIza", "a_-", [34, 35, 36]),
    ],
    "jwt": [
        "eyJ", ".eyJ", "eyJhbGci", "eyJzdWIi", ".", "..", "eyj", *_near("eyJ", "a-", [7, 8]),
        *_near(".eyJ", "b_", [7, 8, 9]), *_near(".", "c", [7, 8]), "eyJhbGciOiJIUzI1NiJ9.",
        "eyJhbGci-iJ9.eyJzdWIi_IxM.", "eyJaaaaaaaa.eyJbbbbbbbb.cccccccc",
    ],
    "headers": [
        "Authorization", "authorization", "AUTHORIZATION", "proxy-", "Proxy-", "xproxy-",
        "Proxy-Authorization", "Bearer", "bearer ", "BEARER  ", "Basic ", "token ", "Bearer\t",
        "Authorization: ", "proxy-authorization=\"", *_near("Bearer ", "a.~", [11, 12, 13]),
    ],
    "url": [
        "://", "https://", "http", "git+ssh", "s3", "1http", "_http", "user", "user:", ":pw@",
        "pw", "@", "host", "deploy:s3cr3t@", "https://user:pw@", "git+ssh://git:x:y@h",
        "HTTP://u:p@", "a.b-c://u:",
    ],
    "assignment": [
        "token", "TOKEN", "password", "passw", "passwd", "pwd", "secret", "Secret", "api_key",
        "api-key", "apikey", "api__key", "access-key", "accesskey", "private_key", "privatekey",
        "client-secret", "clientsecret", "key", "pass", "DB_", "my.", "x-", "-", ".",
        "***", "**", REDACTED, "[redacted]", "[REDACTED", "&",
    ],
}
# fmt: on
COMMON = [
    " ",
    "  ",
    "\t",
    "\n",
    "\x0b",
    "\x0c",
    "\r",
    "\x1c",
    "\x1f",
    "=",
    ":",
    " = ",
    ": ",
    "'",
    '"',
    ",",
    ";",
    "_",
    "-",
    "a",
    "Z",
    "9",
    "#",
    "(",
    ")",
    "*",
    "/",
    "@",
    "[",
    "]",
    "~",
    "\x00",
    "\x7f",
]  # fmt: skip
# Runs of the characters that some rule's class holds, of lengths around the counted classes
# (16, 20, 22, 35, 36, 40, 50 and 255 characters): each alphabet cycled, and its first character
# repeated.
RUN_ALPHABETS = ["aB3", "AZ09", "a-", "a_", "a_-", "aZ/+=", "a.~", "-", "z", "A-", "x.y"]
RUN_LENGTHS = [
    *range(1, 13), 15, 16, 17, 19, 20, 21, 22, 23, 34, 35, 36, 37, 39, 40, 41, 49, 50, 51, 60,
    254, 255, 256,
]  # fmt: skip
RUNS = [
    run
    for alphabet in RUN_ALPHABETS
    for length in RUN_LENGTHS
    for run in ((alphabet * length)[:length], alphabet[0] * length)
]


@st.composite
def focused_texts(draw: Any) -> str:
    names = draw(st.lists(st.sampled_from(sorted(FOCUS)), min_size=1, max_size=2))
    pieces = [piece for name in names for piece in FOCUS[name]] + COMMON
    parts = draw(st.lists(st.one_of(st.sampled_from(pieces), st.sampled_from(RUNS)), max_size=14))
    return "".join(parts)


ascii_texts = st.text(alphabet=st.characters(max_codepoint=127), max_size=200)


def _both(text: str) -> str:
    """The C result, checked against the Python rules and the plain substitutions."""
    assert _credact is not None
    native = _credact.redact_secrets(text)
    assert native == _redact_secrets_python(text)
    assert native == reference_redact_secrets(text)
    return native


@needs_credact
@settings(max_examples=3000, deadline=None)
@given(focused_texts())
def test_c_equals_the_rules_on_texts_dense_in_secrets(text: str) -> None:
    _both(text)


@needs_credact
@settings(max_examples=1500, deadline=None)
@given(ascii_texts)
def test_c_equals_the_rules_on_any_ascii_text(text: str) -> None:
    _both(text)


@needs_credact
def test_c_equals_the_rules_on_generated_logs_and_their_feature_texts() -> None:
    from datasets.generator import generate
    from model import extract_region
    from model._features import feature_text

    ascii_count = 0
    for record in generate(60, seed=23):
        region = extract_region(record.log)
        for text in (record.log, region.text, feature_text(region)):
            if text.isascii():
                ascii_count += 1
                _both(text)
    assert ascii_count > 0


# One text per rule, each redacted (or kept) by exactly the corner it names.
CORNERS = [
    "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----tail",
    "-----BEGIN PRIVATE KEY BLOCK-----never ends",
    "-----BEGIN A B PRIVATE KEY-----x-----END PRIVATE KEY BLOCK----- y -----END PRIVATE KEY-----",
    "-----BEGIN PRIVATE PRIVATE KEY-----x",  # `PRIVATE ` is a label word
    "-----BEGIN rsa PRIVATE KEY-----x",  # lowercase labels are no key
    "ghp_" + "a" * 20,
    "ghp_" + "a" * 19,
    "ghp_" + "a" * 255,
    "ghp_" + "a" * 256,
    "ghp_" + "a" * 30 + "_",
    "xghp_" + "a" * 30,
    "-github_pat_" + "a_" * 11,
    "AKIA" + "A1" * 8,
    "AKIA" + "A1" * 8 + "b",
    "aws_secret_access_key \t= '" + "a/+=" * 10,
    "AWS_SECRET_ACCESS_KEY:" + "a" * 39,
    "aws_secret_access_key==" + "a" * 40,
    "xoxb-" + "1-" * 6,
    "xoxb-" + "-" * 12,
    "xoxb-" + "a" * 12 + "_",
    "xoxb-aaaa-xoxb-aaaa-xoxb-aaaa-",
    "npm_" + "a" * 36,
    "npm_" + "a" * 37,
    "pypi-" + "a-" * 25,
    "pypi-" + "a" * 50 + "_",
    "glpat-" + "-" * 19 + "a",
    "AIza" + "a" * 34 + "-",
    "AIza" + "a" * 35,
    "AIza" + "a" * 35 + "-",
    "eyJ" + "a" * 8 + ".eyJ" + "b" * 8 + "." + "c" * 8 + ".d",
    "eyJ-eyJ" + "a" * 8 + ".eyJ" + "b" * 8 + "." + "c" * 7,
    "Authorization: Bearer abc",
    "Authorization: Bearer ;abc",
    "authorization='Basic  abc def'",
    "Proxy-Authorization=token",
    "xproxy-authorization: x",
    "_authorization: x",
    "authorization:\t\n'\"x",
    "Bearer abcdefghijkl",
    "bearer abcdefghijk",
    "bearer\x1c~~~~~~~~~~~~~",
    "https://user:pw@host",
    "a.b+c-d://u:p:q@h",
    "1http://u:p@h",
    "_http://u:p@h x-http://u:p@h",
    "http://u:@h http://:p@h http://u:p/@h",
    "password=abcd",
    "password=abc",
    "password = ' abcd",
    "password: ***abcd",
    "password=[redacted]x",
    "password='[REDACTED]'",
    "a.b-c.token.d=abcd",
    "-.-token=abcd",
    "tok.en=abcd key=abcd api.key=abcd",
    "x_api__key=abcd api_-key=abcd",
    "password=a&b=cdef password=abcd&next=1",
    "my-token:\x1c\x1cabcd,",
    "authorization: token=abcdef",
    "password=https://u:pw@h",
]


@needs_credact
@pytest.mark.parametrize("text", CORNERS)
def test_c_equals_the_rules_on_the_corners_of_each_rule(text: str) -> None:
    _both(text)


@needs_credact
def test_the_corners_are_redacted_where_expected() -> None:
    # A few of the corners checked against their known result, not only against the rules.
    assert _both("https://user:pw@host") == "https://user:" + REDACTED + "@host"
    assert _both("password = 'abcd") == "password = '" + REDACTED
    assert _both("password=[redacted]x") == "password=[redacted]x"
    assert _both("xoxb-" + "a" * 12 + "_") == "xoxb-" + "a" * 12 + "_"
    assert _both("-----BEGIN PRIVATE KEY BLOCK-----never ends") == REDACTED


@needs_credact
@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f",
        "\x00" * 10,
        string.printable,
    ],
)
def test_c_equals_the_rules_on_edge_cases(text: str) -> None:
    _both(text)


@needs_credact
def test_c_equals_the_rules_on_a_megabyte_of_log_lines() -> None:
    line = "Run make test\nDB_PASSWORD=hunter2hunter2 at https://u:p@h ghp_" + "a1" * 15 + "\n"
    text = (line + "x = 1; " * 20) * 6000
    assert len(text) > 1_000_000
    assert _both(text).count(REDACTED) == 3 * 6000


# Runs that a backtracking scan reads again from every start: long names holding secret words,
# schemes before `://`, tokens that never end on a boundary, labels, repeated prefixes. The
# Python rules are linear on them too (the plain substitutions are not: not compared here).
PATHOLOGICAL = {
    "dotted name": lambda k: "a." * k + "token",
    "secret words": lambda k: "token" * k + "=abcd",
    "dotted words": lambda k: "token." * k,
    "scheme": lambda k: "a+" * k + "://",
    "urls": lambda k: "http://" * k,
    "user colons": lambda k: "http://u:" + ":" * k,
    "slack run": lambda k: "xoxb-" + "a" * k + "_",
    "slack prefixes": lambda k: "xoxa-" * k,
    "jwt starts": lambda k: "eyJ-" * k + ".eyJ",
    "jwt segments": lambda k: ("eyJ" + "a" * 8 + ".") * k,
    "pypi prefixes": lambda k: "pypi-" * k,
    "gitlab prefixes": lambda k: "glpat-" * k,
    "aws ids": lambda k: "AKIA" * k,
    "github prefixes": lambda k: "github_pat_" * k,
    "github run": lambda k: "ghp_" + "a1" * k,
    "begin lines": lambda k: "-----BEGIN " * k,
    "label words": lambda k: "-----BEGIN " + "RSA " * k,
    "end lines": lambda k: "-----BEGIN PRIVATE KEY-----" + "-----END " * k,
    "headers": lambda k: "authorization:" * k,
    "bearers": lambda k: "bearer " * k,
    "aws blanks": lambda k: "aws_secret_access_key" + " " * k,
    "assignments": lambda k: "password=" * k,
    "separators": lambda k: "password" + " " * k + "=" + " " * k,
}


@needs_credact
@pytest.mark.parametrize("make", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_c_equals_the_python_rules_on_pathological_inputs(make: Any) -> None:
    assert _credact is not None
    for text in (make(1), make(7), make(5000)):
        assert _credact.redact_secrets(text) == _redact_secrets_python(text)


@needs_credact
def test_megabyte_pathological_inputs_give_the_known_result() -> None:
    assert _credact is not None
    for text in ("a." * 500_000 + "token", "xoxb-" + "a" * 1_000_000 + "_", "http://" * 150_000):
        assert _credact.redact_secrets(text) is text
    words = "token" * 200_000
    assert _credact.redact_secrets(words + "=abcd") == words + "=" + REDACTED
    assert _credact.redact_secrets("-----BEGIN " * 100_000 + "-----BEGIN PRIVATE KEY-----x") == (
        "-----BEGIN " * 100_000 + REDACTED
    )


@needs_credact
def test_non_ascii_text_is_left_to_python() -> None:
    assert _credact is not None
    for text in ["password=h\u00e9llo", "\u0130token=abcd", "ghp_" + "a" * 20 + "\u00e9"]:
        assert _credact.redact_secrets(text) is None
        assert redact_secrets(text) == _redact_secrets_python(text)
        assert redact_secrets(text) == reference_redact_secrets(text)


@needs_credact
def test_the_argument_must_be_a_str() -> None:
    assert _credact is not None
    with pytest.raises(TypeError):
        _credact.redact_secrets(b"password=abcd")  # type: ignore[arg-type]


@needs_credact
def test_an_unchanged_text_is_returned_as_is() -> None:
    assert _credact is not None
    text = "nothing secret here " * 3
    assert _credact.redact_secrets(text) is text


@needs_credact
def test_the_public_function_runs_the_c_code_on_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _credact is not None
    calls: list[str] = []
    original = _credact.redact_secrets

    def counted(text: str) -> str | None:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(_credact, "redact_secrets", counted)
    assert redact_secrets("password=abcd") == "password=" + REDACTED
    assert redact_secrets("password=\u00e9abcd") == "password=" + REDACTED
    assert calls == ["password=abcd"]  # non-ASCII text does not reach the C code


def test_without_the_c_module_the_python_rules_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "_credact", None)
    assert redact_secrets("DB_PASSWORD=hunter2") == "DB_PASSWORD=" + REDACTED


def test_the_c_module_is_built_where_required() -> None:
    if os.environ.get("AUTOHEAL_REQUIRE_NATIVE") != "1":
        pytest.skip("AUTOHEAL_REQUIRE_NATIVE is not set")
    assert _credact is not None, "model._credact did not build: is a C compiler installed?"
