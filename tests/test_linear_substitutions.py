"""The URL and secret substitutions run in linear time and give exactly the plain `re.sub` output.

`model._runs.RunAnchoredSub` tries each run of name characters once instead of once per word
boundary. The references (`reference_normalize_text`, `reference_redact_secrets`) apply the
patterns as first written; texts here are dense in what the shortcut reasons about: secret words
inside other words and next to each other, `://` after runs of scheme characters, word
boundaries made by `.`, `-` and non-ASCII letters.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model._normalize import _URL_SUB, normalize_text
from model._runs import ASCII_LETTERS, DIGITS, FOLDED_LETTERS, RunAnchoredSub
from model.redact import _ASSIGNMENT, _URL_CREDENTIALS, REDACTED, redact_secrets
from tests.test_normalize_equivalence import reference_normalize_text, reference_redact_secrets

PIECES = [
    "token", "TOKEN", "password", "pwd", "passwd", "secret", "api_key", "api-key", "apikey",
    "access-key", "private_key", "client-secret", "key", "://", "http", "https://", "git+ssh",
    "a", "B", "z", "1", "9", "_", ".", "-", "+", "=", ":", " ", "\t", "'", '"', "@", "/", "*",
    "***", REDACTED, ",", ";", "&", "<", ">", "(", ")", "?", "#", "user:pw@", "x.com", "a.b",
    "\u00e9", "\u0130", "\u0131", "\u017f", "\u212a", "\u0663",
]  # fmt: skip
dense_texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=3000, deadline=None)
@given(dense_texts)
def test_redaction_equals_the_plain_substitutions(text: str) -> None:
    assert redact_secrets(text) == reference_redact_secrets(text)


@settings(max_examples=3000, deadline=None)
@given(dense_texts)
def test_normalisation_equals_the_plain_substitutions(text: str) -> None:
    assert normalize_text(text) == reference_normalize_text(text)


@pytest.mark.parametrize(
    "text",
    [
        # A secret word hidden inside another one (`finditer` does not overlap): the name starts
        # at the `-` after a non-ASCII letter, where the word boundary is.
        "\u00e9client-secret=access-keypassword \t_. ",
        '-:access-key\u0130\u00e9\u0131client-secret://***token*x\u00e9&Ka"',
        "user:pw@\u00e9passwdkeyZclient-secret:axclient-secret\u017fab.cdbauser:pw@:api-keyaZ ",
        ".http://deploy:s3cr3t@git.example.com",  # the scheme starts after the dot
        "1http://deploy:s3cr3t@git.example.com",  # no boundary before the scheme: kept
        "x" + "token" * 50 + "=abcdefgh",
    ],
)
def test_secret_words_hidden_inside_others_and_schemes_after_a_dot(text: str) -> None:
    assert redact_secrets(text) == reference_redact_secrets(text)
    assert normalize_text(text) == reference_normalize_text(text)


def test_a_long_dotted_name_with_a_secret_word_is_redacted() -> None:
    name = ".".join(["com", "example", "internal"] * 400)
    text = f"{name}.api_token = s3cr3t-value"
    assert redact_secrets(text) == f"{name}.api_token = {REDACTED}"
    assert redact_secrets(text) == reference_redact_secrets(text)


def _matched_by(pattern: str) -> frozenset[str]:
    compiled = re.compile(pattern)
    return frozenset(chr(c) for c in range(sys.maxunicode + 1) if compiled.fullmatch(chr(c)))


def test_run_characters_are_what_the_patterns_match() -> None:
    """Every code point: a run that stopped short or went too far would skip or add a start."""
    assert _matched_by(r"(?i)[a-z]") == ASCII_LETTERS | FOLDED_LETTERS
    assert _matched_by(r"[0-9]") == DIGITS
    substitutions: list[tuple[RunAnchoredSub, str]] = [
        (_ASSIGNMENT, r"(?i)[A-Za-z0-9_.-]"),
        (_URL_CREDENTIALS, r"(?i)[a-z0-9+.-]"),
        (_URL_SUB, r"[a-zA-Z0-9+.-]"),
    ]
    for substitution, run_class in substitutions:
        assert substitution.run_chars == _matched_by(run_class)
        for char in substitution.run_chars:  # the run pattern reads exactly these characters
            assert substitution.run.fullmatch(char)
